"""tools/analysis/accuracy_vs_epochs.py on hand-written logged scalars (no
training): the table's means, stds and paired intervals against values
computed here, a resumed run's two sessions read as one curve, and clear
errors for runs that validated once or at other epochs."""
import json
import math

import pytest
from conftest import load_script

tool = load_script('tools/analysis/accuracy_vs_epochs.py')


def write_session(run, session, entries):
    vis = run / session / 'vis_data'
    vis.mkdir(parents=True)
    (vis / 'scalars.json').write_text(
        ''.join(json.dumps(entry) + '\n' for entry in entries))


def write_run(work, name, val, train_key='top1_acc'):
    """A run with two training batches logged per epoch (top-1 0.5 and
    the epoch's validation value) and a validation at each epoch of
    ``val``."""
    entries = []
    for epoch, top1 in sorted(val.items()):
        for value in (0.5, top1):
            entries.append({train_key: value, 'loss': 1.0, 'epoch': epoch,
                            'step': epoch})
        entries.append({'acc/top1': top1, 'teacher.acc/top1': 0.9,
                        'step': epoch})
    write_session(work / name, '20260101_000000', entries)


STUDENT = {0: {10: 0.2, 20: 0.4}, 1: {10: 0.3, 20: 0.5},
           2: {10: 0.1, 20: 0.6}}
KD = {0: {10: 0.3, 20: 0.4}, 1: {10: 0.5, 20: 0.6}, 2: {10: 0.2, 20: 0.8}}


@pytest.fixture
def work(tmp_path):
    for seed in STUDENT:
        write_run(tmp_path, f'student_seed{seed}', STUDENT[seed])
        write_run(tmp_path, f'kd-kl_seed{seed}', KD[seed],
                  train_key='student.top1_acc')
    return tmp_path


def test_table_means_stds_and_paired_intervals(work):
    curves = tool.load_curves(str(work), ['student', 'kd-kl'], [0, 1, 2])
    assert curves['kd-kl'][1] == {10: 0.5, 20: 0.6}  # not the teacher's
    lines = tool.markdown(curves).splitlines()
    assert lines[0] == ('| epoch | no KD top-1 | kd-kl top-1 | '
                        'kd-kl - no KD [95% CI] |')
    # epoch 10: student 20/30/10 -> 20.0 ± 10.0; kd 30/50/20 -> 33.3 ± 15.3;
    # differences 10/20/10: mean 13.33, std 5.77, t(0.975, 2) = 4.303
    half = 4.302653 * (100 * math.sqrt(1 / 300)) / math.sqrt(3)
    low, high = 40 / 3 - half, 40 / 3 + half
    assert lines[2] == (f'| 10 | 20.0 ± 10.0 | 33.3 ± 15.3 | +13.3 '
                        f'[{low:+.1f}, {high:+.1f}] |')
    assert lines[3].startswith('| 20 | 50.0 ± 10.0 | 60.0 ± 20.0 | +10.0 ')


def test_one_seed_gives_no_paired_column(work):
    lines = tool.markdown(tool.load_curves(str(work), ['student', 'kd-kl'],
                                           [1])).splitlines()
    assert lines[0] == '| epoch | no KD top-1 | kd-kl top-1 |'
    assert lines[2] == '| 10 | 30.0 ± 0.0 | 50.0 ± 0.0 |'


def test_train_curve_is_the_mean_of_each_epochs_batches(work):
    assert tool.train_top1_by_epoch(str(work / 'kd-kl_seed1')) == {
        10: pytest.approx(0.5), 20: pytest.approx(0.55)}


def test_a_resumed_run_is_read_across_its_sessions(tmp_path):
    run = tmp_path / 'student_seed0'
    write_session(run, '20260101_000000', [{'acc/top1': 0.1, 'step': 10}])
    write_session(run, '20260102_000000', [{'acc/top1': 0.3, 'step': 20}])
    assert tool.val_curve(str(run)) == {10: 0.1, 20: 0.3}


def test_runs_validated_once_or_at_other_epochs_are_refused(tmp_path):
    write_run(tmp_path, 'student_seed0', {60: 0.3})
    with pytest.raises(ValueError, match=r'student_seed0: validated only '
                       r'at epoch 60; rerun .* VAL_INTERVAL'):
        tool.load_curves(str(tmp_path), ['student'], [0])
    write_run(tmp_path, 'student_seed1', {10: 0.1, 20: 0.3})
    write_run(tmp_path, 'student_seed2', {10: 0.1, 30: 0.3})
    with pytest.raises(ValueError, match=r'student_seed2: validated at '
                       r'epochs \[10, 30\], other runs at \[10, 20\]'):
        tool.load_curves(str(tmp_path), ['student'], [1, 2])
    with pytest.raises(ValueError, match='student_seed7: no logged'):
        tool.load_curves(str(tmp_path), ['student'], [7])


def test_cli_writes_table_and_plot(work, capsys):
    out = work / 'curve'
    tool.main([str(work), '--methods', 'kd-kl', '--seeds', '0', '1', '2',
               '--out', str(out)])
    assert (work / 'curve.md').read_text() == capsys.readouterr().out
    assert (work / 'curve.png').stat().st_size > 0
