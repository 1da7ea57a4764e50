"""StoredTeacherDistill + LoadTeacherOutputs: teacher outputs served by the
data loader from a packed store, the teacher never built."""
import os.path as osp
import re

import numpy as np
import pytest
import torch
from conftest import REPO
from mmaction.registry import DATASETS
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmrazor.registry import MODELS
from test_teacher_output_cache import DISTILLER
from torch.utils.data import DataLoader

import mmrazor_video_kd  # noqa: F401  (registrations)
from mmrazor_video_kd.datasets.teacher_store import (PackedTeacherStore,
                                                     TeacherStoreWriter,
                                                     store_directory,
                                                     topk_kd_loss_bound,
                                                     topk_tail_mass)
from mmrazor_video_kd.datasets.transforms import TeacherOutputsMissingError
from mmrazor_video_kd.datasets.transforms.load_teacher_outputs import \
    DEFAULT_META_KEYS
from mmrazor_video_kd.datasets.teacher_store import (StoredTeacherError,
                                                     write_teacher_record)
from mmrazor_video_kd.models.algorithms import TeacherStandIn, view_key

MEMBER = osp.join(REPO, 'configs/benchmark/avletters/'
                  'tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py')
KD_CFG = osp.join(
    REPO, 'configs/distill/logits_kd/'
    'kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py')
FP = 'f' * 64


def pipeline(load=None, num_views=2):
    return [
        dict(type='DecordInit', io_backend='disk'),
        dict(type='FixedViews', num_views=num_views, transforms=[
            dict(type='SampleFrames', clip_len=1, num_clips=8),
            dict(type='DecordDecode'),
            dict(type='Resize', scale=(40, 40), keep_ratio=False),
            dict(type='RandomCrop', size=32)]),
        dict(type='FormatShape', input_format='NCHW'),
        *([load] if load else []),
        dict(type='PackActionInputs', meta_keys=DEFAULT_META_KEYS,
             algorithm_keys=('teacher_outputs', ))
    ]


def dataset(avletters, load=None, n=4):
    init_default_scope('mmaction')
    return DATASETS.build(dict(
        type='CheckedVideoDataset', ann_file=f'{avletters}/train_list.txt',
        data_prefix=dict(video=f'{avletters}/videos'), num_classes=26,
        pipeline=pipeline(load), indices=n))


def load(root, required=True):
    return dict(type='LoadTeacherOutputs', store_root=root, fingerprint=FP,
                required=required)


def samples_of(ds, seed=0):
    np.random.seed(seed)  # FixedViews draws the view from NumPy
    return [ds[i] for i in range(len(ds))]


def online_model():
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(dict(
        _scope_='mmrazor', type='VideoDistill',
        architecture=dict(type='model_from_config', config=MEMBER),
        teacher=dict(type='model_from_config', config=MEMBER),
        distiller=DISTILLER))
    for p in model.teacher.parameters():  # a teacher with non-trivial
        p.data.normal_(0, 0.05)           # outputs (random init gives ~1e-9)
    return model.train()


def stored_model(online, store_root, **kwargs):
    init_default_scope('mmaction')
    kwargs.setdefault('teacher_fingerprint', FP)
    model = MODELS.build(dict(
        _scope_='mmrazor', type='StoredTeacherDistill', store_root=store_root,
        architecture=dict(type='model_from_config', config=MEMBER),
        distiller=DISTILLER, **kwargs))
    model.architecture.load_state_dict(online.architecture.state_dict())
    return model.train()


def preprocess(model, samples):
    data = model.data_preprocessor(pseudo_collate(samples), True)
    return data['inputs'], data['data_samples']


def fill_store(online, samples, root, storage=None):
    """What the producer does: run the teacher, store each clip's view."""
    writer = TeacherStoreWriter(root, FP, storage=storage)
    inputs, data_samples = preprocess(online, samples)
    recorders = online.distiller.teacher_recorders
    with recorders, torch.no_grad():
        online.forward_teachers(inputs, data_samples)
    chunks = {name: r.get_record_data().chunk(len(samples))
              for name, r in recorders.recorders.items()}
    for i, sample in enumerate(data_samples):
        writer.put(view_key(sample.metainfo),
                   {name: c[i] for name, c in chunks.items()})
    return writer.close()


def losses_both_ways(avletters, root, storage=None):
    online = online_model()
    fill_store(online, samples_of(dataset(avletters)), str(root), storage)
    plain = samples_of(dataset(avletters))
    served = samples_of(dataset(avletters, load(str(root))))
    assert all('teacher_outputs' in s['data_samples'] for s in served)
    stored = stored_model(online, str(root))
    torch.manual_seed(0)  # same student dropout masks in both steps
    want = online.loss(*preprocess(online, plain))
    torch.manual_seed(0)
    got = stored.loss(*preprocess(stored, served))
    assert sorted(got) == sorted(want)
    return want, got, online, stored


def test_float32_store_gives_the_online_losses_exactly(avletters, tmp_path):
    want, got, _, _ = losses_both_ways(avletters, tmp_path)
    for key in want:
        assert torch.equal(got[key], want[key]), key


def test_float16_store_within_the_stated_bound(avletters, tmp_path):
    want, got, _, _ = losses_both_ways(
        avletters, tmp_path, dict(feat=dict(dtype='float16'),
                                  logits=dict(dtype='float16')))
    for key in want:  # docs/offline_distillation.md: relative <= 1e-3
        assert torch.allclose(got[key], want[key], rtol=1e-3, atol=1e-6), (
            key, got[key], want[key])


def test_topk_logits_within_the_kl_bound(avletters, tmp_path):
    t = 4.0  # SoftLabelDistillLoss's temperature: the store's must match
    want, got, online, stored = losses_both_ways(
        avletters, tmp_path, dict(logits=dict(topk=5, temperature=t)))
    teacher = online.distiller.teacher_recorders.recorders[
        'logits'].get_record_data()
    student = stored.distiller.student_recorders.recorders[
        'logits'].get_record_data()
    values, indices = teacher.topk(5, dim=-1)
    tail = topk_tail_mass(values, torch.logsumexp(teacher / t, -1), t)
    bound = topk_kd_loss_bound(student, indices, tail, t).mean()
    error = (got['distill.loss_kl'] - want['distill.loss_kl']).abs()
    assert 0 < error <= bound, (error, bound)
    assert torch.equal(got['distill.loss_trd'], want['distill.loss_trd'])


def test_a_view_not_stored_is_an_error_naming_the_clip(avletters, tmp_path):
    online = online_model()
    fill_store(online, samples_of(dataset(avletters), seed=0)[:2],
               str(tmp_path))
    ds = dataset(avletters, load(str(tmp_path)))
    np.random.seed(0)
    ds[0]  # stored
    with pytest.raises(Exception) as error:
        ds[2]  # another clip: never stored
    # CheckedVideoDataset re-raises it as BadVideoError, chained
    cause = error.value
    while not isinstance(cause, TeacherOutputsMissingError):
        cause = cause.__cause__
    message = str(cause)
    assert ds.get_data_info(2)['filename'] in message
    assert re.search('key [0-9a-f]{64}', message)
    assert store_directory(str(tmp_path), FP) in message
    assert 'precompute_teacher_outputs' in message
    # another crop of a stored clip misses too
    transform = ds.pipeline.transforms[3]
    results = dict(filename='x.mp4', frame_inds=np.arange(8),
                   crop_bbox=np.array([1, 0, 33, 32]), img_shape=(32, 32))
    with pytest.raises(TeacherOutputsMissingError, match='x.mp4'):
        transform(results)
    assert dataset(avletters, load(str(tmp_path), required=False))[2][
        'data_samples'].get('teacher_outputs') is None


def test_teacher_neither_built_nor_read(tmp_path, monkeypatch):
    ckpt = tmp_path / 'teacher.pth'
    ckpt.write_bytes(b'not a checkpoint')
    opened = []
    monkeypatch.setattr(torch, 'load', lambda *a, **k: opened.append(a))
    online = online_model()
    model = stored_model(online, str(tmp_path),
                         teacher=dict(type='NoSuchRecognizer'),
                         teacher_ckpt=str(ckpt))
    assert not opened
    assert not any(k.startswith('teacher') for k in model.state_dict())
    assert isinstance(model.teacher, TeacherStandIn)
    assert not list(model.teacher.parameters())
    model.train()
    with pytest.raises(StoredTeacherError, match='ValLoop'):
        model.teacher(torch.zeros(1))

    # teacher.json: the same teacher passes, a changed one raises
    teacher = dict(type='NoSuchRecognizer')
    write_teacher_record(store_directory(str(tmp_path), FP), FP, teacher,
                         str(ckpt))
    for fingerprint in (FP, 'auto'):
        assert stored_model(
            online, str(tmp_path), teacher=teacher, teacher_ckpt=str(ckpt),
            teacher_fingerprint=fingerprint).teacher_fingerprint == FP
    with pytest.raises(StoredTeacherError, match='teacher.json'):
        stored_model(online, str(tmp_path), teacher=dict(type='Other'),
                     teacher_ckpt=str(ckpt))
    ckpt.write_bytes(b'other weights, other size')
    with pytest.raises(StoredTeacherError, match='teacher_ckpt'):
        stored_model(online, str(tmp_path), teacher=teacher,
                     teacher_ckpt=str(ckpt))


def test_auto_fingerprint_needs_exactly_one_teacher(tmp_path):
    online = online_model()
    with pytest.raises(StoredTeacherError, match='precompute_teacher'):
        stored_model(online, str(tmp_path), teacher_fingerprint='auto')
    for fingerprint in (FP, 'e' * 64):
        write_teacher_record(store_directory(str(tmp_path), fingerprint),
                             fingerprint, None, None)
    with pytest.raises(StoredTeacherError, match='2 teachers'):
        stored_model(online, str(tmp_path), teacher_fingerprint='auto')
    # an explicit fingerprint picks one of them
    assert stored_model(online, str(tmp_path)).teacher_fingerprint == FP


def test_sample_without_outputs_or_of_another_view(avletters, tmp_path):
    online = online_model()
    samples = samples_of(dataset(avletters))
    fill_store(online, samples, str(tmp_path))
    stored = stored_model(online, str(tmp_path))
    inputs, data_samples = preprocess(stored, samples)
    with pytest.raises(StoredTeacherError, match='LoadTeacherOutputs'):
        stored.loss(inputs, data_samples)
    served = samples_of(dataset(avletters, load(str(tmp_path))))
    inputs, data_samples = preprocess(stored, served)
    data_samples[0].set_metainfo(dict(flip=True))
    with pytest.raises(StoredTeacherError, match='meta_keys'):
        stored.loss(inputs, data_samples)


def test_data_loader_workers_serve_the_records(avletters, tmp_path):
    online = online_model()
    ds = dataset(avletters)
    views = []
    for seed in range(6):  # both views of every clip, in a few draws
        views += samples_of(ds, seed)
    for start in range(0, len(views), 8):
        fill_store(online, views[start:start + 8], str(tmp_path))
    store = PackedTeacherStore(str(tmp_path), FP)
    assert len(store) == 8  # 4 clips x 2 views
    loader = DataLoader(dataset(avletters, load(str(tmp_path))),
                        batch_size=2, num_workers=2,
                        collate_fn=pseudo_collate)
    seen = 0
    for batch in loader:
        for sample in batch['data_samples']:
            attached = sample.teacher_outputs
            assert attached['view_key'] == view_key(sample.metainfo)
            for name, tensor in store.get(attached['view_key']).items():
                assert torch.equal(attached['outputs'][name], tensor)
            seen += 1
    assert seen == 4
