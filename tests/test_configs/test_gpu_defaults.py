"""GPU runtime defaults of the Kinetics-400 configs, ``num_classes`` of the
dataset configs, and ``find_unused_parameters`` of the label-free skeleton
config (MSR Action3D, not covered by test_every_config_trains.py)."""
import glob
import os.path as osp

import pytest
import torch
from conftest import REPO, SHARED_DATA
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner
from test_every_config_trains import trainable_parameters_without_gradient

import mmrazor_video_kd  # noqa: F401

CONFIGS = sorted(
    osp.relpath(p, REPO)
    for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                       recursive=True) if '_base_' not in p)
KINETICS = [c for c in CONFIGS if 'kinetics400' in c]
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
#: classes of each dataset, by the data root of its configs
NUM_CLASSES = {'kinetics400': 400, 'avletters': 26, 'motions': 8,
               'motion_fast': 8, 'msr_action3d': 20}
MSR = osp.join(SHARED_DATA, 'msr_action3d')
XMT_SKELETON = ('configs/distill/cross_modal/'
                'xmt-skeleton_posec3d-tiny_stgcn-tiny-2d_msr-action3d.py')


def load(config):
    return Config.fromfile(osp.join(REPO, config))


def test_kinetics_configs_were_found():
    assert len(KINETICS) >= 15


@pytest.mark.parametrize('config', KINETICS, ids=KINETICS)
def test_kinetics_configs_have_gpu_defaults(config):
    cfg = load(config)
    assert cfg.env_cfg.cudnn_benchmark is True
    for name in LOADERS:
        loader = cfg[name]
        assert loader.num_workers > 0, name
        assert loader.persistent_workers is True, name
        assert loader.pin_memory is True, name
    if 'teacher' in cfg.model or 'teachers' in cfg.model:
        assert cfg.val_cfg.type in ('mmrazor.SingleTeacherValLoop',
                                    'mmrazor.MultiTeacherValLoop')
        assert cfg.val_cfg.evaluate_teacher == 'once'


@pytest.mark.parametrize('config', CONFIGS, ids=CONFIGS)
def test_datasets_check_labels_against_the_class_count(config):
    cfg = load(config)
    expected = [n for root, n in NUM_CLASSES.items() if root in cfg.data_root]
    assert len(expected) == 1, f'unknown data_root {cfg.data_root}'
    for name in LOADERS:
        assert cfg[name].dataset.num_classes == expected[0], name
    head = cfg.model.get('cls_head', {})
    if 'num_classes' in head:  # recognisers; distillers build their student
        assert head.num_classes == expected[0]


def test_label_free_skeleton_config_leaves_only_the_classifier_unused():
    """``find_unused_parameters=True`` of the MSR Action3D cross-modal config
    is needed: one training step leaves exactly the student's classifier
    without a gradient (the comment in the config names it)."""
    cfg = load(XMT_SKELETON)
    assert cfg.find_unused_parameters is True
    cfg.merge_from_dict({f'model.teachers.{name}.ckpt': None
                         for name in cfg.model.teachers})
    cfg.merge_from_dict({
        'train_dataloader.batch_size': 2,
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
        'train_dataloader.dataset.ann_file': osp.join(MSR, 'train_list.txt'),
        'train_dataloader.dataset.data_prefix':
        dict(skeleton=osp.join(MSR, 'skeletons')),
        'train_dataloader.dataset.indices': 2,
    })
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    unused = trainable_parameters_without_gradient(model)
    model.train()
    model.train_step(next(iter(loader)), optim_wrapper)
    classifier = {name for name, param in model.named_parameters()
                  if name.startswith('architecture.cls_head.')
                  and param.requires_grad}
    assert classifier and unused == classifier
