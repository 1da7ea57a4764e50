"""Pretrained (ImageNet) weights: found in configs (also through
``model_from_config``), read from torch's hub cache, and a clear error
before training when they cannot be downloaded."""
import os.path as osp
import socket
from types import SimpleNamespace

import pytest
import torch
import torchvision
from conftest import REPO
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import MODELS, init_default_scope
from mmrazor.registry import MODELS as RAZOR_MODELS

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.engine.hooks import PretrainedWeightsHook
from mmrazor_video_kd.models.builders import (PretrainedWeightsError,
                                              check_pretrained_weights,
                                              find_pretrained_weights)

TSM_R18 = osp.join(REPO,
                   'configs/recognition/tsm/tsm_r18_1x1x8_20e_motions-rgb.py')


@pytest.fixture
def torch_home(tmp_path, monkeypatch):
    """An empty torch hub cache in tmp (``TORCH_HOME``)."""
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch'))
    return tmp_path / 'torch'


@pytest.fixture
def unreachable_url():
    """A URL on a local port that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    return f'http://127.0.0.1:{port}/resnet18-imagenet.pth'


def tsm_r18(pretrained):
    """The motions TSM-R18 model config, ImageNet-initialised from
    ``pretrained`` (MMAction2's TSM way: ``pretrained2d=True``)."""
    model = Config.fromfile(TSM_R18).model
    model.backbone.update(pretrained=pretrained, pretrained2d=True)
    return model


def test_unreachable_url_is_named_with_cache_file_and_override(
        torch_home, unreachable_url):
    with pytest.raises(PretrainedWeightsError) as error:
        check_pretrained_weights(tsm_r18(unreachable_url), config=TSM_R18)
    message = str(error.value)
    cache_file = osp.join(torch_home, 'hub', 'checkpoints',
                          'resnet18-imagenet.pth')
    assert f'model.backbone.pretrained = {unreachable_url!r}' in message
    assert TSM_R18 in message
    assert 'URLError' in message
    assert cache_file in message
    assert ('--cfg-options model.backbone.pretrained=None '
            'model.backbone.pretrained2d=False') in message
    assert not osp.exists(cache_file)


def test_weights_in_hub_cache_are_loaded_into_backbone(torch_home,
                                                       unreachable_url):
    torch.manual_seed(0)
    imagenet = torchvision.models.resnet18().state_dict()
    cache_file = torch_home / 'hub' / 'checkpoints' / 'resnet18-imagenet.pth'
    cache_file.parent.mkdir(parents=True)
    torch.save(imagenet, cache_file)
    model_cfg = tsm_r18(unreachable_url)
    check_pretrained_weights(model_cfg)  # found: nothing to download

    init_default_scope('mmaction')
    model = MODELS.build(model_cfg)
    model.init_weights()
    backbone = model.backbone.state_dict()
    assert torch.equal(backbone['conv1.conv.weight'], imagenet['conv1.weight'])
    assert torch.equal(backbone['layer4.1.conv2.conv.weight'],
                       imagenet['layer4.1.conv2.weight'])


def test_local_file_that_is_missing_is_named(tmp_path):
    missing = str(tmp_path / 'resnet18.pth')
    with pytest.raises(PretrainedWeightsError, match='no such file'):
        check_pretrained_weights(tsm_r18(missing))


def distill_model(student, teacher):
    """A distillation model config whose student and teacher are built by
    ``model_from_config`` from ``student``/``teacher`` option dicts."""
    return Config(dict(model=dict(
        _scope_='mmrazor', type='SingleTeacherDistill',
        architecture=dict(type='model_from_config', config=TSM_R18,
                          cfg_options=dict(model=dict(backbone=student))),
        teacher=dict(type='model_from_config', config=TSM_R18,
                     cfg_options=dict(model=dict(backbone=teacher))),
        teacher_ckpt=None))).model


def test_distillation_student_is_named_by_its_key_path(torch_home,
                                                       unreachable_url):
    imagenet = dict(pretrained=unreachable_url, pretrained2d=True)
    model = distill_model(student=imagenet, teacher=imagenet)
    model.teacher_ckpt = 'teacher.pth'  # MMRazor never initialises it
    [weights] = find_pretrained_weights(model)
    key = 'model.architecture.cfg_options.model.backbone'
    assert weights.key == f'{key}.pretrained'
    assert weights.config == TSM_R18
    with pytest.raises(PretrainedWeightsError,
                       match=f'--cfg-options {key}.pretrained=None '
                       f'{key}.pretrained2d=False'):
        check_pretrained_weights(model)

    # the suggested overrides, as --cfg-options would merge them
    cfg = Config(dict(model=model))
    cfg.merge_from_dict(weights.scratch)
    check_pretrained_weights(cfg.model)
    student = RAZOR_MODELS.build(
        dict(cfg.model.architecture, _scope_='mmrazor'))
    student.init_weights()  # from scratch, nothing downloaded


def test_teacher_without_checkpoint_is_checked(unreachable_url):
    model = distill_model(
        student=dict(pretrained=None, pretrained2d=False),
        teacher=dict(pretrained=unreachable_url, pretrained2d=True))
    [weights] = find_pretrained_weights(model)
    assert weights.key == \
        'model.teacher.cfg_options.model.backbone.pretrained'


def test_timm_backbone_is_found_with_its_own_off_value():
    model = dict(type='Recognizer2D', backbone=dict(
        type='timm.swin_base_patch4_window7_224', pretrained=True))
    [weights] = find_pretrained_weights(model)
    assert weights.timm
    assert weights.scratch == {'model.backbone.pretrained': False}


def runner(model, training):
    """What the hook reads of a runner: its config and, once ``train()``
    has built it, the optimizer wrapper."""
    param = torch.nn.Parameter(torch.zeros(1))
    optim_wrapper = OptimWrapper(torch.optim.SGD([param], lr=0.1)) \
        if training else dict(optimizer=dict(type='SGD', lr=0.1))
    return SimpleNamespace(cfg=Config(dict(model=model)),
                           optim_wrapper=optim_wrapper)


def test_hook_checks_before_training_only(torch_home, unreachable_url):
    model = tsm_r18(unreachable_url)
    hook = PretrainedWeightsHook()
    hook.before_run(runner(model, training=False))  # val/test: no download
    with pytest.raises(PretrainedWeightsError, match=unreachable_url):
        hook.before_run(runner(model, training=True))


def test_default_runtime_registers_the_hook():
    runtime = Config.fromfile(
        osp.join(REPO, 'configs/_base_/default_runtime.py'))
    assert dict(type='PretrainedWeightsHook') in runtime.custom_hooks


@pytest.mark.parametrize('config', [
    'configs/recognition/tsm/tsm_mobilenetv2_1x1x8_100e_kinetics400-rgb.py',
    'configs/recognition/tsm/tsm_r50_1x1x8_50e_kinetics400-rgb.py',
    'configs/recognition/tsn/tsn_r50_1x1x8_100e_kinetics400-rgb.py',
])
def test_kinetics_configs_fail_clearly_offline(config, torch_home,
                                               monkeypatch):
    """The real ImageNet URLs, with the download made to fail."""

    def offline(url, *args, **kwargs):
        raise OSError(f'offline: {url}')

    monkeypatch.setattr(torch.hub, 'download_url_to_file', offline)
    cfg = Config.fromfile(osp.join(REPO, config))
    with pytest.raises(PretrainedWeightsError) as error:
        check_pretrained_weights(cfg.model, config=config)
    url = str(error.value).split('downloaded from ')[1].split(' ')[0]
    assert url.startswith('https://')
    assert osp.join(torch_home, 'hub', 'checkpoints',
                    osp.basename(url)) in str(error.value)
    assert '--cfg-options model.backbone.pretrained=None' in str(error.value)
