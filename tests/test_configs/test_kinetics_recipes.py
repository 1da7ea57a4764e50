"""The Kinetics-400 recognition configs are MMAction2's recipes: the same
model (ImageNet initialisation included), pipelines, clips per GPU,
schedule, optimiser and lr scaling as the MMAction2 config each one names,
read from the installed MMAction2 (its ``.mim/configs``)."""
import os.path as osp

import mmaction
import pytest
from conftest import REPO
from mmengine.config import Config

MMACTION2 = osp.join(osp.dirname(mmaction.__file__), '.mim', 'configs')
TSM = 'recognition/tsm/tsm_imagenet-pretrained-'
PAIRS = {
    'recognition/tsm/tsm_mobilenetv2_1x1x8_100e_kinetics400-rgb.py':
    TSM + 'mobilenetv2_8xb16-1x1x8-100e_kinetics400-rgb.py',
    'recognition/tsm/tsm_r50_1x1x8_50e_kinetics400-rgb.py':
    TSM + 'r50_8xb16-1x1x8-50e_kinetics400-rgb.py',
    'recognition/tsn/tsn_r50_1x1x8_100e_kinetics400-rgb.py':
    'recognition/tsn/tsn_imagenet-pretrained-r50_8xb32-1x1x8-100e_'
    'kinetics400-rgb.py',
    'recognition/tsn/tsn_swin-base_1x1x8_50e_kinetics400-rgb.py':
    'recognition/tsn/custom_backbones/tsn_imagenet-pretrained-swin-'
    'transformer_32xb8-1x1x8-50e_kinetics400-rgb.py',
}
# the PoseC3D teacher keeps its own input (8 frames in the RGB crops) and
# spreads MMAction2's 24 epochs x 10 repeats over 240 epochs
POSEC3D = ('recognition/skeleton/posec3d_slowonly-r50_1x1x8_kinetics400-'
           'heatmap.py', 'skeleton/posec3d/slowonly_r50_8xb32-u48-240e_'
           'k400-keypoint.py')


def load(ours, theirs):
    return (Config.fromfile(osp.join(REPO, 'configs', ours)),
            Config.fromfile(osp.join(MMACTION2, theirs)))


def without_io_backend(pipeline):
    return [{k: v for k, v in step.items() if k != 'io_backend'}
            for step in pipeline]


def check_model_and_optimiser(ours, theirs):
    for part in ('backbone', 'cls_head'):
        for key, value in theirs.model[part].items():
            if key != '_delete_':
                assert ours.model[part].get(key) == value, (part, key)
    student = ours.optim_wrapper.get('architecture', ours.optim_wrapper)
    for key in ('optimizer', 'clip_grad', 'constructor', 'paramwise_cfg'):
        assert student.get(key) == theirs.optim_wrapper.get(key), key
    assert ours.train_dataloader.batch_size == \
        theirs.train_dataloader.batch_size
    assert ours.auto_scale_lr == theirs.auto_scale_lr


@pytest.mark.parametrize('ours,theirs', PAIRS.items(), ids=list(PAIRS))
def test_config_is_the_mmaction2_recipe_it_names(ours, theirs):
    ours_cfg, theirs_cfg = load(ours, theirs)
    assert osp.basename(theirs) in open(osp.join(REPO, 'configs', ours)).read()
    check_model_and_optimiser(ours_cfg, theirs_cfg)
    for split in ('train', 'val', 'test'):
        assert without_io_backend(
            ours_cfg[f'{split}_dataloader'].dataset.pipeline) == \
            without_io_backend(
                theirs_cfg[f'{split}_dataloader'].dataset.pipeline), split
        assert ours_cfg[f'{split}_dataloader'].batch_size == \
            theirs_cfg[f'{split}_dataloader'].batch_size, split
    assert ours_cfg.param_scheduler == theirs_cfg.param_scheduler
    assert ours_cfg.train_cfg.max_epochs == theirs_cfg.train_cfg.max_epochs


def test_posec3d_teacher_has_mmaction2_model_and_optimiser():
    ours, theirs = load(*POSEC3D)
    check_model_and_optimiser(ours, theirs)
    repeats = theirs.train_dataloader.dataset.times
    assert ours.train_cfg.max_epochs == \
        theirs.train_cfg.max_epochs * repeats
    [scheduler] = ours.param_scheduler
    [reference] = theirs.param_scheduler
    assert scheduler == dict(reference, T_max=reference.T_max * repeats)
