"""tools/analysis/run_msr_benchmark.sh end to end, shortened (1 epoch, two
seeds, development split): teacher, students without and with distillation
through the real entry points on the MSR Action3D skeletons, the paired
table written, a second call skips every finished run, and a work dir of
another split or teacher is refused (TEACHER=joints), as is a method without
a config for the teacher or a student variant without a config; a variant of
the student's recipe (BASELINES) trains beside the student and becomes the
table's baseline (BASELINE); the ensemble of networks with more input
(ensemble-joints-bones-motion) is trained, built, tested and distilled from
by two methods side by side (METHODS), and the costs of student and teacher
are measured. The default teacher's configs are checked in
tests/test_configs/test_msr_benchmark_configs.py."""
import json
import os
import subprocess

import pytest
from conftest import REPO
from mmengine.config import Config


def run(work, **env):
    """The script, shortened; the student's default recipe is the baseline
    and kd-kl the method unless ``env`` says otherwise (the script's
    defaults, the choices made on the folds, are checked in
    test_the_defaults_are_the_choices_made_on_the_folds)."""
    env = dict(os.environ, **dict(dict(EPOCHS='1', SEEDS='0 1', JOBS='2',
                                       METHODS='kd-kl', BASELINES=''),
                                  **env))
    return subprocess.run(
        ['bash', 'tools/analysis/run_msr_benchmark.sh', str(work)], cwd=REPO,
        env=env, capture_output=True, text=True, timeout=1500)


def student_training_top1(run_dir):
    """The share of the training list's sequences that the run's last
    checkpoint classifies correctly, counted here sample by sample with the
    model and dataset built from the dumped config."""
    import torch
    from mmaction.registry import DATASETS, MODELS
    from mmengine.registry import init_default_scope
    from mmengine.runner import load_checkpoint

    import mmrazor_video_kd  # noqa: F401
    cfg = Config.fromfile(next(run_dir.glob('*.py')))
    init_default_scope('mmaction')
    dataset = cfg.val_dataloader.dataset
    dataset.ann_file = cfg.train_dataloader.dataset.ann_file
    dataset.skip_invalid = True
    dataset = DATASETS.build(dataset)
    model = MODELS.build(cfg.model).eval()
    last = (run_dir / 'last_checkpoint').read_text().strip()
    load_checkpoint(model, str(run_dir / os.path.basename(last)))
    correct = 0
    with torch.no_grad():
        for index in range(len(dataset)):
            sample = dataset[index]
            data = model.data_preprocessor(
                dict(inputs=[sample['inputs']],
                     data_samples=[sample['data_samples']]))
            pred = model(**data, mode='predict')[0]
            correct += int(pred.pred_score.argmax() ==
                           sample['data_samples'].gt_label.item())
    return correct / len(dataset)


def test_msr_benchmark_runs_resumes_and_keeps_its_split(tmp_path):
    work = tmp_path / 'msr'
    first = run(work, SPLIT='dev', TEACHER='joints')
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    held_out = (work / 'splits' / 'dev_val_list.txt').read_text()
    assert {line.split('_')[1] for line in held_out.splitlines()} == {'s05'}
    runs = ['teacher', 'student_seed0', 'student_seed1', 'kd-kl_seed0',
            'kd-kl_seed1']
    for name in runs:
        result = json.loads((work / name / 'result.json').read_text())
        assert 0 <= result['top1'] <= 1, name
    teacher = json.loads((work / 'teacher' / 'result.json').read_text())
    assert 'stgcn_msr-action3d-joints.py' in teacher['config']
    kd = json.loads((work / 'kd-kl_seed0' / 'result.json').read_text())
    assert kd['teacher_top1'] == teacher['top1']  # the trained teacher
    assert 'distill.loss_kl' in kd['curves']
    # one validation, at the end of the single epoch
    assert (work / 'student_seed0.log').read_text().count(
        'Epoch(val) [1]') == 1
    table = (work / 'results.md').read_text()
    assert '| no KD (student) | 2 |' in table and '| kd-kl | 2 |' in table
    # each seeded run's final model tested on its training list
    assert 'Train top-1 % (final model) |' in table.splitlines()[0]
    for name in runs[1:]:
        train = json.loads((work / name / 'train_accuracy.json').read_text())
        assert train['ann_file'].endswith('splits/dev_train_list.txt')
    train = json.loads(
        (work / 'student_seed0' / 'train_accuracy.json').read_text())
    assert train['top1'] == pytest.approx(
        student_training_top1(work / 'student_seed0'), abs=1e-4)

    second = run(work, SPLIT='dev', TEACHER='joints')
    assert second.returncode == 0, second.stdout[-3000:]
    assert second.stdout.count('[done]') == len(runs)
    assert '[train]' not in second.stdout

    other = run(work, SPLIT='val', TEACHER='joints')
    assert other.returncode == 1
    assert "holds runs of 'dev subject 5'; this is 'val'" in other.stderr
    teacher = run(work, SPLIT='dev', TEACHER='joints-bones-motion')
    assert teacher.returncode == 1
    assert 'holds runs with TEACHER=joints; this is ' \
        'TEACHER=joints-bones-motion' in teacher.stderr
    method = run(work, SPLIT='dev', TEACHER='joints',
                 METHODS='kd-kl kd-kl-t1')
    assert method.returncode == 1
    assert "for method 'kd-kl-t1' with TEACHER=joints" in method.stderr
    assert not (work / 'kd-kl-t1_seed0').exists()
    variant = run(work, SPLIT='dev', TEACHER='joints',
                  BASELINES='student-ls0.1 student-ls0.9')
    assert variant.returncode == 1
    assert "for the student variant 'student-ls0.9'" in variant.stderr
    assert not (work / 'student-ls0.1_seed0').exists()
    unnamed = run(work, SPLIT='dev', TEACHER='joints', BASELINES='ls0.1')
    assert unnamed.returncode == 1
    assert "'ls0.1' is not named student-<variant>" in unnamed.stderr

    # a variant of the student's recipe trained beside it, then the
    # baseline every other row is compared with
    tuned = run(work, SPLIT='dev', TEACHER='joints',
                BASELINES='student-ls0.1', BASELINE='student-ls0.1')
    assert tuned.returncode == 0, tuned.stdout[-3000:] + tuned.stderr[-3000:]
    assert tuned.stdout.count('[train]') == 2
    for seed in (0, 1):
        dumped = next((work / f'student-ls0.1_seed{seed}').glob('*.py'))
        assert Config.fromfile(dumped).model.cls_head.label_smooth_eps == 0.1
    table = (work / 'results.md').read_text()
    assert 'Paired diff vs student-ls0.1' in table
    assert '| student-ls0.1 (baseline) | 2 |' in table
    assert '| no KD (student) | 2 |' in table and '| kd-kl | 2 |' in table


def run_with_ensemble(work, teacher, methods, member, ensemble):
    """The script on the development split (seed 0) with an ensemble
    TEACHER: its members trained from the config named ``member`` with
    seeds 100-102, the ensemble tested from the one named ``ensemble``."""
    done = run(work, SPLIT='dev', SEEDS='0', TEACHER=teacher,
               METHODS=methods)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for seed in (100, 101, 102):
        result = json.loads(
            (work / f'member_seed{seed}' / 'result.json').read_text())
        assert member in result['config'] and result['seed'] == seed
    result = json.loads((work / 'teacher' / 'result.json').read_text())
    assert ensemble in result['config']


def test_msr_benchmark_with_an_ensemble_teacher_with_more_input(tmp_path):
    work = tmp_path / 'msr'
    run_with_ensemble(work, 'ensemble-joints-bones-motion', 'kd-kl kd-kl-t1',
                      '/stgcn_msr-action3d-joints-bones-motion.py',
                      'ensemble3_stgcn_msr-action3d-joints-bones-motion.py')
    # tested once, on the 57 sequences of the development subject
    assert 'Epoch(test) [4/4]' in (work / 'teacher.log').read_text()
    kd = json.loads((work / 'kd-kl_seed0' / 'result.json').read_text())
    assert 'kd-kl_ensemble3-stgcn-joints-bones-motion_' in kd['config']
    assert 'distill.loss_kl' in kd['curves']
    dumped = next((work / 'kd-kl_seed0').glob('*.py'))  # MMEngine's dump
    assert Config.fromfile(dumped).model.teachers.teacher.ckpt == \
        f'{work}/teacher_ensemble.pth'
    t1 = json.loads((work / 'kd-kl-t1_seed0' / 'result.json').read_text())
    assert 'kd-kl-t1_ensemble3-stgcn-joints-bones-motion_' in t1['config']
    dumped = next((work / 'kd-kl-t1_seed0').glob('*.py'))
    assert Config.fromfile(dumped).model.distiller.distill_losses.loss_kl \
        .tau == 1
    # costs measured side by side, after the table
    table = (work / 'results.md').read_text()
    assert '| kd-kl | 1 |' in table and '| kd-kl-t1 | 1 |' in table
    assert '| teacher | 9.25 |' in table
    costs = json.loads((work / 'costs.json').read_text())
    assert costs['teacher']['input'] == [1, 1, 1, 32, 20, 12]


def test_msr_benchmark_with_the_label_smoothed_tiny_ensemble(tmp_path):
    work = tmp_path / 'msr'
    run_with_ensemble(
        work, 'ensemble-tiny-ls0.1-joints-bones-motion', 'kd-kl-t1-ls0.1',
        '/stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py',
        'ensemble3_stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py')
    dumped = Config.fromfile(next((work / 'kd-kl-t1-ls0.1_seed0').glob(
        '*.py')))
    assert dumped.model.teachers.teacher.ckpt == \
        f'{work}/teacher_ensemble.pth'
    assert dumped.model.distiller.distill_losses.loss_kl.tau == 1
    assert dumped.model.architecture.config.endswith(
        'student-ls0.1_stgcn-tiny_msr-action3d-joints.py')
    assert '| kd-kl-t1-ls0.1 | 1 |' in (work / 'results.md').read_text()
