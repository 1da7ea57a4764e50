"""tools/run_demo.sh (README's first command) end to end, shortened to one
epoch: generated data, teacher, student alone, distillation, conversion, the
three tests and the summary table."""
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
    for stage in ('1/6 data', '2/6 teacher', '3/6 student alone',
                  '4/6 distillation', '5/6 convert', '6/6 test'):
        assert f'== {stage}' in out
    assert 'loads the student strictly' in out
    assert 'dropped: teacher' in out
    summary = {m['name']: m for m in json.loads(
        (work / 'summary.json').read_text())}
    assert list(summary) == ['teacher', 'alone', 'distilled']
    assert all(0 <= m['top1'] <= 1 and m['latency_ms'] > 0
               for m in summary.values())
    # the teacher sees 16 frames, both students every 2nd of them
    assert summary['teacher']['input_shape'][1] == 16
    for student in ('alone', 'distilled'):
        assert summary[student]['input_shape'][1] == 8
        assert summary[student]['params_m'] < summary['teacher']['params_m']
    assert summary['alone']['params_m'] == summary['distilled']['params_m']
    for name in summary:  # the printed table has the three rows
        assert f'\n{name} ' in out
    assert 'fewer parameters' in out
