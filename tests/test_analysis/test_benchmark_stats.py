"""tools/analysis/benchmark_stats.py against hand-computed values: the
Student-t quantile, paired differences with their 95% interval, the
distillation ratio, the rerun spread, and the Markdown table of a work
folder of result.json files."""
import json
import math

import pytest
from conftest import load_script, run_python

stats = load_script('tools/analysis/benchmark_stats.py')

BASELINE = {0: 20, 1: 22, 2: 21}
METHOD = {0: 25, 1: 24, 2: 27}


@pytest.mark.parametrize('df,expected', [(1, 12.706), (2, 4.303),
                                         (3, 3.182), (4, 2.776),
                                         (5, 2.571), (9, 2.262),
                                         (10, 2.228), (29, 2.045),
                                         (30, 2.042), (120, 1.980)])
def test_t_quantile_matches_tables(df, expected):
    # two-sided 95% critical values of the usual t tables
    assert stats.t_quantile(0.975, df) == pytest.approx(expected, abs=6e-4)


def test_t_quantile_closed_forms_and_symmetry():
    # df 1: Cauchy, tan(pi (p - 1/2)); df 2: t = (2p-1) sqrt(2 / (1-(2p-1)^2))
    for p in (0.6, 0.9, 0.975, 0.999):
        assert stats.t_quantile(p, 1) == pytest.approx(
            math.tan(math.pi * (p - 0.5)), rel=1e-12)
        a = 2 * p - 1
        assert stats.t_quantile(p, 2) == pytest.approx(
            a * math.sqrt(2 / (1 - a * a)), rel=1e-12)
        assert stats.t_quantile(1 - p, 7) == -stats.t_quantile(p, 7)
    assert stats.t_quantile(0.5, 3) == pytest.approx(0, abs=1e-12)
    for bad in ((0, 3), (1, 3), (0.975, 0), (0.975, 2.5)):
        with pytest.raises(ValueError):
            stats.t_quantile(*bad)


def test_t_quantile_matches_scipy():
    scipy_stats = pytest.importorskip('scipy.stats')
    for df in range(1, 41):
        for p in (0.55, 0.9, 0.95, 0.975, 0.995):
            assert stats.t_quantile(p, df) == pytest.approx(
                scipy_stats.t.ppf(p, df), rel=1e-10)


def test_paired_difference_by_hand():
    # diffs 5, 2, 6: mean 13/3, sd sqrt(7/3), t_{0.975,2} = 4.3027
    paired = stats.paired_difference(BASELINE, METHOD)
    assert paired.n == 3 and paired.seeds == [0, 1, 2]
    assert paired.mean == pytest.approx(4.3333, abs=1e-4)
    assert paired.std == pytest.approx(2.0817, abs=1e-4)
    assert paired.ci == pytest.approx((-0.838, 9.504), abs=1e-3)
    assert not stats.is_gain(paired.ci)
    assert paired.confidence == 0.95


def test_paired_difference_uses_common_seeds_only():
    method = {**METHOD, 7: 90}
    baseline = {**BASELINE, 8: 0}
    assert stats.paired_difference(baseline, method) == \
        stats.paired_difference(BASELINE, METHOD)
    paired = stats.paired_difference({0: 1, 1: 2}, {0: 3, 1: 4, 2: 0})
    # identical differences: zero width
    assert paired.mean == 2 and paired.std == 0 and paired.ci == (2, 2)
    assert stats.is_gain(paired.ci)


def test_paired_difference_needs_two_common_seeds():
    with pytest.raises(ValueError, match=r'1 common seed\(s\) \[0\]'):
        stats.paired_difference({0: 1, 1: 2}, {0: 3, 2: 4})
    with pytest.raises(ValueError, match='0 common'):
        stats.paired_difference({}, {})


def test_wider_interval_at_higher_confidence():
    low95, high95 = stats.paired_difference(BASELINE, METHOD).ci
    low99, high99 = stats.paired_difference(BASELINE, METHOD, 0.99).ci
    assert low99 < low95 and high99 > high95


def test_is_gain_needs_lower_bound_above_zero():
    assert stats.is_gain((0.1, 2))
    assert not stats.is_gain((0.0, 2))
    assert not stats.is_gain((-0.1, 2))
    assert not stats.is_gain((-3, -1))


def test_distillation_ratio():
    assert stats.distillation_ratio(0.30, 0.20, 0.40) == (
        pytest.approx(0.5), None)
    assert stats.distillation_ratio(0.45, 0.20, 0.40)[0] == pytest.approx(
        1.25)  # beyond the teacher
    assert stats.distillation_ratio(0.15, 0.20, 0.40)[0] == pytest.approx(
        -0.25)
    for teacher in (0.20, 0.10):
        ratio, reason = stats.distillation_ratio(0.3, 0.2, teacher)
        assert ratio is None and 'does not beat the baseline 0.2' in reason


def test_rerun_spread():
    spread = stats.rerun_spread({0: 0.20, 1: 0.30, 2: 0.25},
                                {0: 0.22, 1: 0.25, 5: 0.9})
    assert spread['n'] == 2 and spread['seeds'] == [0, 1]
    assert spread['mean_abs'] == pytest.approx(0.035)
    assert spread['max_abs'] == pytest.approx(0.05)
    with pytest.raises(ValueError, match='0 common'):
        stats.rerun_spread({0: 1}, {1: 1})


def write_run(root, name, top1, seed=None, teacher=None):
    run = root / name
    run.mkdir(parents=True)
    (run / 'result.json').write_text(json.dumps(dict(
        config='c.py', seed=seed, top1=top1, teacher_top1=teacher,
        curves={})))


@pytest.fixture
def work(tmp_path):
    work = tmp_path / 'bench'
    for seed in BASELINE:
        write_run(work, f'student_seed{seed}', BASELINE[seed] / 100, seed)
        write_run(work, f'kd-kl_seed{seed}', METHOD[seed] / 100, seed, 0.30)
    for seed, top1 in ((0, 0.21), (1, 0.23)):
        write_run(work, f'trd_seed{seed}', top1, seed, 0.18)
    write_run(work, 'fewer-frames_seed0', 0.5, 0, 0.30)
    write_run(work, 'teacher_8frames', 0.30)
    return work


def test_table_from_work_folder(work):
    lines = stats.table([str(work)]).splitlines()
    assert lines[0].startswith('| Method | Seeds | Top-1 % (mean ± std) |')
    assert lines[2] == ('| no KD (student) | 3 | 21.0 ± 1.0 | — | — '
                        '| — |')
    # ratio: (0.25333 - 0.21) / (0.30 - 0.21)
    assert lines[4] == ('| kd-kl | 3 | 25.3 ± 1.5 | +4.3 [-0.8, +9.5] | '
                        '0.48 | no |')
    # diffs +1, +1 over seeds 0, 1: zero width; teacher below baseline
    assert lines[5] == ('| trd | 2 | 22.0 ± 1.4 | +1.0 [+1.0, +1.0] | '
                        'n/a (teacher ≤ baseline) | yes |')
    assert lines[3] == ('| fewer-frames | 1 | 50.0 ± 0.0 | n < 2 common '
                        'seeds | 3.00 | — |')
    assert len(lines) == 6  # teacher_8frames is no seeded run


def test_table_files_order_teacher_and_rerun(work, tmp_path):
    rerun = tmp_path / 'rerun'
    write_run(rerun, 'kd-kl_seed0', 0.27, 0)
    write_run(rerun, 'kd-kl_seed1', 0.24, 1)
    files = [str(p) for p in sorted(work.glob('*_seed*/result.json'))]
    text = stats.table(files, methods=['trd', 'kd-kl'], teacher=0.5,
                       rerun_paths=[str(rerun)])
    lines = text.splitlines()
    assert lines[0].endswith('| Rerun |Δ| mean / max (points) |')
    assert [line.split(' | ')[0] for line in lines[2:]] == [
        '| no KD (student)', '| trd', '| kd-kl']
    assert lines[4].endswith('| no | 1.0 / 2.0 (n=2) |')
    assert lines[2].endswith(' — |')
    # the runs' own teacher_top1 wins over --teacher-top1
    assert '| 0.48 |' in lines[4]


def test_errors(work, tmp_path):
    with pytest.raises(ValueError, match='baseline is needed'):
        stats.table([str(work / 'kd-kl_seed0' / 'result.json')])
    with pytest.raises(ValueError, match=r"no runs of \['mm-var'\]"):
        stats.table([str(work)], methods=['mm-var'])
    with pytest.raises(ValueError, match='seed 0 of kd-kl given twice'):
        stats.table([str(work), str(work / 'kd-kl_seed0' / 'result.json')])


def test_cli(work, tmp_path):
    out = tmp_path / 'table.md'
    result = run_python(args=['tools/analysis/benchmark_stats.py',
                              str(work), '--methods', 'kd-kl', '--out',
                              str(out)])
    assert result.returncode == 0, result.stderr
    assert '| kd-kl | 3 | 25.3 ± 1.5 | +4.3 [-0.8, +9.5] |' in result.stdout
    assert out.read_text() == result.stdout
    result = run_python(args=['tools/analysis/benchmark_stats.py',
                              str(tmp_path / 'nothing')])
    assert result.returncode == 1 and 'baseline is needed' in result.stderr


def test_table_against_another_baseline(work, tmp_path):
    # an offline variant against its online method: trd (21, 23) against
    # kd-kl (25, 24) on seeds 0, 1; diffs -4, -1: mean -2.5, sd 2.121,
    # half width 12.706 * 2.121 / sqrt(2) = 19.06
    lines = stats.table([str(work)], methods=['trd'],
                        baseline='kd-kl').splitlines()
    assert 'Paired diff vs kd-kl, points [95% CI]' in lines[0]
    assert lines[2] == '| kd-kl (baseline) | 3 | 25.3 ± 1.5 | — | — | — |'
    # no distillation ratio against a distilled baseline
    assert lines[3] == ('| trd | 2 | 22.0 ± 1.4 | -2.5 [-21.6, +16.6] | '
                        '— | no |')
    result = run_python(args=['tools/analysis/benchmark_stats.py',
                              str(work), '--baseline', 'kd-kl'])
    assert result.returncode == 0, result.stderr
    assert '| no KD (student) | 3 |' in result.stdout  # a method now
    assert '| kd-kl (baseline) |' in result.stdout


def write_fold(root, name, runs, teacher):
    """A development fold's work folder: ``runs`` {run name: (top1, seed)}
    and ``teacher/result.json`` (the distilled runs log no teacher)."""
    fold = root / name
    for run, (top1, seed) in runs.items():
        write_run(fold, run, top1, seed)
    write_run(fold, 'teacher', teacher)
    return str(fold)


@pytest.fixture
def folds(tmp_path):
    return [write_fold(tmp_path, 'subject1',
                       {'student_seed0': (0.50, 0), 'kd-kl_seed0': (0.56, 0),
                        'student_seed1': (0.40, 1), 'kd-kl_seed1': (0.60, 1)},
                       0.70),
            write_fold(tmp_path, 'subject3',
                       {'student_seed0': (0.60, 0), 'kd-kl_seed0': (0.62, 0)},
                       0.80)]


def test_folds_pair_by_fold_and_seed(folds):
    runs = stats.load_fold_runs(folds, seeds=[0])
    assert sorted(runs['kd-kl']) == ['subject1/0', 'subject3/0']
    lines = stats.table(folds, folds=True, seeds=[0]).splitlines()
    # student 50, 60: 55.0 +- 7.1; kd-kl 56, 62; diffs +6, +2: mean +4,
    # sd sqrt(8), half width 12.706 * sqrt(8) / sqrt(2) = 25.41; teacher:
    # mean of the folds' teacher/result.json 0.75, ratio 4 / 20
    assert lines[2] == '| no KD (student) | 2 | 55.0 ± 7.1 | — | — | — |'
    assert lines[3] == ('| kd-kl | 2 | 59.0 ± 4.2 | +4.0 [-21.4, +29.4] | '
                        '0.20 | no |')
    # every seed: three pairs (subject1/0, subject1/1, subject3/0)
    assert '| kd-kl | 3 |' in stats.table(folds, folds=True)
    # the same seed in two folds is two pairs, not a clash
    with pytest.raises(ValueError, match='given twice'):
        stats.table(folds, folds=False)


def test_folds_need_distinct_names(folds, tmp_path):
    other = write_fold(tmp_path / 'again', 'subject1',
                       {'student_seed0': (0.5, 0)}, 0.7)
    with pytest.raises(ValueError, match='two have the same name'):
        stats.load_fold_runs([folds[0], other])


def test_teacher_from_work_folder_and_seed_filter(folds):
    # one work folder: its teacher/result.json (0.70) gives the ratio;
    # --seeds 1: student 40, kd-kl 60 -> one pair only
    text = stats.table([folds[0]])
    assert '| kd-kl | 2 | 58.0 ± 2.8 | +13.0 [-75.9, +101.9] | 0.52 | no |' \
        in text  # (0.58 - 0.45) / (0.70 - 0.45)
    text = stats.table([folds[0]], teacher=0.5)  # --teacher-top1 wins
    assert '| 2.60 |' in text
    text = stats.table([folds[0]], seeds=[1])
    assert '| kd-kl | 1 | 60.0 ± 0.0 | n < 2 common seeds | 0.67 | — |' \
        in text


def test_cli_folds(folds, tmp_path):
    out = tmp_path / 'folds.md'
    result = run_python(args=['tools/analysis/benchmark_stats.py',
                              '--folds', *folds, '--seeds', '0',
                              '--methods', 'kd-kl', '--out', str(out)])
    assert result.returncode == 0, result.stderr
    assert '| kd-kl | 2 | 59.0 ± 4.2 | +4.0 [-21.4, +29.4] |' \
        in out.read_text()


def test_table_against_a_tuned_student_recipe(work):
    # the student alone with label smoothing (23, 22, 24) as the baseline:
    # kd-kl (25, 24, 27) diffs +2, +2, +3: mean 2.333, sd 0.577, half
    # width 4.303 * 0.577 / sqrt(3) = 1.434; ratio (0.2533 - 0.23) /
    # (0.30 - 0.23) = 0.33. The default student (20, 22, 21): diffs -3, 0,
    # -3: mean -2, sd 1.732, half width 4.303; no ratio (no teacher in it).
    for seed, top1 in ((0, 0.23), (1, 0.22), (2, 0.24)):
        write_run(work, f'student-ls0.1_seed{seed}', top1, seed)
    lines = stats.table([str(work)], methods=['student', 'kd-kl'],
                        baseline='student-ls0.1').splitlines()
    assert 'Paired diff vs student-ls0.1, points [95% CI]' in lines[0]
    assert lines[2] == ('| student-ls0.1 (baseline) | 3 | 23.0 ± 1.0 | — '
                        '| — | — |')
    assert lines[3] == ('| no KD (student) | 3 | 21.0 ± 1.0 | '
                        '-2.0 [-6.3, +2.3] | — | no |')
    assert lines[4] == ('| kd-kl | 3 | 25.3 ± 1.5 | +2.3 [+0.9, +3.8] | '
                        '0.33 | yes |')
    # a variant of the student against the student: no ratio either
    row = stats.table([str(work)], methods=['student-ls0.1']).splitlines()[3]
    assert row == ('| student-ls0.1 | 3 | 23.0 ± 1.0 | +2.0 [-2.3, +6.3] '
                   '| — | no |')


def test_training_accuracy_column_when_every_run_has_one(work):
    # student (0.9, 0.8, 1.0): 90.0; kd-kl lacks seed 2's: no figure
    for seed, train in ((0, 0.9), (1, 0.8), (2, 1.0)):
        (work / f'student_seed{seed}' / 'train_accuracy.json').write_text(
            json.dumps(dict(top1=train)))
        if seed < 2:
            (work / f'kd-kl_seed{seed}' / 'train_accuracy.json').write_text(
                json.dumps(dict(top1=1.0)))
    lines = stats.table([str(work)], methods=['kd-kl']).splitlines()
    assert lines[0].endswith(' Gain? | Train top-1 % (final model) |')
    assert lines[1] == '|---|---|---|---|---|---|---|'
    assert lines[2] == ('| no KD (student) | 3 | 21.0 ± 1.0 | — | — '
                        '| — | 90.0 |')
    assert lines[3].endswith('| no | — |')
