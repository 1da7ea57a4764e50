"""DistillOptimWrapperConstructor: the student gets exactly its own recipe's
parameter groups (MMAction2's TSM groups, fc_lr5 on the student's
classifier), connectors train at the base lr/wd, frozen teachers and
frozen parameters are never in the optimizer."""
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from conftest import REPO
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import build_optim_wrapper
from mmengine.registry import (MODELS, OPTIM_WRAPPER_CONSTRUCTORS,
                               init_default_scope)
from mmengine.runner import Runner

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.models.builders import model_from_config

KINETICS_KD = ('configs/distill/soft_label_kd/soft-label-t5_tsm-r50_'
               'tsm-mobilenetv2_1x1x8_100e_kinetics400-rgb.py')
KINETICS_STUDENT = ('configs/recognition/tsm/'
                    'tsm_mobilenetv2_1x1x8_100e_kinetics400-rgb.py')
OTHER_TEACHERS = {
    'MultiTeacherDistill': 'configs/distill/tri_model/tri-model_vit-tiny_'
    'vit-tiny_vit-micro_8x2x1_40e_avletters-rgb.py',
    'CachedTeacherDistill': 'configs/distill/logits_kd/kd-logits-cached_'
    'tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py',
    'EnsembleRecognizer teacher': 'configs/benchmark/avletters/kd-kl_'
    'ensemble3-tsm-mobilenetv2-w0.5_tsm-mobilenetv2-w0.5_1x1x8_48px_'
    'avletters-rgb.py',
}


@OPTIM_WRAPPER_CONSTRUCTORS.register_module(force=True)
class NoAddParamsConstructor:
    """A constructor that cannot give the student's groups."""

    def __init__(self, optim_wrapper_cfg, paramwise_cfg=None):
        pass


def load(config, **options):
    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.merge_from_dict(options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    return cfg


def build_distill(config, tmp_path=None):
    """A distillation model of ``config``, teachers without checkpoints."""
    cfg = load(config)
    if 'teacher' in cfg.model:
        cfg.model.teacher_ckpt = None
    for spec in cfg.model.get('teachers', {}).values():
        spec.ckpt = None
    if 'cache_dir' in cfg.model:
        cfg.model.cache_dir = str(tmp_path)
    return cfg, MODELS.build(cfg.model)


def named_groups(optimizer, model, prefix=''):
    """``[(sorted parameter names, lr, weight_decay)]`` of each group."""
    names = {id(p): prefix + n for n, p in model.named_parameters()}
    return [(sorted(names[id(p)] for p in group['params']), group['lr'],
             group['weight_decay']) for group in optimizer.param_groups]


@pytest.fixture(scope='module')
def kinetics_kd():
    cfg, model = build_distill(KINETICS_KD)
    optimizer = build_optim_wrapper(model, cfg.optim_wrapper).optimizer
    return cfg, model, named_groups(optimizer, model)


def test_student_gets_mmaction_tsm_groups(kinetics_kd):
    cfg, _, groups = kinetics_kd
    # independent expectation: MMAction2's constructor on the plain student
    student_recipe = cfg.optim_wrapper.architecture
    init_default_scope('mmaction')
    student = model_from_config(cfg.student_config)
    expected = named_groups(build_optim_wrapper(student, dict(
        constructor='TSMOptimWrapperConstructor',
        paramwise_cfg=dict(fc_lr5=True),
        optimizer=student_recipe.optimizer)).optimizer, student,
        prefix='architecture.')
    assert len(expected) == 7
    assert groups[:7] == expected
    base_lr = student_recipe.optimizer.lr
    assert (['architecture.cls_head.fc_cls.weight'], 5 * base_lr,
            student_recipe.optimizer.weight_decay) in groups


def test_connectors_at_base_lr_and_no_teacher(kinetics_kd):
    cfg, model, groups = kinetics_kd
    names, lr, weight_decay = groups[-1]
    assert names == sorted(n for n, _ in model.named_parameters()
                           if n.startswith('distiller.'))
    assert names, 'the config has a trainable connector'
    recipe = cfg.optim_wrapper.architecture
    assert (lr, weight_decay) == (recipe.optimizer.lr,
                                  recipe.optimizer.weight_decay)
    in_optimizer = [n for group in groups for n in group[0]]
    assert sorted(in_optimizer) == sorted(
        n for n, _ in model.named_parameters() if not n.startswith('teacher.'))


def test_upstream_form_boosted_the_teacher_fc(kinetics_kd):
    """MMAction2's constructor on the whole algorithm (the former config):
    the last ``nn.Linear`` is the teacher's, which got the 5x lr."""
    cfg, model, groups = kinetics_kd
    recipe = cfg.optim_wrapper.architecture
    upstream = named_groups(build_optim_wrapper(model, dict(
        constructor='TSMOptimWrapperConstructor',
        paramwise_cfg=dict(fc_lr5=True),
        optimizer=recipe.optimizer)).optimizer, model)
    boosted = [g[0] for g in upstream if g[1] == 5 * recipe.optimizer.lr]
    assert boosted == [['teacher.cls_head.fc_cls.weight']]
    boosted = [g[0] for g in groups if g[1] == 5 * recipe.optimizer.lr]
    assert boosted == [['architecture.cls_head.fc_cls.weight']]


@pytest.mark.parametrize('kind', sorted(OTHER_TEACHERS))
def test_frozen_teachers_left_out(kind, tmp_path):
    cfg, model = build_distill(OTHER_TEACHERS[kind], tmp_path)
    groups = named_groups(
        build_optim_wrapper(model, cfg.optim_wrapper).optimizer, model)
    teacher = 'teachers.' if 'teachers' in cfg.model else 'teacher.'
    in_optimizer = sorted(n for group in groups for n in group[0])
    assert in_optimizer == sorted(n for n, _ in model.named_parameters()
                                  if not n.startswith(teacher))
    assert any(n.startswith(teacher) for n, _ in model.named_parameters())


def test_recognizer_is_the_student_and_frozen_params_left_out():
    cfg = load(KINETICS_STUDENT)
    model = MODELS.build(cfg.model)
    model.backbone.conv1.conv.requires_grad_(False)  # TSM keeps it
    frozen = sorted(n for n, p in model.named_parameters()
                    if not p.requires_grad)
    groups = named_groups(
        build_optim_wrapper(model, cfg.optim_wrapper).optimizer, model)
    recipe = cfg.optim_wrapper.architecture
    expected = named_groups(build_optim_wrapper(model, dict(
        constructor=recipe.constructor, paramwise_cfg=recipe.paramwise_cfg,
        optimizer=recipe.optimizer)).optimizer, model)
    assert frozen == ['backbone.conv1.conv.weight'] == expected[0][0]
    assert groups == expected[1:]  # the group it emptied is dropped


def test_top_level_amp_keys_apply_to_the_student_wrapper():
    """MMAction2's ``train.py --amp`` sets ``optim_wrapper.type`` and
    ``loss_scale`` at the top level."""
    cfg = load(KINETICS_STUDENT, **{
        'optim_wrapper.type': 'AmpOptimWrapper',
        'optim_wrapper.loss_scale': 'dynamic',
        'optim_wrapper.dtype': 'bfloat16'})
    wrapper = build_optim_wrapper(MODELS.build(cfg.model), cfg.optim_wrapper)
    assert type(wrapper).__name__ == 'AmpOptimWrapper'
    assert wrapper.cast_dtype == torch.bfloat16
    assert wrapper.clip_grad_kwargs == dict(max_norm=20, norm_type=2)


def test_auto_scale_lr_scales_every_group(kinetics_kd):
    cfg, model, groups = kinetics_kd
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    runner = SimpleNamespace(
        _train_dataloader=dict(batch_size=8), world_size=2,
        logger=MMLogger.get_current_instance(), param_schedulers=None)
    Runner.scale_lr(runner, wrapper, dict(enable=True, base_batch_size=64))
    assert [g['lr'] for g in wrapper.optimizer.param_groups] == pytest.approx(
        [lr * 16 / 64 for _, lr, _ in groups])


@pytest.mark.parametrize('options, error, culprit', [
    ({'optim_wrapper.optimizer': dict(type='SGD', lr=0.1)}, KeyError,
     'optim_wrapper.optimizer'),
    ({'optim_wrapper.paramwise_cfg': dict(fc_lr5=False)}, ValueError,
     'optim_wrapper.architecture.paramwise_cfg'),
    ({'optim_wrapper.type': 'ApexOptimWrapper'}, ValueError,
     'optim_wrapper.architecture.type'),
    ({'optim_wrapper.architecture.constructor': 'NoAddParamsConstructor'},
     TypeError, 'optim_wrapper.architecture.constructor'),
])
def test_misplaced_keys_are_named(options, error, culprit):
    cfg = load(KINETICS_STUDENT, **options)
    with pytest.raises(error, match=culprit):
        build_optim_wrapper(MODELS.build(cfg.model), cfg.optim_wrapper)


def test_missing_architecture_is_named():
    cfg = load(KINETICS_STUDENT)
    cfg.optim_wrapper.pop('architecture')
    with pytest.raises(KeyError, match='optim_wrapper.architecture'):
        build_optim_wrapper(MODELS.build(cfg.model), cfg.optim_wrapper)
