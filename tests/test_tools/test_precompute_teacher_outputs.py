"""tools/precompute_teacher_outputs.py on real AVLetters clips: stored
records equal the online teacher's, keys equal those of the training
pipeline, resume after a kill, and 2 gloo ranks give the 1-rank store."""
import glob
import os
import os.path as osp
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest
import torch
from conftest import (REPO, free_port, load_script, run_python, run_tool,
                      save_random_recognizer)
from mmengine.dataset import pseudo_collate

from mmrazor_video_kd.utils.teacher_keys import view_key

TOOL = osp.join(REPO, 'tools', 'precompute_teacher_outputs.py')
CFG = osp.join(REPO, 'configs/distill/logits_kd/kd-logits-cached_tsm-r50_'
               'tsm-mobilenetv2-w0.5_40e_avletters-rgb.py')
CLIPS, VIEWS = 4, 2

def options(ckpt, cache_dir):
    return [
        f'model.teacher_ckpt={ckpt}', f'model.cache_dir={cache_dir}',
        f'train_dataloader.dataset.indices={CLIPS}',
        f'train_dataloader.dataset.pipeline.1.num_views={VIEWS}'
    ]


def tool_args(setup, out, *extra):
    return [CFG, '--num-views', str(VIEWS), '--out', out, '--num-workers',
            '0', '--batch-size', '1', *extra, '--cfg-options',
            *options(setup['ckpt'], setup['cache'])]


def run(setup, out, *extra):
    result = run_python(args=[TOOL, *tool_args(setup, out, *extra)],
                        env={'OMP_NUM_THREADS': '1'})
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout


def shard_records(out):
    """``[(shard name, view key)]`` over every published shard of the one
    teacher under ``out``; each shard is read alone, as the only shard of a
    temporary store (public store API only)."""
    from mmrazor_video_kd.datasets.teacher_store import (PackedTeacherStore,
                                                         resolve_fingerprint,
                                                         store_directory)
    fingerprint = resolve_fingerprint(out)
    store = PackedTeacherStore(out, fingerprint)
    store.refresh()
    records = []
    for path in store.shard_paths:
        with tempfile.TemporaryDirectory() as tmp:
            directory = store_directory(tmp, fingerprint)
            os.makedirs(directory)
            os.link(path, osp.join(directory, osp.basename(path)))
            records += [(osp.basename(path), key)
                        for key in PackedTeacherStore(tmp, fingerprint).keys()]
    return records


def open_store(out):
    """The store of the one teacher written under ``out``."""
    from mmrazor_video_kd.datasets.teacher_store import (PackedTeacherStore,
                                                         resolve_fingerprint)
    return PackedTeacherStore(out, resolve_fingerprint(out))


@pytest.fixture(scope='module')
def setup(tmp_path_factory, avletters):
    root = tmp_path_factory.mktemp('precompute')
    ckpt = str(root / 'teacher.pth')
    teacher_cfg = osp.join(REPO, 'configs/recognition/tsm/'
                           'tsm_r50_1x1x8_40e_avletters-rgb.py')
    save_random_recognizer(teacher_cfg, ckpt)
    setup = dict(ckpt=ckpt, cache=str(root / 'cache'))
    setup['reference'] = str(root / 'reference')
    setup['log'] = run(setup, setup['reference'])
    return setup


def test_records_equal_the_online_teacher_and_keys_the_training_views(setup):
    """(a) exact float32 records; (d) the training pipeline's keys."""
    from mmaction.registry import DATASETS
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import init_default_scope
    from mmrazor.registry import MODELS

    import mmrazor_video_kd  # noqa: F401
    from mmrazor_video_kd.models.algorithms import view_key
    from mmrazor_video_kd.datasets.teacher_store import \
        StoredTeacherError

    assert f'{CLIPS * VIEWS} views of {CLIPS * VIEWS}' in setup['log']
    store = open_store(setup['reference'])
    assert len(shard_records(setup['reference'])) == CLIPS * VIEWS

    cfg = Config.fromfile(CFG)
    cfg.model.teacher_ckpt = setup['ckpt']
    cfg.model.cache_dir = setup['cache']
    cfg.train_dataloader.dataset.indices = CLIPS
    cfg.train_dataloader.dataset.pipeline[1].num_views = VIEWS
    init_default_scope('mmaction')
    torch.set_num_threads(1)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    model = MODELS.build(cfg.model).eval()
    # the fingerprint training computes is the store's
    assert model.cache.fingerprint == store.fingerprint

    np.random.seed(0)
    seen = {}
    for _ in range(6):  # epochs: P(a view unseen) = 4 * 2^-6
        for clip in range(CLIPS):
            sample = dataset[clip]
            meta = sample['data_samples'].metainfo
            seen.setdefault(view_key(meta), (clip, meta['view_index'],
                                             sample))
    assert sorted((c, v) for c, v, _ in seen.values()) == [
        (c, v) for c in range(CLIPS) for v in range(VIEWS)]
    assert set(seen) == set(store.keys())

    # training from the store accepts its teacher.json, for this teacher only
    stored = dict(cfg.model, type='StoredTeacherDistill',
                  teacher_fingerprint=store.fingerprint,
                  store_root=setup['reference'])
    stored.pop('cache_dir')
    MODELS.build(stored)
    with pytest.raises(StoredTeacherError, match='teacher_ckpt'):
        MODELS.build(dict(stored, teacher_ckpt=CFG))

    recorder = model.distiller.teacher_recorders.recorders['logits']
    for key, (clip, view, sample) in seen.items():
        data = model.data_preprocessor(pseudo_collate([sample]), True)
        with torch.no_grad(), model.distiller.teacher_recorders:
            model.teacher(data['inputs'], data['data_samples'], mode='loss')
        online = recorder.get_record_data()
        stored = store.get(key)
        assert list(stored) == ['logits']
        assert torch.equal(stored['logits'], online), (clip, view)


def test_resume_after_sigkill_has_every_view_once(setup, tmp_path):
    """(b) a killed run publishes whole shards only; the rerun adds the
    missing views and nothing twice."""
    out = str(tmp_path / 'store')
    process = subprocess.Popen(
        [sys.executable, TOOL,
         *tool_args(setup, out, '--shard-size', '1')], cwd=REPO,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(os.environ, OMP_NUM_THREADS='1'))
    deadline = time.time() + 300
    while not glob.glob(osp.join(out, '*', '*.shard')):
        assert process.poll() is None and time.time() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = shard_records(out)
    assert 0 < len(before) < CLIPS * VIEWS

    log = run(setup, out, '--shard-size', '3')
    assert f'skipped {len(before)} stored views' in log
    after = shard_records(out)
    keys = [key for _, key in after]
    assert len(keys) == len(set(keys)) == CLIPS * VIEWS
    assert set(keys) == set(open_store(setup['reference']).keys())
    assert set(before) <= set(after)  # earlier shards are untouched


def test_max_views_stops_and_a_rerun_completes(setup, tmp_path):
    out = str(tmp_path / 'store')
    log = run(setup, out, '--max-views', '3', '--shard-size', '2')
    assert 'wrote 3 views in 2 shards' in log
    log = run(setup, out)
    assert f'wrote {CLIPS * VIEWS - 3} views' in log
    keys = [key for _, key in shard_records(out)]
    assert len(keys) == len(set(keys)) == CLIPS * VIEWS


def test_two_gloo_ranks_write_the_single_process_store(setup, tmp_path):
    """(c) torchrun --launcher pytorch: one shard per rank, same records."""
    out = str(tmp_path / 'store')
    result = run_tool('torchrun', [
        '--nproc_per_node=2', f'--master_port={free_port()}', TOOL,
        *tool_args(setup, out, '--launcher', 'pytorch')
    ], env={'OMP_NUM_THREADS': '1'}, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    records = shard_records(out)
    assert sorted({name.split('-')[0] for name, _ in records}) == [
        'rank0', 'rank1']
    keys = [key for _, key in records]
    assert len(keys) == len(set(keys)) == CLIPS * VIEWS
    reference, union = open_store(setup['reference']), open_store(out)
    assert set(union.keys()) == set(reference.keys())
    for key in reference.keys():
        assert torch.equal(union.get(key)['logits'],
                           reference.get(key)['logits'])


def test_clear_errors(setup, tmp_path):
    tool = load_script('tools/precompute_teacher_outputs.py')
    plain = CFG.replace('kd-logits-cached_', 'kd-logits_')
    opts = ['--cfg-options', f'model.teacher_ckpt={setup["ckpt"]}']
    with pytest.raises(ValueError, match='FixedViews'):
        tool.main([plain, '--out', str(tmp_path), *opts])
    with pytest.raises(ValueError, match='model.teacher_ckpt'):
        tool.main([CFG, '--out', str(tmp_path), '--cfg-options',
                   'model.teacher_ckpt=None'])
    with pytest.raises(ValueError, match='--num-views 3 differs'):
        tool.main([CFG, '--num-views', '3', '--out', str(tmp_path), *opts])
    multi = osp.join(REPO, 'configs/distill/cross_modal/xmt-rgb-flow_tsm-'
                     'mobilenetv2-w0.5-rgb-flow_tsm-mobilenetv2-w0.5_1x1x8_'
                     '40e_avletters-rgb.py')
    with pytest.raises(ValueError, match='model.teachers.flow.ckpt'):
        tool.main([multi, '--out', str(tmp_path), '--cfg-options',
                   'model.teachers.flow.ckpt=None'])
    with pytest.raises(ValueError, match='NAME=topk:K:T'):
        tool.parse_storage(['logits=topk:10'])
    assert tool.parse_storage(['a=float16', 'b=topk:5:1.0:bfloat16']) == dict(
        a=dict(dtype='float16'),
        b=dict(topk=5, temperature=1.0, dtype='bfloat16'))


def test_amp_and_storage_options(setup, tmp_path):
    """--amp bf16 with --storage logits=bfloat16: the same views, stored as
    bfloat16, close to the float32 teacher."""
    out = str(tmp_path / 'store')
    run(setup, out, '--amp', 'bf16', '--storage', 'logits=bfloat16')
    reference, amp = open_store(setup['reference']), open_store(out)
    amp.refresh()
    assert len(amp.shard_paths) == 1
    assert amp.storages['logits']['dtype'] == 'bfloat16'
    assert amp.fingerprint == reference.fingerprint
    assert set(amp.keys()) == set(reference.keys())
    for key in reference.keys():
        full = reference.get(key)['logits']
        assert torch.allclose(amp.get(key)['logits'], full, rtol=0.1,
                              atol=0.1 * full.abs().max().item())


MEMBER = osp.join(
    REPO, 'configs/benchmark/avletters/'
    'tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py')
MULTI_CFG = """
_base_ = [{base!r}]
member = dict(type='model_from_config', config={member!r})
model = dict(
    _delete_=True, _scope_='mmrazor', type='MultiTeacherDistill',
    architecture=member,
    teachers=dict(a=dict(model=member, ckpt={a!r}),
                  b=dict(model=member, ckpt={b!r})),
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head'),
            feat=dict(type='ModuleOutputs', source='backbone')),
        teacher_recorders=dict(
            a_logits=dict(type='ModuleOutputs', source='a.cls_head'),
            b_logits=dict(type='ModuleOutputs', source='b.cls_head'),
            b_feat=dict(type='ModuleOutputs', source='b.backbone')),
        distill_losses=dict(
            loss_a=dict(type='SoftLabelDistillLoss'),
            loss_b=dict(type='SoftLabelDistillLoss', loss_weight=0.8),
            loss_trd=dict(type='TemporalRelationLoss', num_segments=8)),
        loss_forward_mappings=dict(
            loss_a=dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder='a_logits')),
            loss_b=dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder='b_logits')),
            loss_trd=dict(
                preds_S=dict(from_student=True, recorder='feat'),
                preds_T=dict(from_student=False, recorder='b_feat')))))
"""


def save_member_ckpt(path, seed):
    """A checkpoint of a small TSM with non-trivial outputs."""
    from mmaction.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    torch.manual_seed(seed)
    model = MODELS.build(Config.fromfile(MEMBER).model)
    for p in model.parameters():
        p.data.normal_(0, 0.05)
    torch.save({'state_dict': model.state_dict()}, path)
    return str(path)


def preprocess(model, samples):
    data = model.data_preprocessor(pseudo_collate(samples), True)
    return data['inputs'], data['data_samples']


def multi_teacher_config(tmp_path):
    """A two-teacher config file and its checkpoints."""
    a = save_member_ckpt(tmp_path / 'a.pth', 1)
    b = save_member_ckpt(tmp_path / 'b.pth', 2)
    path = tmp_path / 'multi_teacher.py'
    path.write_text(MULTI_CFG.format(base=CFG, member=MEMBER, a=a, b=b))
    return str(path), (a, b)


def load_config(path):
    """The config at ``path`` with ``CLIPS`` clips of ``VIEWS`` views."""
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    cfg.train_dataloader.dataset.indices = CLIPS
    cfg.train_dataloader.dataset.pipeline[1].num_views = VIEWS
    return cfg


def test_several_teachers(tmp_path, avletters):
    """MultiTeacherDistill: per-teacher records equal each teacher's online
    outputs (batches of 2 split per clip), teacher.json lists both
    checkpoints, a changed checkpoint changes the fingerprint, and training
    from the store gives the online losses."""
    import json

    from mmaction.registry import DATASETS
    from mmengine.registry import init_default_scope
    from mmrazor.registry import MODELS

    from mmrazor_video_kd.datasets.teacher_store import (TEACHER_RECORD,
                                                         store_directory)
    torch.set_num_threads(1)
    tool = load_script('tools/precompute_teacher_outputs.py')
    config, ckpts = multi_teacher_config(tmp_path)
    out = str(tmp_path / 'store')
    tool.main([
        config, '--out', out, '--num-workers', '0', '--batch-size', '2',
        '--shard-size', '3', '--cfg-options',
        *options(ckpts[0], str(tmp_path / 'cache'))[2:]
    ])
    store = open_store(out)
    assert len(store) == len(set(store.keys())) == CLIPS * VIEWS
    with open(osp.join(store_directory(out, store.fingerprint),
                       TEACHER_RECORD)) as file:
        record = json.load(file)
    assert [c['path'] for c in record['teacher_ckpt']
            ] == [osp.realpath(c) for c in ckpts]
    assert [t['name'] for t in record['teacher']] == ['a', 'b']

    # every record is the teacher's online output of its view
    cfg = load_config(config)
    init_default_scope('mmaction')
    online = MODELS.build(cfg.model).eval()
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    views = tool.ClipViews(dataset, tool.find_fixed_views(dataset, config),
                           [(c, v) for c in range(CLIPS)
                            for v in range(VIEWS)])
    recorders = online.distiller.teacher_recorders
    for first in range(0, len(views), 2):
        inputs, samples = preprocess(online, [views[first], views[first + 1]])
        with torch.no_grad(), recorders:
            online.forward_teachers(inputs, samples)
        for name, recorder in recorders.recorders.items():
            for sample, chunk in zip(samples,
                                     recorder.get_record_data().chunk(2)):
                stored = store.get(view_key(sample.metainfo))
                assert sorted(stored) == ['a_logits', 'b_feat', 'b_logits']
                assert torch.equal(stored[name], chunk), (first, name)

    # another checkpoint of one teacher: another fingerprint
    other = save_member_ckpt(tmp_path / 'b2.pth', 3)
    cfg.model.teachers.b.ckpt = other
    assert tool.store_fingerprint(tool.build_teacher_algorithm(cfg, config),
                                  cfg) != store.fingerprint

    # StoredTeacherDistill(teacher=[...], teacher_ckpt=[...]): same losses
    stored_losses, online_losses = losses_from_store_and_online(
        load_config(config), tool, out)
    assert set(stored_losses) == set(online_losses) >= {
        'distill.loss_a', 'distill.loss_b', 'distill.loss_trd'
    }
    assert all(v > 0 for k, v in online_losses.items() if 'distill' in k)
    for name, value in online_losses.items():
        assert torch.equal(stored_losses[name], value), name


def losses_from_store_and_online(cfg, tool, out):
    """Losses of one batch of every clip: the config's MultiTeacherDistill
    online, and StoredTeacherDistill from the store at ``out``."""
    from mmaction.registry import DATASETS
    from mmengine.registry import init_default_scope
    from mmrazor.registry import MODELS
    init_default_scope('mmaction')
    online = MODELS.build(cfg.model).train()
    teachers, ckpts = tool.teacher_identity(cfg)
    stored = MODELS.build(
        dict(_scope_='mmrazor',
             type='StoredTeacherDistill',
             store_root=out,
             architecture=cfg.model.architecture,
             distiller=cfg.model.distiller,
             teacher=teachers,
             teacher_ckpt=ckpts)).train()
    stored.architecture.load_state_dict(online.architecture.state_dict())
    plain = DATASETS.build(cfg.train_dataloader.dataset)
    pipeline = cfg.train_dataloader.dataset.pipeline
    pipeline[-1].algorithm_keys = ('teacher_outputs', )
    pipeline.insert(
        -1,
        dict(type='LoadTeacherOutputs',
             store_root=out,
             meta_keys=pipeline[-1].meta_keys))
    served = DATASETS.build(cfg.train_dataloader.dataset)
    losses = []
    for model, dataset in ((stored, served), (online, plain)):
        np.random.seed(0)  # FixedViews draws the view from NumPy
        batch = preprocess(model, [dataset[i] for i in range(CLIPS)])
        torch.manual_seed(0)
        losses.append(model.loss(*batch))
    return losses
