"""SingleTeacherValLoop: a frozen teacher evaluated once, always (MMRazor's
SingleTeacherDistillValLoop) or never."""
import os.path as osp

import pytest
from conftest import REPO
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

import mmrazor_video_kd  # noqa: F401

CONFIG = osp.join(
    REPO, 'configs/distill/logits_kd/'
    'kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py')


class ValRecorder(Hook):
    """Records the metrics and the val hooks called in each validation."""

    def __init__(self):
        self.metrics, self.calls = [], []

    def before_val_epoch(self, runner):
        self.calls.append('before_val_epoch')

    def after_val_iter(self, runner, batch_idx, data_batch=None,
                       outputs=None):
        self.calls.append(f'after_val_iter {batch_idx}')

    def after_val_epoch(self, runner, metrics=None):
        self.metrics.append(dict(metrics))


def count_eval_forwards(module, algorithm):
    """A list that grows by one at each forward of ``module`` outside
    training (``algorithm`` in eval mode)."""
    calls = []
    module.register_forward_hook(
        lambda *_: None if algorithm.training else calls.append(1))
    return calls


def build_runner(avletters, tmp_path, val_cfg, epochs=3, **options):
    """The logits-KD AVLetters config on 2 training and 4 validation clips,
    validating every epoch with ``val_cfg``."""
    cfg = Config.fromfile(CONFIG)
    cfg.merge_from_dict({
        'work_dir': str(tmp_path),
        'model.teacher_ckpt': None,
        'train_cfg.max_epochs': epochs,
        'default_hooks.checkpoint': None,
        'custom_hooks': [],
        **{f'{split}_dataloader.{key}': value
           for split in ('train', 'val') for key, value in (
               ('batch_size', 2), ('num_workers', 0),
               ('persistent_workers', False),
               ('dataset.data_prefix', dict(
                   video=osp.join(avletters, 'videos'))))},
        'train_dataloader.dataset.ann_file':
        osp.join(avletters, 'train_list.txt'),
        'train_dataloader.dataset.indices': 2,
        'val_dataloader.dataset.ann_file': osp.join(avletters,
                                                    'val_list.txt'),
        'val_dataloader.dataset.indices': [0, 40, 80, 120],
        **options})
    cfg.val_cfg = val_cfg
    runner = Runner.from_cfg(cfg)
    recorder = ValRecorder()
    runner.register_hook(recorder)
    return runner, recorder


def test_once_evaluates_the_teacher_at_the_first_validation_only(
        avletters, tmp_path):
    runner, recorder = build_runner(avletters, tmp_path, dict(
        type='mmrazor.SingleTeacherValLoop', evaluate_teacher='once'))
    teacher = count_eval_forwards(runner.model.teacher, runner.model)
    student = count_eval_forwards(runner.model.student, runner.model)
    runner.train()

    batches = 2  # 4 validation clips in batches of 2
    assert len(recorder.metrics) == 3
    assert len(student) == 3 * batches
    assert len(teacher) == batches
    first = recorder.metrics[0]
    assert {'acc/top1', 'teacher.acc/top1'} <= set(first)
    teacher_keys = {k for k in first if k.startswith('teacher.')}
    assert {k[len('teacher.'):] for k in teacher_keys} == \
        set(first) - teacher_keys
    for metrics in recorder.metrics[1:]:
        assert set(metrics) == set(first)
        assert {k: metrics[k] for k in teacher_keys} == \
            {k: first[k] for k in teacher_keys}


def test_always_keeps_mmrazor_behaviour(avletters, tmp_path):
    runner, recorder = build_runner(avletters, tmp_path, dict(
        type='mmrazor.SingleTeacherDistillValLoop'))
    teacher = count_eval_forwards(runner.model.teacher, runner.model)
    results = {}
    for loop in (dict(type='mmrazor.SingleTeacherDistillValLoop'),
                 dict(type='mmrazor.SingleTeacherValLoop',
                      evaluate_teacher='always')):
        val_loop = runner.build_val_loop(loop)
        del teacher[:], recorder.calls[:], recorder.metrics[:]
        returned = [val_loop.run(), val_loop.run()]
        results[loop['type']] = (len(teacher), list(recorder.calls),
                                 list(recorder.metrics), returned)
    upstream = results['mmrazor.SingleTeacherDistillValLoop']
    ours = results['mmrazor.SingleTeacherValLoop']
    assert upstream[0] == 2 * 2  # 2 validations x 2 batches
    assert ours[:3] == upstream[:3]
    assert ours[3] == upstream[2]  # and run() returns the metrics


def test_never_reports_student_metrics_only(avletters, tmp_path):
    runner, recorder = build_runner(avletters, tmp_path, dict(
        type='mmrazor.SingleTeacherValLoop', evaluate_teacher='never'))
    teacher = count_eval_forwards(runner.model.teacher, runner.model)
    metrics = runner.val()
    assert teacher == []
    assert 'acc/top1' in metrics
    assert not any(key.startswith('teacher.') for key in metrics)


@pytest.mark.parametrize('value, options, message', [
    ('sometimes', {}, "evaluate_teacher must be one of"),
    ('once', {'model.teacher_trainable': True}, 'teacher_trainable=True'),
])
def test_bad_evaluate_teacher_is_named(avletters, tmp_path, value, options,
                                       message):
    runner, _ = build_runner(avletters, tmp_path, dict(
        type='mmrazor.SingleTeacherValLoop', evaluate_teacher=value),
        **options)
    with pytest.raises(ValueError, match=message) as error:
        runner.val()
    assert 'SingleTeacherValLoop' in str(error.value)
