"""tools/precompute_teacher_outputs.py on real AVLetters clips: stored
records equal the online teacher's, keys equal those of the training
pipeline, resume after a kill, and 2 gloo ranks give the 1-rank store."""
import glob
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch
from conftest import REPO, free_port, load_script, run_python, run_tool

TOOL = osp.join(REPO, 'tools', 'precompute_teacher_outputs.py')
CFG = osp.join(REPO, 'configs/distill/logits_kd/kd-logits-cached_tsm-r50_'
               'tsm-mobilenetv2-w0.5_40e_avletters-rgb.py')
CLIPS, VIEWS = 4, 2

MAKE_CKPT = '''
import sys, torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
import mmrazor_video_kd
from mmaction.registry import MODELS
init_default_scope('mmaction')
torch.manual_seed(0)
cfg = Config.fromfile(sys.argv[1])
torch.save({'state_dict': MODELS.build(cfg.model).state_dict()}, sys.argv[2])
'''


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
    """``[(shard name, view key)]`` over every published shard."""
    from mmrazor_video_kd.datasets.teacher_store import read_shard
    records = []
    for path in sorted(glob.glob(osp.join(out, '*', '*.shard'))):
        records += [(osp.basename(path), key)
                    for key in read_shard(path)[1]['records']]
    return records


def open_store(out):
    """The store of the one teacher written under ``out``."""
    from mmrazor_video_kd.datasets.teacher_store import (PackedTeacherStore,
                                                         read_shard)
    path = sorted(glob.glob(osp.join(out, '*', '*.shard')))[0]
    return PackedTeacherStore(out, read_shard(path)[1]['fingerprint'])


@pytest.fixture(scope='module')
def setup(tmp_path_factory, avletters):
    root = tmp_path_factory.mktemp('precompute')
    ckpt = str(root / 'teacher.pth')
    teacher_cfg = osp.join(REPO, 'configs/recognition/tsm/'
                           'tsm_r50_1x1x8_40e_avletters-rgb.py')
    result = run_python(MAKE_CKPT, [teacher_cfg, ckpt])
    assert result.returncode == 0, result.stderr[-3000:]
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
    with pytest.raises(NotImplementedError, match='MultiTeacherDistill'):
        tool.main([multi, '--out', str(tmp_path)])
    with pytest.raises(ValueError, match='NAME=topk:K:T'):
        tool.parse_storage(['logits=topk:10'])
    assert tool.parse_storage(['a=float16', 'b=topk:5:1.0:bfloat16']) == dict(
        a=dict(dtype='float16'),
        b=dict(topk=5, temperature=1.0, dtype='bfloat16'))


def test_amp_and_storage_options(setup, tmp_path):
    """--amp bf16 with --storage logits=bfloat16: the same views, stored as
    bfloat16, close to the float32 teacher."""
    from mmrazor_video_kd.datasets.teacher_store import read_shard
    out = str(tmp_path / 'store')
    run(setup, out, '--amp', 'bf16', '--storage', 'logits=bfloat16')
    [path] = glob.glob(osp.join(out, '*', '*.shard'))
    assert read_shard(path)[1]['storage']['logits']['dtype'] == 'bfloat16'
    reference, amp = open_store(setup['reference']), open_store(out)
    assert amp.fingerprint == reference.fingerprint
    assert set(amp.keys()) == set(reference.keys())
    for key in reference.keys():
        full = reference.get(key)['logits']
        assert torch.allclose(amp.get(key)['logits'], full, rtol=0.1,
                              atol=0.1 * full.abs().max().item())
