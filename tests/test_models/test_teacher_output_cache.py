"""Teacher-output cache: hits only for the same view and the same teacher,
and cached outputs reproduce the online losses."""
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import REPO
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope
from mmrazor.registry import MODELS

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.datasets import FixedViews
from mmrazor_video_kd.models.algorithms import view_key

CFG = osp.join(REPO, 'configs/recognition/tsm/'
               'tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py')


def metainfo(name, crop=(0, 0, 32, 32), flip=False, offset=0):
    return dict(filename=name, frame_inds=np.arange(8) + offset,
                crop_bbox=np.array(crop), flip=flip, img_shape=(32, 32))


# logits (KL) and backbone features (temporal relations) of student and
# teacher; shared with test_stored_teacher_distill.py
DISTILLER = dict(
    type='ConfigurableDistiller',
    student_recorders=dict(
        feat=dict(type='ModuleOutputs', source='backbone'),
        logits=dict(type='ModuleOutputs', source='cls_head')),
    teacher_recorders=dict(
        feat=dict(type='ModuleOutputs', source='backbone'),
        logits=dict(type='ModuleOutputs', source='cls_head')),
    distill_losses=dict(
        loss_kl=dict(type='SoftLabelDistillLoss'),
        loss_trd=dict(type='TemporalRelationLoss', num_segments=8)),
    loss_forward_mappings=dict(
        loss_kl=dict(
            logits_S=dict(from_student=True, recorder='logits'),
            logits_T=dict(from_student=False, recorder='logits')),
        loss_trd=dict(
            preds_S=dict(from_student=True, recorder='feat'),
            preds_T=dict(from_student=False, recorder='feat'))))


def build(cache_dir, seed=0):
    init_default_scope('mmaction')
    torch.manual_seed(seed)
    model = MODELS.build(dict(
        _scope_='mmrazor', type='CachedTeacherDistill', cache_dir=cache_dir,
        architecture=dict(type='model_from_config', config=CFG),
        teacher=dict(type='model_from_config', config=CFG),
        distiller=DISTILLER))
    model.train()
    calls = []
    model.teacher.backbone.register_forward_hook(
        lambda *args: calls.append(1))
    return model, calls


def batch(model, metas):
    g = torch.Generator().manual_seed(0)
    data = dict(
        inputs=[torch.randint(0, 256, (8, 3, 32, 32), generator=g,
                              dtype=torch.uint8) for _ in metas],
        data_samples=[ActionDataSample(metainfo=m).set_gt_label(0)
                      for m in metas])
    data = model.data_preprocessor(data, True)
    return data['inputs'], data['data_samples']


def test_view_key_changes_with_the_view():
    base = view_key(metainfo('a.mp4'))
    assert view_key(metainfo('a.mp4')) == base
    for other in (metainfo('b.mp4'), metainfo('a.mp4', crop=(1, 0, 33, 32)),
                  metainfo('a.mp4', flip=True), metainfo('a.mp4', offset=1)):
        assert view_key(other) != base
    with pytest.raises(KeyError, match='meta_keys'):
        view_key(dict(img_shape=(1, 1)))


def test_hit_reproduces_online_losses_and_skips_the_teacher(tmp_path):
    model, calls = build(str(tmp_path))
    inputs, samples = batch(model, [metainfo('a.mp4'), metainfo('b.mp4')])
    torch.manual_seed(0)  # same student dropout masks in both calls
    online = model.loss(inputs, samples)
    assert len(calls) == 1 and model.cache.misses == 2
    torch.manual_seed(0)
    cached = model.loss(inputs, samples)
    assert len(calls) == 1 and model.cache.hits == 2
    for key in online:
        assert torch.allclose(online[key], cached[key], atol=1e-6), key

    # one clip seen through another crop: the teacher runs on that clip only
    inputs, samples = batch(model, [metainfo('a.mp4'),
                                    metainfo('b.mp4', crop=(2, 2, 34, 34))])
    shapes = []
    model.teacher.backbone.register_forward_hook(
        lambda m, args, out: shapes.append(args[0].shape[0]))
    mixed = model.loss(inputs, samples)
    assert len(calls) == 2 and shapes == [8]  # 1 clip x 8 segments
    assert model.cache.hits == 3 and model.cache.misses == 3
    assert all(torch.isfinite(v) for v in mixed.values())


def test_other_teacher_weights_do_not_hit(tmp_path):
    first, _ = build(str(tmp_path), seed=0)
    inputs, samples = batch(first, [metainfo('a.mp4')])
    first.loss(inputs, samples)
    second, calls = build(str(tmp_path), seed=1)
    assert second.cache.fingerprint != first.cache.fingerprint
    second.loss(inputs, samples)
    assert len(calls) == 1 and second.cache.hits == 0


def test_fixed_views_repeat_and_restore_the_random_state():
    transform = FixedViews(
        [dict(type='SampleFrames', clip_len=1, num_clips=4)], num_views=3)
    seen = set()
    for _ in range(60):
        out = transform(dict(filename='a.mp4', total_frames=100,
                             start_index=0))
        seen.add((out['view_index'], tuple(out['frame_inds'])))
    assert len(seen) == 3 and {v for v, _ in seen} == {0, 1, 2}
    # the global stream moves on by the view draw only
    np.random.seed(5)
    np.random.randint(3)
    state = np.random.get_state()
    np.random.seed(5)
    transform(dict(filename='a.mp4', total_frames=100, start_index=0))
    assert np.random.get_state()[1].tolist() == state[1].tolist()
