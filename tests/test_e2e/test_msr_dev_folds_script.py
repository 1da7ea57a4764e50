"""tools/analysis/run_msr_dev_folds.sh end to end, shortened (1 epoch, one
seed, two held-out subjects side by side, one of them subject 9 with the
all-zero sequence): each fold trains on the other
training subjects and validates on its own, the paired table pairs the runs
by fold and seed and takes the ratio's teacher from the folds' teachers, a
second call skips every finished run, and a failed fold stops the script
with its log named."""
import json
import os
import subprocess

from conftest import REPO


def run(work, **env):
    env = dict(os.environ, **dict(dict(
        EPOCHS='1', SEEDS='0', JOBS='1', SUBJECTS='1 9', FOLDS_AT_ONCE='2',
        TEACHER='joints', METHODS='kd-kl', BASELINES=''), **env))
    return subprocess.run(
        ['bash', 'tools/analysis/run_msr_dev_folds.sh', str(work)], cwd=REPO,
        env=env, capture_output=True, text=True, timeout=1500)


def held_out(fold):
    lines = (fold / 'splits' / 'dev_val_list.txt').read_text().splitlines()
    return {line.split('_')[1] for line in lines}


def test_msr_dev_folds_run_pair_and_resume(tmp_path):
    work = tmp_path / 'folds'
    first = run(work)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert held_out(work / 'subject1') == {'s01'}
    # subject 9 holds the all-zero a13_s09_e02: skipped in validation
    assert held_out(work / 'subject9') == {'s09'}
    teachers = []
    for subject in (1, 9):
        fold = work / f'subject{subject}'
        for name in ('student_seed0', 'kd-kl_seed0'):
            result = json.loads((fold / name / 'result.json').read_text())
            assert 0 <= result['top1'] <= 1
        teachers.append(json.loads(
            (fold / 'teacher' / 'result.json').read_text())['top1'])
    table = (work / 'results.md').read_text()
    # one seed, two folds: two pairs
    assert '| no KD (student) | 2 |' in table and '| kd-kl | 2 |' in table
    assert table in first.stdout

    second = run(work)
    assert second.returncode == 0, second.stdout[-3000:]
    for subject in (1, 9):
        log = (work / f'subject{subject}.log').read_text()
        assert log.count('[done]') == 3 and '[train]' not in log

    wrong = run(work, SUBJECTS='2')  # a test subject cannot be held out
    assert wrong.returncode == 1
    assert 'subject2.log' in wrong.stdout and 'is not in' in wrong.stdout
    assert '1 fold(s) failed' in wrong.stderr
