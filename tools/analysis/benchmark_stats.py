"""Paired statistics of the benchmarks: each method against the student
without distillation over the same seeds (or, with ``--folds``, the same
development folds and seeds).

Importable (``paired_difference``, ``distillation_ratio``, ``rerun_spread``,
``is_gain``, ``t_quantile``) and a small CLI that reads the ``result.json``
files written by ``benchmark_report.py collect`` (``WORK_DIR/<name>_seed<N>/
result.json``; ``<name>`` is the method, ``student`` the baseline) and prints
a Markdown table. Example::

    python tools/analysis/benchmark_stats.py work_dirs/benchmark_avletters
    python tools/analysis/benchmark_stats.py work_dirs/bench/*/result.json \\
        --rerun work_dirs/bench_rerun --methods kd-kl trd
    python tools/analysis/benchmark_stats.py --folds \\
        work_dirs/msr_dev_folds/subject* --seeds 0 --methods kd-kl

A run with a ``train_accuracy.json`` beside its ``result.json``
(``train_accuracy.py``: its final model tested on its training list) adds a
column: the mean training top-1 of the method's runs, when every run has one.

The teacher's top-1 for the distillation ratio is, in this order: the one
the distilled runs logged, ``--teacher-top1``, or the ``teacher/result.json``
of the work folders given (the mean over folds).

Accuracies are used as stored (fractions in ``result.json``); the table
shows percentages. Pure Python: the Student-t quantile is computed from the
exact t distribution function for integer degrees of freedom.
"""
import argparse
import glob
import json
import math
import os.path as osp
import re
import sys
from collections import namedtuple

BASELINE = 'student'
RUN_NAME = re.compile(r'^(?P<method>.+)_seed(?P<seed>-?\d+)$')

PairedDifference = namedtuple('PairedDifference',
                              'mean std n ci seeds confidence')
PairedDifference.__doc__ = """Mean difference (method - baseline) over the
common seeds, its sample standard deviation, the number of pairs, the
``(low, high)`` t-interval of the mean, the seeds used and the level."""


def t_abs_cdf(t, df):
    """P(|T| <= t) of Student's t with integer ``df`` (t >= 0).

    Closed form of Abramowitz & Stegun 26.7.3-26.7.4 with
    ``theta = atan(t / sqrt(df))``.

    Args:
        t (float): A non-negative value.
        df (int): Degrees of freedom, a positive integer.

    Returns:
        float: The two-sided probability.
    """
    theta = math.atan(t / math.sqrt(df))
    cos2 = math.cos(theta)**2
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for k in range(2, df, 2):  # (1*3*..*(k-1)) / (2*4*..*k) cos^k
            term *= (k - 1) / k * cos2
            total += term
        return math.sin(theta) * total
    if df == 1:
        return 2 * theta / math.pi
    term = total = math.cos(theta)
    for k in range(3, df - 1, 2):  # (2*4*..*(k-1)) / (1*3*..*k) cos^k
        term *= (k - 1) / k * cos2
        total += term
    return 2 / math.pi * (theta + math.sin(theta) * total)


def t_quantile(p, df):
    """The ``p`` quantile of Student's t with integer ``df``.

    Bisection on :func:`t_abs_cdf` to machine precision.

    Args:
        p (float): Probability in (0, 1), e.g. 0.975.
        df (int): Degrees of freedom, a positive integer.

    Returns:
        float: ``t`` with ``P(T <= t) = p``.
    """
    if not 0 < p < 1:
        raise ValueError(f'probability {p} not in (0, 1)')
    if df < 1 or int(df) != df:
        raise ValueError(f'degrees of freedom must be a positive integer, '
                         f'got {df}')
    if p < 0.5:
        return -t_quantile(1 - p, df)
    target, low, high = 2 * p - 1, 0.0, 1.0
    while t_abs_cdf(high, int(df)) < target:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if t_abs_cdf(middle, int(df)) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def mean_std(values):
    """Mean and sample standard deviation (n - 1; 0 for one value)."""
    values = list(values)
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(
        sum((v - mean)**2 for v in values) / (len(values) - 1))


def common_seeds(first, second, least):
    """Sorted seeds of both dicts; ValueError if fewer than ``least``."""
    seeds = sorted(set(first) & set(second))
    if len(seeds) < least:
        raise ValueError(
            f'{len(seeds)} common seed(s) {seeds}, need at least {least} '
            f'(seeds {sorted(first)} and {sorted(second)})')
    return seeds


def paired_difference(baseline, method, confidence=0.95):
    """Paired difference method - baseline with a t confidence interval.

    Args:
        baseline (dict): ``{seed: accuracy}`` without distillation.
        method (dict): ``{seed: accuracy}`` of the method.
        confidence (float): Level of the two-sided interval.

    Returns:
        PairedDifference: Over the seeds present in both dicts only.

    Raises:
        ValueError: If fewer than 2 seeds are common.
    """
    seeds = common_seeds(baseline, method, 2)
    diffs = [method[s] - baseline[s] for s in seeds]
    mean, std = mean_std(diffs)
    half = t_quantile((1 + confidence) / 2, len(seeds) - 1) * std / \
        math.sqrt(len(seeds))
    return PairedDifference(mean, std, len(seeds), (mean - half, mean + half),
                            seeds, confidence)


def distillation_ratio(distilled_mean, baseline_mean, teacher_acc):
    """Share of the teacher's lead over the baseline that distillation
    recovers (AutoMM): ``(distilled - baseline) / (teacher - baseline)``.

    Args:
        distilled_mean (float): Mean accuracy of the distilled student.
        baseline_mean (float): Mean accuracy of the student without
            distillation (over the same seeds).
        teacher_acc (float): Accuracy of the teacher.

    Returns:
        tuple[float | None, str | None]: The ratio and None, or None and the
        reason when the teacher does not beat the baseline (the ratio is
        then undefined or meaningless).
    """
    lead = teacher_acc - baseline_mean
    if lead <= 0:
        return None, (f'teacher {teacher_acc:.4g} does not beat the '
                      f'baseline {baseline_mean:.4g}')
    return (distilled_mean - baseline_mean) / lead, None


def rerun_spread(run_a, run_b):
    """Absolute differences between two runs of the same seeds.

    Args:
        run_a (dict): ``{seed: accuracy}``.
        run_b (dict): ``{seed: accuracy}`` of a rerun.

    Returns:
        dict: ``n``, ``mean_abs`` and ``max_abs`` difference and ``seeds``,
        over the seeds of both runs.

    Raises:
        ValueError: If no seed is common.
    """
    seeds = common_seeds(run_a, run_b, 1)
    diffs = [abs(run_a[s] - run_b[s]) for s in seeds]
    return dict(n=len(seeds), mean_abs=sum(diffs) / len(diffs),
                max_abs=max(diffs), seeds=seeds)


def is_gain(ci):
    """True only if the interval ``(low, high)`` lies above 0."""
    return ci[0] > 0


def result_files(paths):
    """``result.json`` paths: files as given, folders' ``*/result.json``."""
    files = []
    for path in paths:
        if osp.isdir(path):
            files += sorted(glob.glob(osp.join(path, '*', 'result.json')))
        else:
            files.append(path)
    return files


def train_accuracy(run_dir):
    """Top-1 of a run's final model on its training list (its
    ``train_accuracy.json``, by ``train_accuracy.py``), else None."""
    path = osp.join(run_dir, 'train_accuracy.json')
    if not osp.isfile(path):
        return None
    with open(path) as file:
        return json.load(file)['top1']


def load_runs(paths, seeds=None):
    """Read ``result.json`` files of seeded runs.

    Args:
        paths (list[str]): Files or work folders (see :func:`result_files`);
            runs not named ``<method>_seed<N>`` (teachers) are skipped.
        seeds (list[int], optional): Keep only these seeds.

    Returns:
        dict: ``{method: {seed: result}}``.

    Raises:
        ValueError: If a method has the same seed twice.
    """
    runs = {}
    for path in result_files(paths):
        found = RUN_NAME.match(osp.basename(osp.dirname(osp.abspath(path))))
        if found is None:
            continue
        with open(path) as file:
            result = json.load(file)
        result['train_accuracy'] = train_accuracy(osp.dirname(path))
        seed = result.get('seed')
        seed = int(found['seed']) if seed is None else seed
        method = runs.setdefault(found['method'], {})
        if seed in method:
            raise ValueError(f'{path}: seed {seed} of {found["method"]} '
                             'given twice')
        method[seed] = result
    if seeds is None:
        return runs
    return {name: {seed: result for seed, result in method.items()
                   if seed in seeds} for name, method in runs.items()}


def load_fold_runs(folds, seeds=None):
    """:func:`load_runs` of each fold's work folder, paired by fold and seed.

    Args:
        folds (list[str]): Work folders, one per development fold.
        seeds (list[int], optional): Keep only these seeds.

    Returns:
        dict: ``{method: {'<fold>/<seed>': result}}``, ``<fold>`` the
        folder's name.

    Raises:
        ValueError: If two folds have the same folder name.
    """
    names = [osp.basename(osp.normpath(fold)) for fold in folds]
    if len(set(names)) < len(names):
        raise ValueError(f'folds {folds}: two have the same name')
    runs = {}
    for name, fold in zip(names, folds):
        for method, by_seed in load_runs([fold], seeds).items():
            for seed, result in by_seed.items():
                runs.setdefault(method, {})[f'{name}/{seed}'] = result
    return runs


def work_teacher_top1(paths):
    """Mean top-1 of the ``teacher/result.json`` of the work folders in
    ``paths`` that have one, else None."""
    values = []
    for path in paths:
        found = osp.join(path, 'teacher', 'result.json')
        if osp.isfile(found):
            with open(found) as file:
                values.append(json.load(file)['top1'])
    return sum(values) / len(values) if values else None


def top1(runs):
    """``{seed: top-1}`` of ``{seed: result}``."""
    return {seed: result['top1'] for seed, result in runs.items()}


def train_top1(runs):
    """Mean ``train_accuracy`` (final model on its training list) of
    ``{seed: result}``, or None unless every run has one."""
    values = [result.get('train_accuracy') for result in runs.values()]
    if not values or None in values:
        return None
    return sum(values) / len(values)


def teacher_top1(runs, default=None):
    """Mean ``teacher_top1`` of a method's runs, else ``default``."""
    values = [r['teacher_top1'] for r in runs.values()
              if r.get('teacher_top1') is not None]
    return sum(values) / len(values) if values else default


def is_student_recipe(name):
    """Whether run name ``name`` is the student without distillation:
    ``student`` or a variant of its recipe, ``student-<variant>`` (e.g.
    ``student-ls0.1``, label smoothing)."""
    return name == BASELINE or name.startswith(BASELINE + '-')


def method_row(name, runs, baseline, teacher=None, rerun=None,
               baseline_name=BASELINE):
    """Statistics of one method against the baseline.

    Args:
        name (str): Method name.
        runs (dict): ``{seed: top-1}`` of the method.
        baseline (dict): ``{seed: top-1}`` without distillation.
        teacher (float, optional): Teacher top-1 (no ratio without it).
        rerun (dict, optional): ``{seed: top-1}`` of a rerun of the method.
        baseline_name (str): The baseline's run name; its own row has no
            paired difference.

    Returns:
        dict: ``method``, ``is_baseline``, ``n``, ``mean``, ``std``,
        ``paired``
        (PairedDifference or None), ``paired_error``, ``ratio``,
        ``ratio_reason``, ``gain`` and ``rerun`` (or None each).
    """
    mean, std = mean_std(runs.values())
    row = dict(method=name, is_baseline=name == baseline_name, n=len(runs),
               mean=mean, std=std, paired=None,
               paired_error=None, ratio=None, ratio_reason=None, gain=None,
               teacher=teacher, rerun=None)
    if not row['is_baseline']:
        try:
            row['paired'] = paired_difference(baseline, runs)
            row['gain'] = is_gain(row['paired'].ci)
        except ValueError as error:
            row['paired_error'] = str(error)
        seeds = sorted(set(baseline) & set(runs))
        # the ratio of a distilled student against a student alone
        if teacher is not None and seeds and \
                is_student_recipe(baseline_name) and \
                not is_student_recipe(name):
            row['ratio'], row['ratio_reason'] = distillation_ratio(
                mean_std(runs[s] for s in seeds)[0],
                mean_std(baseline[s] for s in seeds)[0], teacher)
    if rerun:
        try:
            row['rerun'] = rerun_spread(runs, rerun)
        except ValueError:
            pass
    return row


def format_paired(row):
    """``+4.3 [-0.8, +9.5]`` (points), or why there is none."""
    paired = row['paired']
    if paired is None:
        return '—' if row.get('is_baseline') else 'n < 2 common seeds'
    low, high = paired.ci
    return (f'{100 * paired.mean:+.1f} [{100 * low:+.1f}, '
            f'{100 * high:+.1f}]')


def format_ratio(row):
    """The ratio with 2 decimals, or why there is none."""
    if row['ratio'] is not None:
        return f'{row["ratio"]:.2f}'
    if row['ratio_reason']:
        return 'n/a (teacher ≤ baseline)'
    return '—'


def baseline_label(name):
    """``no KD (student)`` for the student, else ``NAME (baseline)``."""
    return 'no KD (student)' if name == BASELINE else f'{name} (baseline)'


def markdown_table(rows):
    """Markdown table of :func:`method_row` rows (the baseline's first)."""
    rerun = any(row['rerun'] for row in rows)
    train = any(row.get('train') is not None for row in rows)
    label = baseline_label(rows[0]['method']).split(' (')[0]
    head = ('| Method | Seeds | Top-1 % (mean ± std) | Paired diff vs '
            f'{label}, points [95% CI] | Distillation ratio | Gain? |')
    lines = [head + (' Rerun |Δ| mean / max (points) |' if rerun else '') +
             (' Train top-1 % (final model) |' if train else ''),
             '|---|---|---|---|---|---|' + ('---|' if rerun else '') +
             ('---|' if train else '')]
    for row in rows:
        gain = {True: 'yes', False: 'no', None: '—'}[row['gain']]
        name = row['method']
        if row['is_baseline'] or name == BASELINE:
            name = baseline_label(name)
        line = (f'| {name} | {row["n"]} | {100 * row["mean"]:.1f} ± '
                f'{100 * row["std"]:.1f} | {format_paired(row)} | '
                f'{format_ratio(row)} | {gain} |')
        if rerun:
            spread = row['rerun']
            line += (f' {100 * spread["mean_abs"]:.1f} / '
                     f'{100 * spread["max_abs"]:.1f} (n={spread["n"]}) |'
                     if spread else ' — |')
        if train:
            line += (f' {100 * row["train"]:.1f} |'
                     if row.get('train') is not None else ' — |')
        lines.append(line)
    return '\n'.join(lines) + '\n'


def table(paths, methods=None, teacher=None, rerun_paths=None,
          baseline=BASELINE, folds=False, seeds=None):
    """Markdown table of the runs in ``paths`` (see :func:`load_runs`).

    Args:
        paths (list[str]): ``result.json`` files or work folders.
        methods (list[str], optional): Methods in this order (default: all
            found, sorted).
        teacher (float, optional): Teacher top-1 for methods whose runs
            logged none.
        rerun_paths (list[str], optional): A rerun of the same seeds.
        baseline (str): Run name the methods are compared with (default
            ``student``, no distillation; e.g. an online method to compare
            its offline variant with).
        folds (bool): ``paths`` are the work folders of development folds;
            runs pair by fold and seed (:func:`load_fold_runs`).
        seeds (list[int], optional): Use only these seeds.

    Returns:
        str: The table.
    """
    runs = (load_fold_runs if folds else load_runs)(paths, seeds)
    if teacher is None:
        teacher = work_teacher_top1(paths)
    if baseline not in runs:
        raise ValueError(f'no {baseline}_seed<N>/result.json among '
                         f'{paths}: the baseline is needed')
    reruns = load_runs(rerun_paths) if rerun_paths else {}
    names = [name for name in methods or sorted(runs) if name != baseline]
    missing = [name for name in names if name not in runs]
    if missing:
        raise ValueError(f'no runs of {missing}; found {sorted(runs)}')
    reference = top1(runs[baseline])
    rows = [method_row(name, top1(runs[name]), reference,
                       teacher_top1(runs[name], teacher),
                       top1(reruns.get(name, {})), baseline)
            for name in [baseline] + names]
    for row in rows:
        row['train'] = train_top1(runs[row['method']])
    return markdown_table(rows)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Paired statistics of benchmark runs against the '
        'student without distillation (Markdown table)')
    parser.add_argument('results', nargs='+',
                        help='result.json files or work folders')
    parser.add_argument('--methods', nargs='+',
                        help='methods in this order (default: all found)')
    parser.add_argument('--teacher-top1', type=float,
                        help='teacher top-1 (fraction) for runs that '
                        'logged none')
    parser.add_argument('--rerun', nargs='+',
                        help='result.json files or folders of a rerun of '
                        'the same seeds')
    parser.add_argument('--baseline', default=BASELINE,
                        help='run name to compare with (default: student, '
                        'no distillation)')
    parser.add_argument('--folds', action='store_true',
                        help='the results are development folds\' work '
                        'folders: pair runs by fold and seed')
    parser.add_argument('--seeds', type=int, nargs='+',
                        help='use only these seeds (default: all found)')
    parser.add_argument('--out', help='also write the table here')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        text = table(args.results, args.methods, args.teacher_top1,
                     args.rerun, args.baseline, args.folds, args.seeds)
    except ValueError as error:
        sys.exit(f'error: {error}')
    print(text, end='')
    if args.out:
        with open(args.out, 'w') as file:
            file.write(text)


if __name__ == '__main__':
    main()
