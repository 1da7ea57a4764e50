"""VideoDistill, the distillation core: MMRazor's loss, frozen teachers in
eval mode, StopDistillHook for every algorithm, strict student
checkpoints."""
import logging
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from conftest import REPO, load_script
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmrazor.engine.hooks import StopDistillHook
from mmrazor.models.algorithms import SingleTeacherDistill
from mmrazor.registry import MODELS

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.models.algorithms import (StudentCheckpointError,
                                                VideoDistill)

CFG = osp.join(REPO, 'configs/recognition/tsm/'
               'tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py')
R18 = osp.join(REPO,
               'configs/recognition/tsm/tsm_r18_1x1x8_20e_motions-rgb.py')


def config(algorithm='VideoDistill', **kwargs):
    """Logits and feature distillation, TSM-R18 into TSM-MobileNetV2."""
    return dict(
        _scope_='mmrazor', type=algorithm,
        architecture=dict(type='model_from_config', config=CFG),
        teacher=dict(type='model_from_config', config=R18),
        distiller=dict(
            type='ConfigurableDistiller',
            student_recorders=dict(
                logits=dict(type='ModuleOutputs', source='cls_head.fc_cls')),
            teacher_recorders=dict(
                logits=dict(type='ModuleOutputs', source='cls_head.fc_cls')),
            distill_losses=dict(
                loss_kl=dict(type='KLDivergence', tau=4, loss_weight=0.7)),
            loss_forward_mappings=dict(loss_kl=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))),
        **kwargs)


def build(algorithm='VideoDistill', **kwargs):
    init_default_scope('mmaction')
    return MODELS.build(config(algorithm, **kwargs))


def batch(model, labels=True):
    g = torch.Generator().manual_seed(0)
    samples = [ActionDataSample() for _ in range(2)]
    if labels:
        samples = [s.set_gt_label(i) for i, s in enumerate(samples)]
    data = dict(inputs=[torch.randint(0, 256, (8, 3, 32, 32), generator=g,
                                      dtype=torch.uint8) for _ in range(2)],
                data_samples=samples)
    data = model.data_preprocessor(data, True)
    return data['inputs'], data['data_samples']


def test_loss_equals_mmrazor_single_teacher_distill():
    """Same weights and batch: the same losses as MMRazor's own
    SingleTeacherDistill.loss (eval mode, so no dropout in either)."""
    ours = build()
    torch.manual_seed(1)
    theirs = build('SingleTeacherDistill')
    assert type(theirs) is SingleTeacherDistill
    theirs.load_state_dict(ours.state_dict())
    ours.eval()
    theirs.eval()
    inputs, samples = batch(ours)
    expected = theirs.loss(inputs, samples)
    losses = ours.loss(inputs, samples)
    assert set(losses) == set(expected)
    assert {'student.loss_cls', 'distill.loss_kl'} <= set(losses)
    for key, value in expected.items():
        torch.testing.assert_close(losses[key], value, msg=key)
    assert losses['distill.loss_kl'] > 0


def test_frozen_teacher_stays_in_eval_mode():
    """MMRazor's train() leaves a frozen teacher's dropout active."""
    mmrazor = build('SingleTeacherDistill')
    mmrazor.train()
    assert mmrazor.teacher.cls_head.dropout.training
    model = build()
    assert model.train() is model
    assert not any(m.training for m in model.teacher.modules())
    assert model.student.cls_head.dropout.training
    assert not any(p.requires_grad for p in model.teacher.parameters())
    trainable = build(teacher_trainable=True).train()
    assert trainable.teacher.cls_head.dropout.training


def inplace(model):
    return {name for name, m in model.named_modules()
            if getattr(m, 'inplace', False)}


def test_no_inplace_activation_in_any_algorithm(tmp_path):
    """MMRazor's guard against in-place activations overwriting recorded
    outputs, for teachers and student; ``*_inplace=True`` keeps them."""
    helpers = load_script('tests/test_models/test_multi_teacher_distill.py')
    for model in (build(), helpers.build(),
                  build('CachedTeacherDistill', cache_dir=str(tmp_path))):
        assert inplace(model) == set(), type(model).__name__
    kept = build(module_inplace=True, teacher_module_inplace=True)
    assert 'backbone.conv1.activate' in inplace(kept.teacher)
    assert 'backbone.conv1.activate' in inplace(kept.student)


def test_label_free_training_needs_no_labels():
    model = build(calculate_student_loss=False).train()
    inputs, samples = batch(model, labels=False)
    losses = model.loss(inputs, samples)
    assert set(losses) == {'distill.loss_kl'}
    losses['distill.loss_kl'].backward()
    assert model.student.cls_head.fc_cls.weight.grad is not None


def stop_distillation(model):
    runner = SimpleNamespace(epoch=0, model=model,
                             logger=logging.getLogger('test'))
    StopDistillHook(stop_epoch=0).before_train_epoch(runner)
    assert model.distillation_stopped


def test_stop_distill_hook_stops_single_teacher(tmp_path):
    helpers = load_script('tests/test_models/test_teacher_output_cache.py')
    for model in (build(), build('CachedTeacherDistill',
                                 cache_dir=str(tmp_path))):
        model.train()
        inputs, samples = helpers.batch(model, [helpers.metainfo('a.mp4')])
        assert 'distill.loss_kl' in model.loss(inputs, samples)
        stop_distillation(model)
        losses = model.loss(inputs, samples)
        assert 'student.loss_cls' in losses
        assert not any(k.startswith('distill.') for k in losses)


def test_stop_distill_hook_stops_multi_teacher():
    from mmengine.optim import OptimWrapper
    helpers = load_script('tests/test_models/test_multi_teacher_distill.py')
    model = helpers.build().train()
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    assert 'distill.loss_teacher' in model.train_step(helpers.batch(), optim)
    stop_distillation(model)
    log_vars = model.train_step(helpers.batch(), optim)
    assert not any(k.startswith('distill.') for k in log_vars)
    assert 'student.loss_cls' in log_vars


def student_weights(tmp_path, seed):
    """A plain MMAction2 checkpoint of the student, random weights."""
    init_default_scope('mmaction')
    torch.manual_seed(seed)
    student = MODELS.build(dict(_scope_='mmrazor', type='model_from_config',
                                config=CFG))
    path = str(tmp_path / f'student{seed}.pth')
    torch.save(dict(state_dict=student.state_dict(), meta={}), path)
    return student.state_dict(), path


def test_student_checkpoint_is_loaded_and_kept_by_init_weights(tmp_path):
    state, path = student_weights(tmp_path, seed=3)
    model = build(student_ckpt=path)
    model.init_weights()  # what the runner does after building
    key = 'cls_head.fc_cls.weight'
    assert torch.equal(model.architecture.state_dict()[key], state[key])
    assert torch.equal(model.architecture.backbone.conv1.conv.weight,
                       state['backbone.conv1.conv.weight'])


def test_resume_overrides_the_student_checkpoint(tmp_path):
    """``--resume`` loads the whole algorithm after it is built."""
    _, path = student_weights(tmp_path, seed=3)
    saved = build()
    torch.save(dict(state_dict=saved.state_dict()), tmp_path / 'iter_1.pth')
    model = build(student_ckpt=path)
    load_checkpoint(model, str(tmp_path / 'iter_1.pth'))
    for key, value in saved.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key


def test_mismatching_student_checkpoint_is_named(tmp_path):
    torch.save(dict(state_dict={'backbone.nope': torch.zeros(1)}),
               tmp_path / 'other.pth')
    with pytest.raises(StudentCheckpointError,
                       match=r"model.student_ckpt = .*other.pth.* does not "
                       r"fit the student.*backbone.nope"):
        build(student_ckpt=str(tmp_path / 'other.pth'))
    with pytest.raises(StudentCheckpointError, match='model.student_ckpt'):
        build(student_ckpt=str(tmp_path / 'missing.pth'))


def test_teacher_type_is_checked():
    init_default_scope('mmaction')
    cfg = config()
    del cfg['_scope_'], cfg['type']
    cfg['architecture']['_scope_'] = 'mmrazor'
    cfg['distiller']['_scope_'] = 'mmrazor'
    cfg['teacher'] = torch.nn.Linear(1, 1)
    with pytest.raises(TypeError, match='model.teacher should be a dict or '
                       'a BaseModel, got Linear'):
        VideoDistill(**cfg)
