"""tools/analysis/run_benchmark.sh end to end, shortened (1 epoch, one
seed, two methods): every stage runs through the real entry points on the
AVLetters videos, the report is written, and a second call skips every
finished stage."""
import json
import os
import os.path as osp
import subprocess

from conftest import REPO


def run_benchmark(work, publish, avletters):
    env = dict(EPOCHS='1', SEEDS='0', METHODS='kd-kl fewer-frames',
               DATA_ROOT=avletters, PUBLISH_DIR=str(publish),
               METAFILE=str(publish / 'metafile.yml'))
    return subprocess.run(
        ['bash', 'tools/analysis/run_benchmark.sh', str(work)], cwd=REPO,
        env=dict(os.environ, **env), capture_output=True, text=True,
        timeout=1500)


def test_benchmark_script_runs_every_stage_and_resumes(tmp_path, avletters):
    work, publish = tmp_path / 'bench', tmp_path / 'publish'
    first = run_benchmark(work, publish, avletters)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    runs = ['member_seed100', 'member_seed101', 'member_seed102',
            'teacher_8frames', 'teacher_16frames', 'student_seed0',
            'kd-kl_seed0', 'fewer-frames_seed0']
    for run in runs:
        result = json.loads((work / run / 'result.json').read_text())
        assert 0 <= result['top1'] <= 1, run
    kd = json.loads((work / 'kd-kl_seed0' / 'result.json').read_text())
    assert kd['teacher_top1'] is not None  # distillation val loop
    assert 'distill.loss_kl' in kd['curves']
    assert osp.isfile(work / 'teacher_ensemble.pth')
    table = (publish / 'results.md').read_text()
    assert '| kd-kl |' in table and '| fewer-frames |' in table
    assert '16 frames' in table
    assert 'Top 1 Accuracy without KD' in (publish / 'metafile.yml').read_text()
    for plot in ('accuracy.png', 'training_curves.png'):
        assert (publish / plot).read_bytes()[:4] == b'\x89PNG'
    second = run_benchmark(work, publish, avletters)
    assert second.returncode == 0, second.stdout[-3000:]
    assert second.stdout.count('[done]') == len(runs)
    assert '[train]' not in second.stdout and '[test]' not in second.stdout
