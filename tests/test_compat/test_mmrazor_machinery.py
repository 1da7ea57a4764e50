"""MMRazor's own distillation pieces run under the compat layer: its
connectors, losses, recorders, ConfigurableDistiller, SingleTeacherDistill
and StopDistillHook, in one real training step."""
import os.path as osp
from types import SimpleNamespace

import torch
from conftest import REPO
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmrazor.engine import StopDistillHook
from mmrazor.registry import MODELS

import mmrazor_video_kd  # noqa: F401

CFG = osp.join(REPO, 'configs/recognition/tsm/'
               'tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py')


def build():
    init_default_scope('mmaction')
    return MODELS.build(dict(
        _scope_='mmrazor',
        type='SingleTeacherDistill',
        architecture=dict(type='model_from_config', config=CFG),
        teacher=dict(type='model_from_config', config=CFG),
        distiller=dict(
            type='ConfigurableDistiller',
            student_recorders=dict(
                feat=dict(type='ModuleOutputs', source='backbone'),
                logits=dict(type='ModuleOutputs', source='cls_head.fc_cls')),
            teacher_recorders=dict(
                feat=dict(type='ModuleOutputs', source='backbone'),
                logits=dict(type='ModuleOutputs', source='cls_head.fc_cls')),
            connectors=dict(conv=dict(
                type='ConvModuleConnector', in_channel=1280,
                out_channel=1280, kernel_size=1)),
            distill_losses=dict(
                loss_cwd=dict(type='ChannelWiseDivergence', tau=1),
                loss_dist=dict(type='DISTLoss')),
            loss_forward_mappings=dict(
                loss_cwd=dict(
                    preds_S=dict(from_student=True, recorder='feat',
                                 connector='conv'),
                    preds_T=dict(from_student=False, recorder='feat')),
                loss_dist=dict(
                    logits_S=dict(from_student=True, recorder='logits'),
                    logits_T=dict(from_student=False, recorder='logits'))))))


def batch():
    from mmaction.structures import ActionDataSample
    return dict(
        inputs=[torch.randint(0, 256, (8, 3, 96, 96), dtype=torch.uint8)
                for _ in range(2)],
        data_samples=[ActionDataSample().set_gt_label(i) for i in range(2)])


def test_mmrazor_losses_connectors_and_stop_hook_train():
    model = build()
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    connector = model.distiller.connectors['conv']
    before = connector.conv.weight.detach().clone() if hasattr(
        connector, 'conv') else next(connector.parameters()).detach().clone()
    log_vars = model.train_step(batch(), optim)
    assert {'distill.loss_cwd', 'distill.loss_dist',
            'student.loss_cls'} <= set(log_vars)
    assert all(torch.isfinite(v) for v in log_vars.values())
    after = next(connector.parameters())
    assert not torch.equal(before, after.detach())

    hook = StopDistillHook(stop_epoch=1)
    from mmengine.logging import MMLogger
    runner = SimpleNamespace(epoch=1, model=model,
                             logger=MMLogger.get_current_instance())
    hook.before_train_epoch(runner)
    assert model.distillation_stopped
    log_vars = model.train_step(batch(), optim)
    assert not any(k.startswith('distill.') for k in log_vars)
