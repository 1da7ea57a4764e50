"""MultiTeacherValLoop: the student and every teacher are validated, each
on its own view."""
import os.path as osp

import pytest
import torch
from conftest import REPO
from mmengine.config import Config
from mmengine.runner import Runner

import mmrazor_video_kd  # noqa: F401

CONFIG = osp.join(
    REPO, 'configs/benchmark/avletters/fewer-frames_ensemble3-tsm-'
    'mobilenetv2-w0.5_tsm-mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py')


def build_runner(avletters, tmp_path, **val_cfg):
    """The fewer-frames config validating 6 clips (batches of 3) with
    ``MultiTeacherValLoop(**val_cfg)``: the student on 8 frames, the
    teacher on 16."""
    cfg = Config.fromfile(CONFIG)
    views_pipeline = cfg.train_pipeline[:-2] + [
        dict(type='TemporalStrideViews', stride=2,
             views=dict(student=[0], teacher=[0, 1])),
        dict(type='PackActionInputs', collect_keys=('student', 'teacher'))]
    views_pipeline[1] = dict(type='SampleFrames', clip_len=1,
                             frame_interval=1, num_clips=16, test_mode=True)
    views_pipeline[4] = dict(type='CenterCrop', crop_size=48)
    cfg.merge_from_dict({
        'work_dir': str(tmp_path),
        'val_cfg': dict(type='mmrazor.MultiTeacherValLoop'),
        'val_dataloader.num_workers': 0,
        'val_dataloader.persistent_workers': False,
        'val_dataloader.batch_size': 3,
        'val_dataloader.dataset.ann_file':
        osp.join(avletters, 'val_list.txt'),
        'val_dataloader.dataset.data_prefix':
        dict(video=osp.join(avletters, 'videos')),
        'val_dataloader.dataset.indices': list(range(0, 156, 26)),
        'val_dataloader.dataset.pipeline': views_pipeline,
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
    })
    cfg.val_cfg = dict(type='mmrazor.MultiTeacherValLoop', **val_cfg)
    return Runner.from_cfg(cfg)


def count_forwards(module):
    """A list that grows by one at each forward of ``module``."""
    calls = []
    module.register_forward_hook(lambda *_: calls.append(1))
    return calls


def test_student_and_teacher_metrics_on_their_views(avletters, tmp_path):
    runner = build_runner(avletters, tmp_path)
    frames = {}
    for name, model in (('student', runner.model.student),
                        ('teacher', runner.model.teachers['teacher'])):
        model.register_forward_pre_hook(
            lambda m, args, name=name: frames.setdefault(name, []).append(
                args[0].shape[1]))
    metrics = runner.val()
    assert set(frames['student']) == {8} and set(frames['teacher']) == {16}
    assert {'acc/top1', 'teacher.acc/top1'} <= set(metrics)

    # the teacher's metric is its own accuracy on its view
    loader = runner.val_dataloader
    correct = total = 0
    with torch.no_grad():
        for batch in loader:
            for sample in runner.model.teacher_predict('teacher', batch):
                correct += int(sample.pred_score.argmax() == sample.gt_label)
                total += 1
    assert total == 6
    assert abs(metrics['teacher.acc/top1'] - correct / total) < 1e-6


def test_once_evaluates_the_teachers_at_the_first_validation_only(
        avletters, tmp_path):
    runner = build_runner(avletters, tmp_path, evaluate_teacher='once')
    teacher = count_forwards(runner.model.teachers['teacher'])
    student = count_forwards(runner.model.student)
    results = [runner.val() for _ in range(3)]
    assert len(student) == 3 * 2  # 3 validations x 2 batches
    assert len(teacher) == 2
    assert 'teacher.acc/top1' in results[0]
    assert results[1] == results[2] == results[0]  # the student is unchanged


def test_always_and_never(avletters, tmp_path):
    runner = build_runner(avletters, tmp_path, evaluate_teacher='always')
    teacher = count_forwards(runner.model.teachers['teacher'])
    first, second = runner.val(), runner.val()
    assert len(teacher) == 2 * 2 and first == second
    never = runner.build_val_loop(dict(type='mmrazor.MultiTeacherValLoop',
                                       evaluate_teacher='never'))
    del teacher[:]
    metrics = never.run()
    assert teacher == []
    assert metrics == {k: v for k, v in first.items()
                       if not k.startswith('teacher.')}


def test_unknown_evaluate_teacher_is_named(avletters, tmp_path):
    runner = build_runner(avletters, tmp_path, evaluate_teacher='twice')
    with pytest.raises(ValueError, match='MultiTeacherValLoop: '
                       'val_cfg.evaluate_teacher must be one of'):
        runner.val()
