"""benchmark_teacher_store.py precomputes a store, trains the student and the
stored config from it and prints its tables with finite numbers; the
ratios and the warm-up rule of its summary."""
import json
import math

import pytest
from conftest import load_script, run_python

SCRIPT = 'tools/analysis/benchmark_teacher_store.py'


def table_rows(stdout, header):
    """Cells of the rows of the Markdown table whose header starts with
    ``header``."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith('|'):
            break
        rows.append([cell.strip() for cell in line.strip('|').split('|')])
    return rows


def numbers(cells):
    """The numeric values in ``cells`` (``a-b`` ranges split)."""
    values = []
    for cell in cells:
        for part in cell.split('-') if cell[:1].isdigit() else [cell]:
            try:
                values.append(float(part))
            except ValueError:
                pass
    return values


def test_tiny_run_prints_finite_tables(tmp_path, avletters):
    out = tmp_path / 'result.json'
    result = run_python(
        args=[
            SCRIPT, '--epochs', '1', '--rounds', '1', '--skip-online',
            '--batch-size', '2', '--num-workers', '0', '--work-dir',
            str(tmp_path / 'work'), '--project-kinetics', '--kinetics-batch',
            '1', '--kinetics-repeats', '1', '--kinetics-crop', '32', '--out',
            str(out), '--cfg-options', 'train_dataloader.dataset.indices=4'
        ],
        env=dict(OMP_NUM_THREADS='1', MKL_NUM_THREADS='1'),
        timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    stdout = result.stdout
    epochs = table_rows(stdout, '| configuration |')
    assert [row[0] for row in epochs] == ['student only',
                                          'stored teacher outputs']
    assert 'ratio to student-only' in stdout
    for row in epochs:
        assert all(math.isfinite(v) and v >= 0 for v in numbers(row[1:]))
    assert float(epochs[0][4]) == 1.0
    r = json.loads(out.read_text())
    stored, student = (r['epochs'][k]['epoch_s']
                       for k in ('stored teacher outputs', 'student only'))
    assert float(epochs[1][4]) == pytest.approx(stored / student, abs=1e-3)
    assert r['precompute']['views'] == 16 and r['precompute']['clips'] == 4
    [pre] = table_rows(stdout, '| precompute wall s |')
    assert pre[4] == 'n/a (--skip-online)'
    assert float(pre[-1]) == pytest.approx(r['store_bytes'] / 4, abs=1)
    kinetics = table_rows(stdout, '| storage |')
    assert len(kinetics) == 4 and all(row[1] == '961' for row in kinetics)
    for row in kinetics:
        assert all(math.isfinite(v) and v > 0 for v in numbers(row[1:]))
    assert len(table_rows(stdout, '| threads |')) >= 1
    assert 'NOT measured' in stdout


def test_summary_ratios_leave_out_first_epochs():
    bench = load_script(SCRIPT)
    summary = bench.summarize_runs({
        'student only': [{1: 9.0, 2: 2.0, 3: 4.0}, {1: 9.0, 2: 3.0, 3: 3.0}],
        'stored teacher outputs': [{1: 5.0, 2: 6.0}, {1: 7.0, 2: 6.6}],
        'online teacher': [{1: 30.0}, {1: 40.0}],
    })
    student = summary['student only']
    assert (student['epoch_s'], student['min_s'], student['max_s'],
            student['first_s'], student['ratio']) == (3.0, 2.0, 4.0, 9.0, 1.0)
    assert summary['stored teacher outputs']['ratio'] == pytest.approx(2.1)
    # a run of one epoch is measured by that epoch
    assert summary['online teacher']['epoch_s'] == 35.0
    assert summary['online teacher']['measured'] == 2
