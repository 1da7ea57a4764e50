"""tools/analysis/benchmark_candidates.py: the development-split candidates
of the AVLetters benchmark (every option names a key of its config, every
method gets the student's tuning budget) and the choice among them."""
import glob
import json

import pytest
from conftest import REPO, load_script, run_python
from mmengine.config import Config

tool = load_script('tools/analysis/benchmark_candidates.py')
BENCH = f'{REPO}/configs/benchmark/avletters'


@pytest.fixture(scope='module')
def candidates():
    return tool.load_candidates(f'{BENCH}/dev_candidates.yml')


def config_path(kind):
    if kind == 'student':
        name = 'tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py'
    else:
        # kd-kl_* is not kd-kl-single_*; a method distils into the student
        name = f'{kind}_*_tsm-mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py'
    path, = glob.glob(f'{BENCH}/{name}')
    return path


def test_each_method_gets_the_students_budget(candidates):
    budget = len(candidates['student'])
    assert budget >= 4
    for kind, own in candidates.items():
        if kind == 'teacher':  # teachers are not tuned against a budget
            continue
        assert len(own) == budget, kind
        # the first candidate is the config as it is
        assert not next(iter(own.values())), kind


def lookup(cfg, key):
    node = cfg
    for part in key.split('.'):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def test_every_option_names_an_existing_number(candidates):
    """Each option of each candidate (a method's on every recipe) replaces
    a number that is in its config: no typo adds an unused key."""
    choices = {}
    for recipe in candidates['student']:
        choices['student'] = dict(candidate=recipe)
        for kind, own in candidates.items():
            if kind == 'teacher':  # none in this list
                assert not own
                continue
            path = config_path(kind)
            cfg = Config.fromfile(path)
            for name in own:
                for option in tool.options(candidates, path, kind, name,
                                           choices):
                    key, value = option.split('=')
                    assert type(lookup(cfg, key)) in (int, float), \
                        (kind, name, key)


def test_recipe_options_for_student_and_distillation_configs(tmp_path):
    recipe = dict(epochs=60, lr=0.004)
    # the benchmark's configs keep the student's optimizer under
    # `architecture` (DistillOptimWrapperConstructor), the student's too
    expected = [
        'train_cfg.max_epochs=60', 'train_cfg.val_interval=60',
        'param_scheduler.0.T_max=60', 'param_scheduler.0.end=60',
        'optim_wrapper.architecture.optimizer.lr=0.004']
    for kind in ('student', 'trd'):
        assert tool.recipe_options(recipe, config_path(kind)) == expected
    # a plain optimizer wrapper
    plain = tmp_path / 'plain.py'
    plain.write_text("optim_wrapper = dict(optimizer=dict(type='SGD', "
                     'lr=0.1))\n')
    assert tool.recipe_options(dict(lr=0.01), str(plain)) == [
        'optim_wrapper.optimizer.lr=0.01']
    assert tool.recipe_options({}, config_path('trd')) == []


def test_label_smoothing_reaches_the_student_of_every_config():
    """A recipe's label smoothing sets the student's head in its own config
    and, through ``model_from_config``'s ``cfg_options``, the student of a
    distillation config; the built students smooth their labels."""
    import mmrazor_video_kd  # noqa: F401  (registers model_from_config)
    from mmengine.registry import MODELS, init_default_scope
    recipe = dict(label_smoothing=0.2)
    assert tool.recipe_options(recipe, config_path('student')) == [
        'model.cls_head.label_smooth_eps=0.2']
    assert tool.recipe_options(recipe, config_path('kd-kl')) == [
        'model.architecture.cfg_options.model.cls_head.label_smooth_eps=0.2']
    for kind, scope in (('student', 'mmaction'), ('kd-kl', 'mmrazor')):
        cfg = Config.fromfile(config_path(kind))
        option, = tool.recipe_options(recipe, config_path(kind))
        key, value = option.split('=')
        cfg.merge_from_dict({key: float(value)})
        init_default_scope(scope)
        model = MODELS.build(cfg.model)
        student = model if kind == 'student' else model.architecture
        assert student.cls_head.label_smooth_eps == 0.2, kind


def write(work, run, top1, train_top1=None):
    (work / run).mkdir(parents=True)
    (work / run / 'result.json').write_text(json.dumps(dict(
        top1=top1, train_top1=train_top1)))


def test_choose_best_mean_first_of_a_tie(tmp_path, candidates):
    work = tmp_path / 'dev'
    names = list(candidates['student'])
    tops = {names[0]: (.20, .30), names[1]: (.30, .20), names[2]: (.10, .20),
            names[3]: (.24, .25)}
    for name, (a, b) in tops.items():
        write(work, f'student@{name}_seed0', a, .5)
        write(work, f'student@{name}_seed1', b, .7)
    best, means = tool.choose(candidates, str(work), 'student', [0, 1])
    assert best == names[0]  # .25 ties with names[1]; listed first
    assert means[names[3]] == pytest.approx(.245)
    saved = json.loads((work / 'choices.json').read_text())
    assert saved['student']['candidate'] == names[0]
    assert saved['student']['seeds'] == [0, 1]
    assert saved['student']['train_top1'][names[0]] == pytest.approx(.6)

    trd = list(candidates['trd'])
    for index, name in enumerate(trd):
        write(work, f'trd@{name}_seed0', .1 * index)
        write(work, f'trd@{name}_seed1', .1 * index)
    best, _ = tool.choose(candidates, str(work), 'trd', [0, 1])
    assert best == trd[-1]
    choices = tool.read_choices(str(work))
    assert choices['trd']['train_top1'][trd[0]] is None  # not logged
    # a method trains on the chosen recipe, then its own options
    path = config_path('trd')
    assert tool.options(candidates, path, 'trd', best, choices) == \
        tool.recipe_options(candidates['student'][names[0]], path) + \
        candidates['trd'][trd[-1]]
    assert tool.ranking(choices) == ['trd']


def test_choose_over_folds_averages_every_fold(tmp_path, candidates):
    """Leave-one-speaker-out: the mean over folds decides, not one fold."""
    names = list(candidates['student'])
    folds = [tmp_path / 'Anya', tmp_path / 'Bill']
    tops = {names[0]: (.40, .02), names[1]: (.30, .20), names[2]: (.10, .10),
            names[3]: (.05, .05)}
    for name, (anya, bill) in tops.items():
        write(folds[0], f'student@{name}_seed0', anya, .8)
        write(folds[1], f'student@{name}_seed0', bill, .6)
    out = tmp_path / 'folds'
    best, means = tool.choose(candidates, str(out), 'student', [0],
                              [str(fold) for fold in folds])
    assert best == names[1]  # names[0] wins on Anya alone
    assert means[names[0]] == pytest.approx(.21)
    saved = json.loads((out / 'choices.json').read_text())['student']
    assert saved['fold_top1'][names[0]] == {str(folds[0]): .40,
                                             str(folds[1]): .02}
    assert saved['train_top1'][names[1]] == pytest.approx(.7)
    (folds[1] / f'student@{names[3]}_seed0' / 'result.json').unlink()
    with pytest.raises(tool.CandidateError, match='not trained yet: .*Bill'):
        tool.choose(candidates, str(out), 'student', [0],
                    [str(fold) for fold in folds])


def test_errors_name_the_culprit(tmp_path, candidates):
    work = tmp_path / 'dev'
    name = next(iter(candidates['student']))
    write(work, f'student@{name}_seed0', .2)
    with pytest.raises(tool.CandidateError, match='not trained yet: .*'
                       f'student@{name}_seed1'):
        tool.choose(candidates, str(work), 'student', [0, 1])
    path = config_path('trd')
    with pytest.raises(tool.CandidateError, match='choose the student'):
        tool.options(candidates, path, 'trd', 'w10', {})
    with pytest.raises(tool.CandidateError, match="no candidates for 'mm"):
        tool.options(candidates, path, 'mm-var', 'x', {})
    with pytest.raises(tool.CandidateError, match="no candidate 'w3'"):
        tool.options(candidates, path, 'trd', 'w3', {})
    bad = tmp_path / 'bad_candidates.py'
    bad.write_text("student = {'a': dict(epochs=3, momentum=0.9)}\n"
                   'methods = {}\n')
    with pytest.raises(tool.CandidateError,
                       match=r"recipe 'a' sets \['momentum'\]"):
        tool.load_candidates(str(bad))
    result = run_python(args=['tools/analysis/benchmark_candidates.py',
                              'chosen', path, str(work), 'trd'])
    assert result.returncode == 1
    assert 'trd: nothing chosen yet' in result.stderr


def test_cli_names_and_options(tmp_path):
    result = run_python(args=['tools/analysis/benchmark_candidates.py',
                              'names', 'student'])
    assert result.returncode == 0, result.stderr
    names = result.stdout.split()
    assert names[0] == '30e-lr2e-3' and '60e-lr4e-3' in names
    result = run_python(args=['tools/analysis/benchmark_candidates.py',
                              'options', config_path('student'), 'student',
                              '60e-lr4e-3'])
    assert result.stdout.split() == [
        'train_cfg.max_epochs=60', 'train_cfg.val_interval=60',
        'param_scheduler.0.T_max=60', 'param_scheduler.0.end=60',
        'optim_wrapper.architecture.optimizer.lr=0.004']


def test_cli_method_options_on_a_named_recipe():
    """``options --recipe``: a method candidate on a student recipe named
    by hand (no development work dir), recipe options first."""
    args = ['tools/analysis/benchmark_candidates.py', 'options',
            config_path('trd'), 'trd', 'w40']
    result = run_python(args=args + ['--recipe', '60e-lr4e-3'])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        'train_cfg.max_epochs=60', 'train_cfg.val_interval=60',
        'param_scheduler.0.T_max=60', 'param_scheduler.0.end=60',
        'optim_wrapper.architecture.optimizer.lr=0.004',
        'model.distiller.distill_losses.loss_trd.loss_weight=40.0']
    result = run_python(args=args + ['--recipe', '60e'])
    assert result.returncode == 1
    assert "student has no candidate '60e'" in result.stderr
    result = run_python(args=args + ['--recipe', '60e-lr4e-3', '--work',
                                     'w'])
    assert result.returncode == 2 and 'not allowed with' in result.stderr


def test_adopt_copies_a_choice_and_keeps_the_others(tmp_path):
    source, work = tmp_path / 'folds', tmp_path / 'dev'
    tool.write_choices(str(source), dict(student=dict(candidate='60e')))
    tool.write_choices(str(work), dict(trd=dict(candidate='w40')))
    assert tool.adopt(str(source), str(work), 'student') == '60e'
    choices = tool.read_choices(str(work))
    assert choices['student'] == dict(candidate='60e',
                                      adopted_from=str(source))
    assert choices['trd'] == dict(candidate='w40')
    with pytest.raises(tool.CandidateError, match='trd: nothing chosen in '
                       f'{source}'):
        tool.adopt(str(source), str(work), 'trd')


FOLD_LISTS = ('fold_candidates.yml', 'fold_teacher_candidates.yml',
              'fold_ls_teacher_candidates.yml')


def test_fold_recipes_are_development_recipes(candidates):
    """A recipe compared over folds under the name of a development recipe
    is that recipe; the recipe chosen over the first folds (60 epochs) is in
    every later fold list, as the reference the others are compared with."""
    for path in FOLD_LISTS:
        folds = tool.load_candidates(f'{BENCH}/{path}')
        assert set(folds) == {'student', 'teacher'}, path
        assert folds['student']['60e-lr2e-3'] == dict(epochs=60), path
        for name, recipe in folds['student'].items():
            if name in candidates['student']:
                assert candidates['student'][name] == recipe, name
    assert len(tool.load_candidates(f'{BENCH}/fold_candidates.yml')
               ['student']) >= 2


# options that a distillation config passes on to its student's config
PASSED_ON = 'model.architecture.cfg_options.'


def test_teacher_candidates_cost_3x_the_student():
    """Each single-network teacher candidate trains its own config (which
    the recipe's options fit) and costs at least 3x the student's
    multiply-adds; a distilled one is costed as the network it trains."""
    report = load_script('tools/analysis/benchmark_report.py')
    teachers = {}
    # the methods' list adds the candidate distilled from the ensemble
    for path in FOLD_LISTS + ('fold_method_candidates.yml',):
        teachers.update(tool.load_candidates(f'{BENCH}/{path}')['teacher'])
    assert len(teachers) >= 3
    for name, recipe in teachers.items():
        config = Config.fromfile(f'{REPO}/{recipe["config"]}')
        # distilled: the network it trains is the distillation's student
        network = config.model.get('architecture', dict(config=None))
        network = (Config.fromfile(network['config']) if network['config']
                   else config)
        for option in tool.recipe_options(recipe, recipe['config']):
            key, value = option.split('=')
            target = config
            if key.startswith(PASSED_ON):  # to the distillation's student
                target, key = network, key[len(PASSED_ON):]
            assert type(lookup(target, key)) in (int, float), (name, key)
        config = network
        costs = report.model_costs(
            dict(student=(config_path('student'), 8),
                 teacher=(config.filename,
                          config.model.backbone.num_segments)), repeats=1)
        ratio = costs['teacher']['gflops'] / costs['student']['gflops']
        assert ratio >= 3, (name, ratio)


def test_teacher_candidates_need_a_config(tmp_path):
    bad = tmp_path / 'bad_candidates.py'
    bad.write_text("student = {'a': dict(epochs=3)}\n"
                   "teacher = {'big': dict(epochs=3, config='nowhere.py')}\n"
                   'methods = {}\n')
    with pytest.raises(tool.CandidateError,
                       match="teacher 'big' needs a 'config'.*'nowhere.py'"):
        tool.load_candidates(str(bad))
    bad.write_text("student = {'a': dict(epochs=3)}\n"
                   "teacher = {'big': dict(frames=16)}\nmethods = {}\n")
    with pytest.raises(tool.CandidateError,
                       match=r"teacher recipe 'big' sets \['frames'\]"):
        tool.load_candidates(str(bad))


def test_compare_teacher_and_student_over_folds(tmp_path):
    """Paired difference of the chosen teacher and student over the folds
    (hand-computed: differences +.10, +.20, +.00; mean .10, std .10,
    t(0.975, 2) = 4.303 -> half-width .2484)."""
    tops = dict(Anya=(.20, .30), Bill=(.10, .30), Faye=(.30, .30))
    work = tmp_path / 'folds'
    choices = dict(
        student=dict(candidate='60e', fold_top1=dict(
            **{'60e': {str(tmp_path / f): s for f, (s, _) in tops.items()}},
            **{'30e': {str(tmp_path / f): .0 for f in tops}})),
        teacher=dict(candidate='16f', fold_top1={'16f': {
            str(tmp_path / f): t for f, (_, t) in tops.items()}}),
        trd=dict(candidate='w10', dev_top1=dict(w10=.3)))
    tool.write_choices(str(work), choices)
    diff, (label_a, a), (label_b, b) = tool.compare(
        choices, 'teacher', 'student')
    assert (label_a, label_b) == ('teacher@16f', 'student@60e')
    assert a['Bill'] == .30 and b['Bill'] == .10
    assert diff.mean == pytest.approx(.10) and diff.n == 3
    assert diff.ci == pytest.approx((.10 - .2484, .10 + .2484), abs=1e-4)
    diff, *_ = tool.compare(choices, 'student@60e', 'student@30e')
    assert diff.mean == pytest.approx(.20)
    with pytest.raises(tool.CandidateError, match='trd: not chosen over'):
        tool.compare(choices, 'trd', 'student')
    with pytest.raises(tool.CandidateError, match="no candidate '90e'"):
        tool.compare(choices, 'student@90e', 'student')
    assert tool.ranking(choices) == ['trd']
    result = run_python(args=['tools/analysis/benchmark_candidates.py',
                              'compare', str(work), 'teacher', 'student'])
    assert result.returncode == 0, result.stderr
    assert 'Bill: teacher@16f 30.0%, student@60e 10.0%, +20.0' in \
        result.stdout
    assert ('teacher@16f - student@60e over 3 folds: +10.0 +- 10.0 points, '
            '95% interval [-14.8, +34.8]') in result.stdout


def test_fold_table_lists_every_candidate_fold_by_fold(tmp_path):
    """One row per candidate chosen over folds (the chosen one in bold): its
    top-1 on each fold (found by the fold's name, whichever work dir held
    it), the recorded mean and training top-1, '-' where one is missing."""
    choices = dict(
        student=dict(candidate='60e', dev_top1={'60e': .25, '30e': .1},
                     train_top1={'60e': .7, '30e': None}, fold_top1={
                         '60e': {'/a/folds/Anya': .2, '/a/folds/Bill': .3},
                         '30e': {'/a/folds/Anya': .1, '/a/folds/Bill': .1}}),
        trd=dict(candidate='w40', dev_top1={'w10': .15, 'w40': .35},
                 fold_top1={'w10': {'/b/Anya': .2, '/b/Bill': .1},
                            'w40': {'/b/Anya': .3, '/b/Bill': .4,
                                    '/b/Faye': .35}}),
        kd=dict(candidate='t4', dev_top1=dict(t4=.3)))
    assert tool.fold_table(choices).splitlines() == [
        '| candidate | Anya | Bill | Faye | mean over folds '
        '| training top-1 (mean) |',
        '|---|---|---|---|---|---|',
        '| **student@60e** | 20.0 | 30.0 | - | 25.0 | 70.0 |',
        '| student@30e | 10.0 | 10.0 | - | 10.0 | - |',
        '| trd@w10 | 20.0 | 10.0 | - | 15.0 | - |',
        '| **trd@w40** | 30.0 | 40.0 | 35.0 | 35.0 | - |']
    work = tmp_path / 'folds'
    tool.write_choices(str(work), dict(kd=choices['kd']))
    result = run_python(args=['tools/analysis/benchmark_candidates.py',
                              'table', str(work)])
    assert result.returncode == 1
    assert 'error: nothing chosen over folds' in result.stderr
