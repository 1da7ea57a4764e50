"""Every config in configs/ builds and runs one real training iteration.

Data are redirected to two real AVLetters clips (both of class 0, so any
class count fits), batch size and workers are shrunk, and teacher
checkpoints and pretrained (ImageNet) weights are switched off; these are
``--cfg-options``-style overrides, the configs themselves are used as they
are (Kinetics-400 ones at 224 px).
"""
import glob
import math
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from conftest import REPO, load_script, run_python
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.models.builders import find_pretrained_weights

# evaluation-only configs (configs/few_shot/, a FeatureHead without a
# classifier) are tested by tests/test_evaluation/test_few_shot_config.py;
# MSR Action3D configs (skeleton files, not video) by
# tests/test_datasets/test_msr_action3d.py and tests/test_e2e/
# test_skeleton_xmt_msr_action3d.py
CONFIGS = sorted(
    osp.relpath(p, REPO)
    for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                       recursive=True)
    if '_base_' not in p and 'few_shot' not in p and 'msr-action3d' not in p)


@pytest.fixture(scope='module')
def flow_dir(tmp_path_factory, avletters):
    """Optical flow of the two training clips, by tools/data/compute_flow.py."""
    out = tmp_path_factory.mktemp('flow')
    lists = tmp_path_factory.mktemp('lists') / 'two.txt'
    with open(osp.join(avletters, 'train_list.txt')) as f:
        lists.write_text(''.join(f.readlines()[:2]))
    result = run_python(args=[
        'tools/data/compute_flow.py', '--videos',
        osp.join(avletters, 'videos'), '--lists', str(lists), '--out-dir',
        str(out)])
    assert result.returncode == 0, result.stdout + result.stderr
    return str(out)


@pytest.fixture(scope='module')
def pose_file(tmp_path_factory, avletters):
    """A pose annotation file (MMAction2 format, 17 joints) for the two
    training clips. AVLetters has no skeletons: the keypoints are made up
    (a fixed pose drifting right), enough to render heatmaps for one step."""
    import decord
    with open(osp.join(avletters, 'train_list.txt')) as f:
        names = [line.split()[0] for line in f.readlines()[:2]]
    annotations = []
    for name in names:
        reader = decord.VideoReader(osp.join(avletters, 'videos', name))
        height, width = reader[0].shape[:2]
        total = len(reader)
        t = np.arange(total, dtype=np.float32)[:, None]
        joints = np.linspace(0.2, 0.8, 17, dtype=np.float32)[None]
        keypoint = np.stack(np.broadcast_arrays(
            joints * width * 0.5 + t, joints * height), -1)[None]
        annotations.append(dict(
            frame_dir=osp.splitext(name)[0], total_frames=total,
            img_shape=(height, width), label=0, keypoint=keypoint,
            keypoint_score=np.ones(keypoint.shape[:-1], np.float32)))
    path = tmp_path_factory.mktemp('pose') / 'pose.pkl'
    with open(path, 'wb') as f:
        pickle.dump(dict(split={}, annotations=annotations), f)
    return str(path)


def small_data(cfg, avletters, batch_size, tmp_path, flow_dir, pose_file):
    """The overrides: 2 AVLetters clips, no workers, caches in tmp, flow
    from the ``flow_dir`` fixture, skeletons from ``pose_file``."""
    # a list of the 2 clips: the whole list's labels (26 classes) are
    # checked against the dataset's num_classes (8 for the motions configs)
    two_clips = tmp_path / 'two_clips.txt'
    with open(osp.join(avletters, 'train_list.txt')) as f:
        two_clips.write_text(''.join(f.readlines()[:2]))
    options = {
        'train_dataloader.batch_size': batch_size,
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
        'train_dataloader.dataset.ann_file': str(two_clips),
        'train_dataloader.dataset.data_prefix':
        dict(video=osp.join(avletters, 'videos')),
    }
    if 'teacher' in cfg.model:
        options['model.teacher_ckpt'] = None
    for name in cfg.model.get('teachers', {}):
        options[f'model.teachers.{name}.ckpt'] = None
    if 'cache_dir' in cfg.model:
        options['model.cache_dir'] = str(tmp_path / 'teacher_cache')
    for i, step in enumerate(cfg.train_dataloader.dataset.pipeline):
        if step['type'] == 'LoadFlowFrames':
            options[f'train_dataloader.dataset.pipeline.{i}.flow_dir'] = \
                flow_dir
        if step['type'] == 'LoadSkeletonHeatmaps':
            options[f'train_dataloader.dataset.pipeline.{i}.ann_file'] = \
                pose_file
    cfg.merge_from_dict(options)
    # offline: from scratch, with the overrides PretrainedWeightsError names
    cfg.merge_from_dict({key: value
                         for weights in find_pretrained_weights(cfg.model)
                         for key, value in weights.scratch.items()})
    if cfg.model.type == 'StoredTeacherDistill':
        fill_teacher_store(cfg, tmp_path)


def fill_teacher_store(cfg, tmp_path):
    """Offline configs: a random teacher's outputs for every view of the
    clips, by tools/precompute_teacher_outputs.py, into a store in tmp."""
    from mmrazor.registry import MODELS as RAZOR_MODELS
    store, ckpt = str(tmp_path / 'store'), str(tmp_path / 'teacher.pth')
    init_default_scope('mmrazor')
    torch.manual_seed(0)
    teacher = RAZOR_MODELS.build(cfg.model.teacher)
    torch.save({'state_dict': teacher.state_dict()}, ckpt)
    options = {'model.teacher_ckpt': ckpt, 'model.store_root': store}
    for i, step in enumerate(cfg.train_dataloader.dataset.pipeline):
        if step['type'] == 'LoadTeacherOutputs':
            options[f'train_dataloader.dataset.pipeline.{i}.store_root'] = \
                store
    cfg.merge_from_dict(options)
    config = str(tmp_path / 'stored.py')
    cfg.dump(config)
    load_script('tools/precompute_teacher_outputs.py').main(
        [config, '--num-workers', '0', '--batch-size', '2'])


def trainable_parameters_without_gradient(model):
    """The names of trainable parameters of ``model``; each is removed from
    the returned set when a gradient is accumulated into it."""
    unused = set()
    for name, param in model.named_parameters():
        if param.requires_grad:
            unused.add(name)
            param.register_post_accumulate_grad_hook(
                lambda _, name=name: unused.discard(name))
    return unused


def check_find_unused_parameters(cfg, unused):
    """DDP without ``find_unused_parameters`` needs a gradient for every
    trainable parameter; ``True`` (slower) only where one gets none."""
    if cfg.get('find_unused_parameters', False):
        assert unused, ('every trainable parameter got a gradient: set '
                        'find_unused_parameters = False')
    else:
        assert not unused, (
            f'no gradient for {sorted(unused)}: DDP fails without '
            'find_unused_parameters = True (with a comment naming them)')


def test_configs_were_found():
    assert len(CONFIGS) >= 20
    assert any('attention_kd' in c for c in CONFIGS)


@pytest.mark.parametrize('config', CONFIGS, ids=CONFIGS)
def test_config_trains_one_iteration(config, avletters, tmp_path, flow_dir,
                                     pose_file):
    cfg = Config.fromfile(osp.join(REPO, config))
    heavy = 'vit-base' in config or 'vit-s_' in config
    small_data(cfg, avletters, batch_size=1 if heavy else 2,
               tmp_path=tmp_path, flow_dir=flow_dir, pose_file=pose_file)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    if cfg.model.type == 'EnsembleRecognizer':  # inference only
        model.eval()
        samples = model.val_step(next(iter(loader)))
        assert [s.pred_score.shape for s in samples] == [(26, )] * 2
        return
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    student = getattr(model, 'architecture', model)
    before = {k: v.detach().clone() for k, v in student.named_parameters()}
    unused = trainable_parameters_without_gradient(model)
    model.train()
    log_vars = model.train_step(next(iter(loader)), optim_wrapper)
    check_find_unused_parameters(cfg, unused)
    assert math.isfinite(log_vars['loss'].item())
    changed = [k for k, v in student.named_parameters()
               if not torch.equal(v, before[k])]
    assert changed, 'no student parameter was updated'
    if 'teacher' not in cfg.model and 'teachers' not in cfg.model:
        return
    expected = set(cfg.model.distiller.distill_losses)
    logged = {k.split('.', 1)[1] for k in log_vars if k.startswith('distill.')}
    assert expected <= logged, f'missing distill losses {expected - logged}'
    teacher = model.teacher if 'teacher' in cfg.model else model.teachers
    assert all(p.grad is None for p in teacher.parameters())
    assert not any(m.training for m in teacher.modules())
