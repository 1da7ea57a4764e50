"""tools/run_demo.sh (README's first command) end to end, shortened to one
epoch: generated data, teacher, distillation, conversion, both tests and the
summary table."""
import json
import os
import subprocess

from conftest import REPO


def test_demo_script_runs_the_whole_journey(tmp_path):
    work = tmp_path / 'demo'
    result = subprocess.run(
        ['bash', 'tools/run_demo.sh'], cwd=REPO, capture_output=True,
        text=True, timeout=1500,
        env=dict(os.environ, EPOCHS='1', WORK_DIR=str(work)))
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-4000:]
    for stage in ('1/5 data', '2/5 teacher', '3/5 distillation',
                  '4/5 convert', '5/5 test'):
        assert f'== {stage}' in out
    assert 'loads the student strictly' in out
    assert 'dropped: teacher' in out
    summary = {m['name']: m for m in json.loads(
        (work / 'summary.json').read_text())}
    assert set(summary) == {'teacher', 'student'}
    assert all(0 <= m['top1'] <= 1 and m['latency_ms'] > 0
               for m in summary.values())
    assert summary['student']['params_m'] < summary['teacher']['params_m']
    assert 'fewer parameters' in out
