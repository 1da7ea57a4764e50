"""Optical flow: tools/data/compute_flow.py on real AVLetters clips and a
synthetic moving square, LoadFlowFrames, and one training iteration of the
AVLetters flow-teacher config."""
import math
import os
import os.path as osp

import cv2
import decord
import numpy as np
import pytest
import torch
from conftest import REPO, run_python
from mmaction.registry import TRANSFORMS
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.datasets.transforms.load_flow_frames import \
    LoadFlowFrames

TOOL = osp.join('tools', 'data', 'compute_flow.py')
CONFIG = osp.join(REPO, 'configs', 'recognition', 'tsm',
                  'tsm_mobilenetv2-w0.5-flow_1x1x8_40e_avletters-flow.py')
NUM_VIDEOS = 3


def compute_flow(videos, lists, out_dir, *extra):
    return run_python(args=[TOOL, '--videos', str(videos), '--lists'] +
                      [str(p) for p in lists] +
                      ['--out-dir', str(out_dir)] + list(extra),
                      timeout=300)


@pytest.fixture(scope='module')
def avletters_flow(avletters, tmp_path_factory):
    """Flow of the first 3 AVLetters training clips: (list, out dir, names)."""
    root = tmp_path_factory.mktemp('avletters_flow')
    with open(osp.join(avletters, 'train_list.txt')) as f:
        lines = f.readlines()[:NUM_VIDEOS]
    list_file = root / 'list.txt'
    list_file.write_text(''.join(lines))
    out_dir = root / 'flow'
    proc = compute_flow(osp.join(avletters, 'videos'), [list_file], out_dir)
    assert proc.returncode == 0, proc.stderr
    assert f'{NUM_VIDEOS} computed, 0 skipped' in proc.stdout
    return list_file, out_dir, [line.split()[0] for line in lines]


def test_flow_files_align_with_frames(avletters, avletters_flow):
    _, out_dir, names = avletters_flow
    assert sorted(os.listdir(out_dir)) == sorted(
        osp.splitext(n)[0] + '.npy' for n in names)
    for name in names:
        reader = decord.VideoReader(osp.join(avletters, 'videos', name))
        height, width = reader[0].shape[:2]
        flow = np.load(out_dir / (osp.splitext(name)[0] + '.npy'))
        assert flow.dtype == np.float16
        assert flow.shape == (len(reader), height, width, 2) == \
            (len(reader), 60, 80, 2)
        assert np.isfinite(flow).all()
        assert np.array_equal(flow[-1], flow[-2])  # last repeats previous
        assert np.abs(flow[:-1]).max() > 0.5  # the mouth moves


def test_second_run_skips_and_leaves_files_untouched(avletters,
                                                     avletters_flow):
    list_file, out_dir, _ = avletters_flow
    before = {p: (os.stat(out_dir / p).st_mtime_ns,
                  (out_dir / p).read_bytes()) for p in os.listdir(out_dir)}
    proc = compute_flow(osp.join(avletters, 'videos'), [list_file], out_dir)
    assert proc.returncode == 0, proc.stderr
    assert f'0 computed, {NUM_VIDEOS} skipped' in proc.stdout
    after = {p: (os.stat(out_dir / p).st_mtime_ns,
                 (out_dir / p).read_bytes()) for p in os.listdir(out_dir)}
    assert after == before  # no temporary files left either


def moving_square(path, frames=10, step=2, size=(64, 48), side=12, x0=10,
                  y0=18):
    """An mp4v video of a bright square moving right by `step` px/frame."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'mp4v'), 25,
                             size)
    assert writer.isOpened()
    for i in range(frames):
        frame = np.full((size[1], size[0], 3), 30, np.uint8)
        frame[y0:y0 + side, x0 + step * i:x0 + step * i + side] = 220
        writer.write(frame)
    writer.release()


@pytest.mark.parametrize('scale', [1, 2])
def test_flow_of_a_moving_square(tmp_path, scale):
    """+2 px/frame to the right (+4 at twice the size), none vertically."""
    moving_square(tmp_path / 'square.mp4')
    (tmp_path / 'list.txt').write_text('square.mp4 0\n')
    extra = ['--size', str(64 * scale), str(48 * scale)] if scale > 1 else []
    proc = compute_flow(tmp_path, [tmp_path / 'list.txt'], tmp_path / 'flow',
                        *extra)
    assert proc.returncode == 0, proc.stderr
    flow = np.load(tmp_path / 'flow' / 'square.npy').astype(np.float32)
    assert flow.shape == (10, 48 * scale, 64 * scale, 2)
    for i in range(9):  # flow[i]: frame i -> i + 1, on frame i's grid
        x, y, side = (10 + 2 * i) * scale, 18 * scale, 12 * scale
        u, v = flow[i, y:y + side, x:x + side].reshape(-1, 2).mean(0)
        assert u == pytest.approx(2 * scale, abs=0.2 * scale), (i, u)
        assert v == pytest.approx(0, abs=0.2 * scale), (i, v)
    background = flow[:, :, -8:].reshape(-1, 2)  # right edge: no motion
    assert np.abs(background).mean() < 0.05


def test_unreadable_and_missing_videos_are_named(tmp_path):
    (tmp_path / 'broken.mp4').write_bytes(b'not a video')
    (tmp_path / 'list.txt').write_text('broken.mp4 0\nmissing.mp4 1\n')
    proc = compute_flow(tmp_path, [tmp_path / 'list.txt'], tmp_path / 'flow')
    assert proc.returncode == 1
    assert 'cannot decode video' in proc.stderr
    assert osp.join(str(tmp_path), 'broken.mp4') in proc.stderr
    assert 'video not found: ' + osp.join(str(tmp_path), 'missing.mp4') \
        in proc.stderr
    assert '2 failed' in proc.stdout
    assert os.listdir(tmp_path / 'flow') == []


def hand_made_flow(path, frames=5, height=6, width=8):
    """flow[t] = (u, v) = (t + 1, -2 (t + 1)) everywhere, saved as .npy."""
    t = np.arange(1, frames + 1, dtype=np.float16)[:, None, None]
    flow = np.stack(np.broadcast_arrays(
        t * np.ones((height, width), np.float16), -2 * t), axis=-1)
    np.save(path, flow.astype(np.float16))


def test_load_flow_frames_picks_resizes_and_scales(tmp_path):
    hand_made_flow(tmp_path / 'clip.npy')
    # 8x6 -> 16x3: u doubles, v halves
    load = LoadFlowFrames(str(tmp_path), size=(16, 3))
    results = load(dict(filename='/videos/clip.mp4',
                        frame_inds=np.array([[4], [0], [2]]),
                        total_frames=5))
    flow = results['flow']
    assert flow.dtype == np.float32 and flow.shape == (3, 2, 3, 16)
    assert np.allclose(flow[:, 0], np.array([5, 1, 3])[:, None, None] * 2)
    assert np.allclose(flow[:, 1], np.array([5, 1, 3])[:, None, None] * -1)
    assert results['flow_shape'] == (3, 16)

    # normalised and clipped: u = 2 (t + 1) / 4, v = -(t + 1) / 4
    norm = LoadFlowFrames(str(tmp_path), size=(16, 3), max_magnitude=4,
                          with_magnitude=True, key='imgs')
    flow = norm(dict(filename='clip', frame_inds=np.array([0, 4])))['imgs']
    assert flow.shape == (2, 3, 3, 16)
    assert np.allclose(flow[0, :, 0, 0], [0.5, -0.25, math.hypot(2, 1) / 4])
    assert np.allclose(flow[1, :, 0, 0], [1, -1, 1])  # (10, -5) clipped


def test_load_flow_frames_follows_crop_and_flip(tmp_path):
    flow = np.zeros((1, 6, 8, 2), np.float16)
    flow[0, ..., 0] = np.arange(8)  # u = column index
    flow[0, ..., 1] = 1
    np.save(tmp_path / 'v.npy', flow)
    load = LoadFlowFrames(str(tmp_path))
    # left half, bottom third of the frame, then a horizontal flip; no size:
    # the RGB frames' img_shape (here 2x the cropped 4x2)
    results = load(dict(filename='v.mp4', frame_inds=np.array([0]),
                        crop_quadruple=np.array([0, 2 / 3, 0.5, 1 / 3]),
                        img_shape=(4, 8), flip=True,
                        flip_direction='horizontal'))
    out = results['flow'][0]
    assert out.shape == (2, 4, 8)
    assert np.allclose(out[1], 2)  # v scaled by 4 / 2
    # columns 0..3 -> 8 px wide, scaled 2x, mirrored and negated
    row = out[0, 0]
    assert row[0] == pytest.approx(-6) and row[-1] == pytest.approx(0)
    assert np.all(np.diff(row) >= 0)


def test_load_flow_frames_errors(tmp_path):
    load = LoadFlowFrames(str(tmp_path / 'flows'))
    with pytest.raises(FileNotFoundError) as error:
        load(dict(filename='data/videos/A1_Anya.mp4', frame_inds=[0]))
    message = str(error.value)
    assert osp.join(str(tmp_path / 'flows'), 'A1_Anya.npy') in message
    assert 'tools/data/compute_flow.py' in message
    hand_made_flow(tmp_path / 'clip.npy')
    with pytest.raises(ValueError, match='5 frames but the video clip.mp4 '
                       'has 7'):
        LoadFlowFrames(str(tmp_path))(
            dict(filename='clip.mp4', frame_inds=[0], total_frames=7))
    with pytest.raises(ValueError, match='max_magnitude'):
        LoadFlowFrames('x', max_magnitude=0)


def test_rgb_and_flow_views_are_packed(avletters, avletters_flow):
    _, out_dir, names = avletters_flow
    init_default_scope('mmaction')
    pipeline = Compose([
        TRANSFORMS.build(t) for t in [
            dict(type='DecordInit'),
            dict(type='SampleFrames', clip_len=1, num_clips=8,
                 test_mode=True),
            dict(type='DecordDecode'),
            dict(type='Resize', scale=(72, 72), keep_ratio=False),
            dict(type='CenterCrop', crop_size=64),
            dict(type='FormatShape', input_format='NCHW'),
            dict(type='LoadFlowFrames', flow_dir=str(out_dir)),
            dict(type='PackActionInputs', collect_keys=('imgs', 'flow')),
        ]
    ])
    packed = pipeline(dict(filename=osp.join(avletters, 'videos', names[0]),
                           label=0, start_index=0, modality='RGB'))
    inputs = packed['inputs']
    assert inputs['imgs'].shape == (8, 3, 64, 64)
    assert inputs['flow'].shape == (8, 2, 64, 64)
    assert inputs['flow'].dtype == torch.float32


def test_flow_teacher_config_trains_one_iteration(avletters, avletters_flow):
    _, out_dir, _ = avletters_flow
    cfg = Config.fromfile(CONFIG)
    assert cfg.flow_dir == 'data/avletters_flow'
    pipeline = cfg.train_dataloader.dataset.pipeline
    index = [t['type'] for t in pipeline].index('LoadFlowFrames')
    cfg.merge_from_dict({
        'train_dataloader.batch_size': NUM_VIDEOS,
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
        'train_dataloader.dataset.ann_file':
        osp.join(avletters, 'train_list.txt'),
        'train_dataloader.dataset.data_prefix':
        dict(video=osp.join(avletters, 'videos')),
        'train_dataloader.dataset.indices': NUM_VIDEOS,
        f'train_dataloader.dataset.pipeline.{index}.flow_dir': str(out_dir),
    })
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    batch = next(iter(loader))
    assert [x.shape for x in batch['inputs']] == [(8, 3, 64, 64)] * 3
    assert all(x.abs().max() <= 1 for x in batch['inputs'])
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    before = {k: v.detach().clone() for k, v in model.named_parameters()}
    model.train()
    log_vars = model.train_step(batch, optim_wrapper)
    assert math.isfinite(log_vars['loss'].item())
    assert any(not torch.equal(v, before[k])
               for k, v in model.named_parameters())
