"""Bad distillation set-ups fail at build time with errors that name the
culprit: recorder sources, teacher checkpoints, class counts."""
import os.path as osp

import pytest
import torch
from conftest import REPO, run_python
from mmengine.registry import init_default_scope
from mmrazor.registry import MODELS

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.utils.checkpoints import TeacherCheckpointError

CFG = osp.join(REPO, 'configs/recognition/tsm/'
               'tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py')


def distill(source='cls_head.fc_cls', teacher_ckpt=None, teacher_classes=8):
    init_default_scope('mmaction')
    return MODELS.build(dict(
        _scope_='mmrazor',
        type='VideoDistill',
        architecture=dict(type='model_from_config', config=CFG),
        teacher=dict(type='model_from_config', config=CFG,
                     cfg_options={'model.cls_head.num_classes':
                                  teacher_classes}),
        teacher_ckpt=teacher_ckpt,
        distiller=dict(
            type='ConfigurableDistiller',
            student_recorders=dict(
                logits=dict(type='ModuleOutputs', source=source)),
            teacher_recorders=dict(
                logits=dict(type='ModuleOutputs', source='cls_head.fc_cls')),
            distill_losses=dict(loss_kl=dict(type='KLDivergence')),
            loss_forward_mappings=dict(loss_kl=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits'))))))


def test_wrong_recorder_source_lists_closest_names():
    with pytest.raises(KeyError, match='"cls_head.fc_clss" is not in.*fc_cls'):
        distill(source='cls_head.fc_clss')


def test_wrong_recorder_source_without_fix_is_a_bare_assert():
    result = run_python(
        'import sys; sys.path.insert(0, "tests"); '
        'sys.path.insert(0, "tests/test_robustness")\n'
        'from test_bad_distill_setup import distill\n'
        'distill(source="cls_head.fc_clss")',
        env={'MMRAZOR_VIDEO_KD_COMPAT': '-recorder_sources'})
    assert 'AssertionError: "cls_head.fc_clss" is not in the model' in \
        result.stderr


def test_class_count_mismatch_fails_before_training():
    with pytest.raises(ValueError, match='8 classes.*5 classes'):
        distill(teacher_classes=5)


def test_teacher_checkpoint_with_wrong_keys_is_refused(tmp_path):
    good = distill().teacher.state_dict()
    state = {k: v for k, v in good.items() if 'fc_cls' not in k}
    state['backbone.extra.weight'] = torch.zeros(1)
    path = tmp_path / 'teacher.pth'
    torch.save({'state_dict': state}, path)
    with pytest.raises(TeacherCheckpointError) as info:
        distill(teacher_ckpt=str(path))
    message = str(info.value)
    assert 'model.teacher_ckpt' in message and str(path) in message
    assert 'cls_head.fc_cls.weight' in message
    assert 'backbone.extra.weight' in message


def test_teacher_checkpoint_loads_strictly_when_it_fits(tmp_path):
    source = distill()
    path = tmp_path / 'teacher.pth'
    torch.save({'state_dict': source.teacher.state_dict()}, path)
    loaded = distill(teacher_ckpt=str(path))
    for key, value in source.teacher.state_dict().items():
        assert torch.equal(loaded.teacher.state_dict()[key], value)


@pytest.mark.parametrize('ckpt', [
    'no/such/teacher.pth', 'http://127.0.0.1:9/teacher.pth'])
def test_unreadable_teacher_checkpoint_names_the_config_key(ckpt):
    with pytest.raises(TeacherCheckpointError,
                       match=f'model.teacher_ckpt = {ckpt!r}'):
        distill(teacher_ckpt=ckpt)
