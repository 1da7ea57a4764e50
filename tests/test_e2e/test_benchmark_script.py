"""tools/analysis/run_benchmark.sh end to end, shortened (1 epoch, one
seed, two methods): every stage runs through the real entry points on the
AVLetters videos, the report is written, and a second call skips every
finished stage. In between, an offline method (``kd-kl-stored``) is added
on 16 of the clips (to keep it cheap): the script precomputes the
teacher's outputs into the work dir's store once and trains from it."""
import json
import os
import os.path as osp
import subprocess

from conftest import REPO


def run_benchmark(work, publish, avletters, methods='kd-kl fewer-frames'):
    env = dict(EPOCHS='1', SEEDS='0', METHODS=methods,
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

    # the offline method, on 16 training and 8 validation clips
    few = tmp_path / 'few_clips'
    few.mkdir()
    os.symlink(osp.join(avletters, 'videos'), few / 'videos')
    for name, count in (('train_list.txt', 16), ('val_list.txt', 8)):
        with open(osp.join(avletters, name)) as file:
            (few / name).write_text(''.join(file.readlines()[:count]))
    methods = 'kd-kl fewer-frames kd-kl-stored'
    offline = run_benchmark(work, publish, str(few), methods)
    assert offline.returncode == 0, \
        offline.stdout[-3000:] + offline.stderr[-3000:]
    assert offline.stdout.count('[train]') == 1  # kd-kl-stored_seed0 only
    assert offline.stdout.count('[precompute]') == 1
    store = work / 'teacher_store' / 'kd-kl-stored'
    assert (work / 'teacher_store' / 'kd-kl-stored.done').is_file()
    assert list(store.glob('*/*.shard'))  # <fingerprint>/: shards, json
    assert list(store.glob('*/teacher.json'))
    stored = json.loads(
        (work / 'kd-kl-stored_seed0' / 'result.json').read_text())
    assert 0 <= stored['top1'] <= 1
    assert stored['teacher_top1'] is None  # plain val loop: no teacher
    assert 'distill.loss_kl' in stored['curves']
    assert '| kd-kl-stored |' in (publish / 'results.md').read_text()

    second = run_benchmark(work, publish, str(few), methods)
    assert second.returncode == 0, second.stdout[-3000:]
    assert second.stdout.count('[done]') == len(runs) + 2  # + store, run
    assert '[train]' not in second.stdout and '[test]' not in second.stdout
    assert '[precompute]' not in second.stdout
