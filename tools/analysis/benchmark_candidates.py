"""Candidates of the AVLetters benchmark's development split, and the
choice among them.

``configs/benchmark/avletters/dev_candidates.yml`` lists candidates for the
student's training recipe (epochs, learning rate, label smoothing) and for
each method's own parameters (``--cfg-options``).
``tools/analysis/run_benchmark.sh`` with ``SPLIT=dev`` trains every
candidate with the development seeds (runs named
``<kind>@<candidate>_seed<N>``, kind ``student`` or a method) and calls
``choose``; the final runs (``SPLIT=val``) take the chosen options::

    python tools/analysis/benchmark_candidates.py names student
    python tools/analysis/benchmark_candidates.py options CONFIG trd w40 --work DEV
    python tools/analysis/benchmark_candidates.py choose DEV student --seeds 0 1
    python tools/analysis/benchmark_candidates.py chosen CONFIG DEV trd
    python tools/analysis/benchmark_candidates.py choose FOLDS student --seeds 0 \
        --from FOLDS/Anya FOLDS/Bill FOLDS/Faye FOLDS/John FOLDS/Steve
    python tools/analysis/benchmark_candidates.py adopt FOLDS DEV student

A ``teacher`` section (optional) lists single-network teacher candidates:
a recipe plus the ``config`` they train (runs ``teacher@<candidate>_seed<N>``
beside the student recipes), chosen like them::

    python tools/analysis/benchmark_candidates.py config teacher 16f-72px-40e
    python tools/analysis/benchmark_candidates.py compare FOLDS teacher student
    python tools/analysis/benchmark_candidates.py table FOLDS

``choose`` picks the candidate with the highest mean development top-1 over
the seeds (a tie goes to the candidate listed first) and records it in
``DEV/choices.json``; with ``--from`` it averages over the seeds of several
development work dirs (leave-one-speaker-out folds, one per development
speaker; ``tools/analysis/run_dev_folds.sh``) and records each fold's mean
too; ``adopt`` copies a choice from one work dir's ``choices.json`` to
another's (the recipe chosen over folds, for the method tuning of a
``SPLIT=dev`` run with ``CHOICES``). A method's options are the chosen
recipe's followed by its own, so ``options``/``chosen`` of a method need the
student's choice first. A recipe becomes options of the given config: its
epochs set the training length, the cosine schedule's length and the one
validation at the end; its learning rate goes to the optimizer (of the
student's ``optim_wrapper``, or of ``optim_wrapper.architecture`` in a
distillation config); its label smoothing to the classification head's
``label_smooth_eps`` (of the student's config, or through the
``cfg_options`` of ``model.architecture`` in a distillation config, whose
student is a ``model_from_config``). ``ranking`` prints the chosen methods
by development top-1, best first; ``table`` the Markdown table of every
candidate chosen over folds, fold by fold. ``compare`` prints the paired
difference between two choices over the folds they were chosen on (``KIND``
for its chosen candidate, ``KIND@CANDIDATE`` for another), with a 95% t
interval.
Nothing here reads the validation speakers.
"""
import argparse
import json
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchmark_stats import paired_difference  # noqa: E402

CANDIDATES = 'configs/benchmark/avletters/dev_candidates.yml'
STUDENT = 'student'
TEACHER = 'teacher'
RECIPE_KEYS = ('epochs', 'lr', 'label_smoothing')
TEACHER_KEYS = RECIPE_KEYS + ('config', )


class CandidateError(ValueError):
    """An unknown kind or candidate, or runs that are missing."""


def load_candidates(path=CANDIDATES):
    """``{kind: {candidate: ...}}`` from the candidates file: kind
    ``student`` (recipes: dicts of ``RECIPE_KEYS``), ``teacher`` (recipes
    with a ``config``; none if the file has no such section) and one kind
    per method (lists of cfg-options), candidates in file order."""
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    kinds = {STUDENT: recipes_of(path, STUDENT, cfg.student, RECIPE_KEYS),
             TEACHER: recipes_of(path, TEACHER, cfg.get(TEACHER, {}),
                                 TEACHER_KEYS)}
    for name, recipe in kinds[TEACHER].items():
        if not osp.isfile(recipe.get('config', '')):
            raise CandidateError(f'{path}: teacher {name!r} needs a '
                                 "'config' (an existing config file), "
                                 f"not {recipe.get('config')!r}")
    kinds.update({method: {name: list(options)
                           for name, options in cands.items()}
                  for method, cands in cfg.methods.items()})
    return kinds


def recipes_of(path, kind, section, keys):
    """``{name: recipe}`` of a recipe section; CandidateError names a key
    that is not one of ``keys``."""
    recipes = {name: dict(recipe) for name, recipe in section.items()}
    for name, recipe in recipes.items():
        unknown = set(recipe) - set(keys)
        if unknown:
            raise CandidateError(f'{path}: {kind} recipe {name!r} sets '
                                 f'{sorted(unknown)}; a {kind} recipe sets '
                                 f'{", ".join(keys)}')
    return recipes


def recipe_options(recipe, config):
    """The cfg-options of a recipe (``RECIPE_KEYS``) for a config file."""
    from mmengine.config import Config
    options = []
    if 'epochs' in recipe:
        n = recipe['epochs']
        options += [f'train_cfg.max_epochs={n}', f'train_cfg.val_interval={n}',
                    f'param_scheduler.0.T_max={n}',
                    f'param_scheduler.0.end={n}']
    if 'lr' not in recipe and 'label_smoothing' not in recipe:
        return options
    cfg = Config.fromfile(config)
    if 'lr' in recipe:
        prefix = 'optim_wrapper.' + ('architecture.' if 'architecture'
                                     in cfg.optim_wrapper else '')
        options.append(f'{prefix}optimizer.lr={recipe["lr"]}')
    if 'label_smoothing' in recipe:
        prefix = 'model.' + ('architecture.cfg_options.model.'
                             if 'architecture' in cfg.model else '')
        options.append(f'{prefix}cls_head.label_smooth_eps='
                       f'{recipe["label_smoothing"]}')
    return options


def candidates_of(candidates, kind):
    """The candidates of one kind; CandidateError names the known kinds."""
    if kind not in candidates:
        raise CandidateError(f'no candidates for {kind!r} in {CANDIDATES}; '
                             f'known: {", ".join(candidates)}')
    return candidates[kind]


def candidate_of(candidates, kind, name):
    """One candidate of one kind; CandidateError lists the kind's
    candidates."""
    own = candidates_of(candidates, kind)
    if name not in own:
        raise CandidateError(f'{kind} has no candidate {name!r}; its '
                             f'candidates: {", ".join(own)}')
    return own[name]


def read_choices(work):
    """``WORK/choices.json`` as a dict (empty if there is none yet)."""
    path = osp.join(work, 'choices.json')
    if not osp.isfile(path):
        return {}
    with open(path) as file:
        return json.load(file)


def write_choices(work, choices):
    """Write ``WORK/choices.json`` atomically (creating WORK)."""
    os.makedirs(work, exist_ok=True)
    path = osp.join(work, 'choices.json')
    with open(path + '.tmp', 'w') as file:
        json.dump(choices, file, indent=2)
    os.replace(path + '.tmp', path)


def options(candidates, config, kind, name, choices):
    """The cfg-options of candidate ``name`` of ``kind`` for ``config``: for
    a method, the chosen student recipe's options first."""
    own = candidate_of(candidates, kind, name)
    if kind in (STUDENT, TEACHER):
        return recipe_options(own, config)
    if STUDENT not in choices:
        raise CandidateError(f'{kind}: choose the student recipe first '
                             '(choices.json has no "student")')
    recipe = candidate_of(candidates, STUDENT, choices[STUDENT]['candidate'])
    return recipe_options(recipe, config) + own


def dev_results(work, kind, name, seeds):
    """``{seed: result.json}`` of the runs ``<kind>@<name>_seed<N>``;
    missing runs raise CandidateError naming them."""
    found, missing = {}, []
    for seed in seeds:
        path = osp.join(work, f'{kind}@{name}_seed{seed}', 'result.json')
        if not osp.isfile(path):
            missing.append(path)
            continue
        with open(path) as file:
            found[seed] = json.load(file)
    if missing:
        raise CandidateError('not trained yet: ' + ', '.join(missing))
    return found


def mean_or_none(values):
    """Mean of ``values``, or None if one of them is None (not logged)."""
    values = list(values)
    return None if None in values else sum(values) / len(values)


def choose(candidates, work, kind, seeds, folds=None):
    """Pick the best candidate of ``kind`` on the development runs and
    record it (with every candidate's mean) in ``WORK/choices.json``.

    Args:
        candidates (dict): As :func:`load_candidates` returns.
        work (str): Where ``choices.json`` goes; also the runs' work dir
            when ``folds`` is None.
        kind (str): ``student`` or a method.
        seeds (list[int]): Development seeds.
        folds (list[str], optional): Work dirs of several development
            speakers: the mean is over every fold and seed (each fold's
            mean is recorded in ``fold_top1``).

    Returns:
        tuple[str, dict]: The chosen candidate and ``{candidate: mean}``.
    """
    works = list(folds) if folds else [work]
    means, per_fold, train = {}, {}, {}
    for name in candidates_of(candidates, kind):
        results = {fold: dev_results(fold, kind, name, seeds)
                   for fold in works}
        per_fold[name] = {fold: mean_or_none(r['top1'] for r in
                                             runs.values())
                          for fold, runs in results.items()}
        means[name] = sum(per_fold[name].values()) / len(works)
        # last-epoch training top-1 where result.json has it
        train[name] = mean_or_none(r.get('train_top1') for runs in
                                   results.values() for r in runs.values())
    best = max(means, key=means.get)  # max keeps the first of a tie
    choices = read_choices(work)
    choices[kind] = dict(candidate=best, dev_top1=means, seeds=list(seeds),
                         train_top1=train)
    if folds:
        choices[kind]['fold_top1'] = per_fold
    write_choices(work, choices)
    return best, means


def adopt(source, work, kind):
    """Copy the choice of ``kind`` from ``SOURCE/choices.json`` into
    ``WORK/choices.json`` (marked with ``adopted_from``)."""
    chosen = read_choices(source)
    if kind not in chosen:
        raise CandidateError(f'{kind}: nothing chosen in '
                             f'{osp.join(source, "choices.json")}')
    choices = read_choices(work)
    choices[kind] = dict(chosen[kind], adopted_from=osp.abspath(source))
    write_choices(work, choices)
    return choices[kind]['candidate']


def ranking(choices):
    """Chosen methods, best development top-1 first."""
    methods = {kind: entry['dev_top1'][entry['candidate']]
               for kind, entry in choices.items()
               if kind not in (STUDENT, TEACHER)}
    return sorted(methods, key=lambda kind: -methods[kind])


def fold_top1(choices, which):
    """``(label, {fold: top-1})`` of ``KIND`` (its chosen candidate) or
    ``KIND@CANDIDATE`` from a ``choices.json`` chosen over folds."""
    kind, _, name = which.partition('@')
    if kind not in choices or 'fold_top1' not in choices[kind]:
        raise CandidateError(f'{kind}: not chosen over folds (run '
                             'run_dev_folds.sh, or choose --from)')
    name = name or choices[kind]['candidate']
    if name not in choices[kind]['fold_top1']:
        raise CandidateError(f'{kind} has no candidate {name!r}; its '
                             f'candidates: {", ".join(choices[kind]["fold_top1"])}')
    folds = choices[kind]['fold_top1'][name]
    return f'{kind}@{name}', {osp.basename(fold): top1
                              for fold, top1 in folds.items()}


def compare(choices, first, second):
    """Paired difference ``first - second`` over the folds of both
    (:func:`benchmark_stats.paired_difference`), and both labels and
    ``{fold: top-1}``."""
    (label_a, a), (label_b, b) = (fold_top1(choices, first),
                                  fold_top1(choices, second))
    try:
        return paired_difference(b, a), (label_a, a), (label_b, b)
    except ValueError as error:
        raise CandidateError(f'{label_a} vs {label_b}: {error}') from None


def fold_table(choices):
    """Markdown table of every candidate chosen over folds in a
    ``choices.json``: its development top-1 on each fold, the mean over the
    folds and seeds, and the mean last-epoch training top-1 (``-`` where a
    figure is missing); the chosen candidate of each kind in bold."""
    kinds = [kind for kind, entry in choices.items() if 'fold_top1' in entry]
    if not kinds:
        raise CandidateError('nothing chosen over folds (run '
                             'run_dev_folds.sh, or choose --from)')
    rows = [(kind, name, *fold_top1(choices, f'{kind}@{name}'))
            for kind in kinds for name in choices[kind]['fold_top1']]
    folds = list(dict.fromkeys(fold for *_, tops in rows for fold in tops))

    def cell(value):
        return '-' if value is None else f'{100 * value:.1f}'

    lines = ['| candidate | ' + ' | '.join(folds) +
             ' | mean over folds | training top-1 (mean) |',
             '|---|' + '---|' * (len(folds) + 2)]
    for kind, name, label, tops in rows:
        entry = choices[kind]
        if name == entry['candidate']:
            label = f'**{label}**'
        lines.append(
            f'| {label} | ' + ' | '.join(
                cell(tops.get(fold)) for fold in folds) +
            f' | {cell(entry["dev_top1"].get(name))} | '
            f'{cell(entry.get("train_top1", {}).get(name))} |')
    return '\n'.join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--candidates', default=CANDIDATES,
                        help='candidates file (default %(default)s)')
    commands = parser.add_subparsers(dest='command', required=True)
    names = commands.add_parser('names', help='candidate names of a kind')
    names.add_argument('kind')
    opts = commands.add_parser('options', help="a candidate's cfg-options")
    opts.add_argument('config')
    opts.add_argument('kind')
    opts.add_argument('name')
    recipe_from = opts.add_mutually_exclusive_group()
    recipe_from.add_argument('--work', help='development work dir (for a '
                             'method: the chosen student recipe)')
    recipe_from.add_argument('--recipe', help='for a method: this student '
                             'recipe of the list instead of a chosen one')
    pick = commands.add_parser('choose', help='pick and record the best')
    pick.add_argument('work')
    pick.add_argument('kind')
    pick.add_argument('--seeds', type=int, nargs='+', required=True)
    pick.add_argument('--from', dest='folds', nargs='+', metavar='FOLD',
                      help='average over these development work dirs '
                      '(one per development speaker) instead of WORK')
    chosen = commands.add_parser('chosen', help="the chosen candidate's "
                                 'cfg-options')
    chosen.add_argument('config')
    chosen.add_argument('work')
    chosen.add_argument('kind')
    copy = commands.add_parser('adopt', help="copy a choice from another "
                               "work dir's choices.json")
    copy.add_argument('source')
    copy.add_argument('work')
    copy.add_argument('kind')
    config = commands.add_parser('config', help="a teacher candidate's "
                                 'config file')
    config.add_argument('kind', choices=[TEACHER])
    config.add_argument('name')
    versus = commands.add_parser('compare', help='paired difference of two '
                                 'choices over their folds')
    versus.add_argument('work')
    versus.add_argument('first', help='KIND or KIND@CANDIDATE')
    versus.add_argument('second', help='KIND or KIND@CANDIDATE')
    rank = commands.add_parser('ranking', help='chosen methods, best first')
    rank.add_argument('work')
    table = commands.add_parser('table', help='Markdown table of every '
                                'candidate chosen over folds, fold by fold')
    table.add_argument('work')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        candidates = load_candidates(args.candidates)
        if args.command == 'names':
            print(' '.join(candidates_of(candidates, args.kind)))
        elif args.command == 'options':
            choices = ({STUDENT: {'candidate': args.recipe}} if args.recipe
                       else read_choices(args.work) if args.work else {})
            print(' '.join(options(candidates, args.config, args.kind,
                                   args.name, choices)))
        elif args.command == 'choose':
            best, means = choose(candidates, args.work, args.kind,
                                 args.seeds, args.folds)
            print(f'{args.kind}: chose {best} (' + ', '.join(
                f'{name} {100 * top1:.1f}%' for name, top1 in means.items())
                + ', mean development top-1)')
        elif args.command == 'chosen':
            choices = read_choices(args.work)
            if args.kind not in choices:
                raise CandidateError(f'{args.kind}: nothing chosen yet in '
                                     f'{osp.join(args.work, "choices.json")}')
            print(' '.join(options(candidates, args.config, args.kind,
                                   choices[args.kind]['candidate'], choices)))
        elif args.command == 'adopt':
            print(f'{args.kind}: {adopt(args.source, args.work, args.kind)} '
                  f'(chosen in {args.source})')
        elif args.command == 'config':
            print(candidate_of(candidates, args.kind,
                               args.name)['config'])
        elif args.command == 'compare':
            diff, (label_a, a), (label_b, b) = compare(
                read_choices(args.work), args.first, args.second)
            for fold in diff.seeds:
                print(f'{fold}: {label_a} {100 * a[fold]:.1f}%, {label_b} '
                      f'{100 * b[fold]:.1f}%, {100 * (a[fold] - b[fold]):+.1f}')
            print(f'{label_a} - {label_b} over {diff.n} folds: '
                  f'{100 * diff.mean:+.1f} +- {100 * diff.std:.1f} points, '
                  f'95% interval [{100 * diff.ci[0]:+.1f}, '
                  f'{100 * diff.ci[1]:+.1f}]')
        elif args.command == 'table':
            print(fold_table(read_choices(args.work)))
        else:
            print(' '.join(ranking(read_choices(args.work))))
    except CandidateError as error:
        sys.exit(f'error: {error}')


if __name__ == '__main__':
    main()
