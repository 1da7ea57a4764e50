"""MSRAction3DDataset on the real MSR Action3D skeletons: parsing, the
joint layout, the image-plane projection, MMAction2's heatmap pipeline and
one training step of the skeleton configs."""
import math
import os.path as osp

import numpy as np
import pytest
import torch
from conftest import REPO, SHARED_DATA
from mmaction.registry import DATASETS, TRANSFORMS
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.datasets.msr_action3d_dataset import (
    MSR_GRAPH_LAYOUT, MSR_JOINT_NAMES, MSR_LEFT_KP, MSR_RIGHT_KP,
    MSR_SKELETON, InvalidSkeletonFile, MSRAction3DDataset, read_skeleton)

MSR = osp.join(SHARED_DATA, 'msr_action3d')
SKELETONS = osp.join(MSR, 'skeletons')
POSEC3D = osp.join(REPO, 'configs', 'recognition', 'skeleton',
                   'posec3d-tiny_msr-action3d-heatmap.py')
STGCN = osp.join(REPO, 'configs', 'recognition', 'skeleton',
                 'stgcn-tiny_msr-action3d-joints.py')
ZERO = 'a13_s09_e02_skeleton3D.txt'
HEAD, HIP_CENTER = 19, 6
LEFT_HAND, RIGHT_HAND = 11, 12


@pytest.fixture(scope='module')
def msr():
    if not osp.isdir(SKELETONS):
        pytest.fail(f'real test data missing: {SKELETONS}')
    init_default_scope('mmaction')
    return MSR


def write_list(tmp_path, names, labels=None, name='list.txt'):
    labels = labels or [int(n[1:3]) - 1 for n in names]
    path = tmp_path / name
    path.write_text(''.join(f'{n} {lb}\n' for n, lb in zip(names, labels)))
    return str(path)


def build(ann_file, pipeline=(), prefix=SKELETONS, **kwargs):
    return MSRAction3DDataset(
        ann_file=ann_file, pipeline=list(pipeline),
        data_prefix=dict(skeleton=prefix), **kwargs)


# ----------------------------------------------------------------- parsing
def test_real_file_shapes_and_values(msr, tmp_path):
    name = 'a01_s01_e01_skeleton3D.txt'
    lines = open(osp.join(SKELETONS, name)).read().split('\n')
    lines = [line for line in lines if line.strip()]
    assert len(lines) == 1080
    ds = build(write_list(tmp_path, [name]))
    info = ds.get_data_info(0)
    T = len(lines) // 20
    assert info['total_frames'] == T == 54
    assert info['label'] == 0 and info['frame_dir'] == 'a01_s01_e01'
    assert info['img_shape'] == (64, 64)
    assert info['keypoint'].shape == (1, T, 20, 2)
    assert info['keypoint_score'].shape == (1, T, 20)
    assert info['keypoint_3d'].shape == (1, T, 20, 3)
    for key in ('keypoint', 'keypoint_score', 'keypoint_3d'):
        assert info[key].dtype == np.float32
    raw = np.array([line.split() for line in lines], np.float32)
    np.testing.assert_array_equal(info['keypoint_3d'][0].reshape(-1, 3),
                                  raw[:, :3])
    # joint 2 of frame 1 is line 22 (1-based)
    np.testing.assert_array_equal(info['keypoint_3d'][0, 1, 1],
                                  np.float32(lines[21].split()[:3]))
    np.testing.assert_array_equal(info['keypoint_score'][0].reshape(-1),
                                  raw[:, 3])
    assert info['modality'] == 'Pose'


def test_zero_file_raises_naming_it_or_is_skipped(msr, tmp_path):
    train = osp.join(MSR, 'train_list.txt')
    with pytest.raises(InvalidSkeletonFile, match='a13_s09_e02'):
        build(train)
    ds = build(train, skip_invalid=True)
    assert len(ds) == 291
    assert [osp.basename(p) for p in ds.skipped] == [ZERO]
    names = {ds.get_data_info(i)['frame_dir'] for i in range(len(ds))}
    assert 'a13_s09_e02' not in names and 'a13_s09_e01' in names
    # the test split is all valid: 275 sequences, no skipping needed
    test = build(osp.join(MSR, 'test_list.txt'), test_mode=True)
    assert len(test) == 275 and test.skipped == []
    assert {test.get_data_info(i)['label'] for i in range(275)} == \
        set(range(20))


@pytest.mark.parametrize('text, match', [
    ('', 'empty'),
    ('0.1 0.2 2.0 1\n' * 19, '19 lines, not a multiple of 20'),
    ('0.1 0.2 2.0 1\n' * 19 + '0.1 0.2 2.0\n', 'line 20 has 3 fields'),
    ('0.1 0.2 2.0 x\n' * 20, 'line 1 is not numeric'),
    ('0 0 0 0\n' * 40, 'all 2 frames are zero'),
    ('nan 0.2 2.0 1\n' * 20, 'non-finite'),
])
def test_invalid_files(tmp_path, text, match):
    path = tmp_path / 'a01_s99_e01_skeleton3D.txt'
    path.write_text(text)
    with pytest.raises(InvalidSkeletonFile, match=match) as error:
        read_skeleton(str(path))
    assert str(path) in str(error.value)
    real = osp.join(SKELETONS, 'a01_s01_e01_skeleton3D.txt')
    ann = write_list(tmp_path, [real, path.name], labels=[0, 0])
    with pytest.raises(InvalidSkeletonFile, match=match):
        build(ann, prefix=str(tmp_path))
    ds = build(ann, prefix=str(tmp_path), skip_invalid=True)
    assert len(ds) == 1 and ds.skipped == [str(path)]
    assert ds.get_data_info(0)['filename'] == real  # absolute: kept
    only_invalid = write_list(tmp_path, [path.name], name='only.txt')
    with pytest.raises(ValueError, match='no valid skeleton sequence'):
        build(only_invalid, prefix=str(tmp_path), skip_invalid=True)


def test_bad_arguments(tmp_path):
    ann = write_list(tmp_path, ['a01_s01_e01_skeleton3D.txt'])
    with pytest.raises(ValueError, match='data_prefix=dict\\(skeleton'):
        MSRAction3DDataset(ann, [], data_prefix=dict(video=SKELETONS))
    with pytest.raises(ValueError, match='keypoint_type'):
        build(ann, keypoint_type='xyz')
    (tmp_path / 'bad.txt').write_text('a01_s01_e01_skeleton3D.txt\n')
    with pytest.raises(ValueError, match='bad.txt:1'):
        build(str(tmp_path / 'bad.txt'))


# -------------------------------------------------- hand-made, exact numbers
def test_hand_made_sequence_exact_projection(tmp_path):
    """3 frames: two with joints at known places, one lost (all zero)."""
    frame0 = np.zeros((20, 4), np.float32)
    frame0[:, 2], frame0[:, 3] = 2.0, 0.5
    frame0[0] = [1.0, 1.0, 2.5, 1.0]  # top, camera's left
    frame0[1] = [-1.0, -1.0, 3.0, 0.0]  # bottom, camera's right
    frame1 = np.tile(np.float32([[0.5, 0.5, 2.5, 0.25]]), (20, 1))
    lost = np.zeros((20, 4), np.float32)
    joints = np.concatenate([frame0, frame1, lost])
    (tmp_path / 'seq.txt').write_text(''.join(
        ' '.join(f'{v:f}' for v in row) + '\n' for row in joints))
    ann = write_list(tmp_path, ['seq.txt'], labels=[7])
    # u = -x in [-1, 1], v = -y in [-1, 1]; canvas H=32, W=64, margin 1:
    # scale = min((63 - 2) / 2, (31 - 2) / 2) = 14.5 (aspect kept),
    # pixel = (u, v) * 14.5 + (31.5, 15.5)
    info = build(ann, prefix=str(tmp_path), img_shape=(32, 64),
                 margin=1).get_data_info(0)
    assert info['total_frames'] == 3 and info['label'] == 7
    assert info['img_shape'] == (32, 64)
    kp, score = info['keypoint'][0], info['keypoint_score'][0]
    np.testing.assert_allclose(kp[0, 0], [17.0, 1.0])
    np.testing.assert_allclose(kp[0, 1], [46.0, 30.0])
    np.testing.assert_allclose(kp[0, 2:], np.tile([31.5, 15.5], (18, 1)))
    np.testing.assert_allclose(kp[1], np.tile([24.25, 8.25], (20, 1)))
    np.testing.assert_array_equal(kp[2], 0)  # lost frame: missing
    np.testing.assert_array_equal(score[0, :3], [1.0, 0.0, 0.5])
    np.testing.assert_array_equal(score[1], 0.25)
    np.testing.assert_array_equal(score[2], 0)
    np.testing.assert_array_equal(info['keypoint_3d'][0],
                                  joints[:, :3].reshape(3, 20, 3))
    assert info['projection']['scale'] == pytest.approx(14.5)
    # mirror view (u = x), ones as scores (still 0 in the lost frame)
    info = build(ann, prefix=str(tmp_path), img_shape=(32, 64), margin=1,
                 flip_x=False, use_confidence=False).get_data_info(0)
    np.testing.assert_allclose(info['keypoint'][0, 0, :2],
                               [[46.0, 1.0], [17.0, 30.0]])
    np.testing.assert_array_equal(info['keypoint_score'][0, :2], 1)
    np.testing.assert_array_equal(info['keypoint_score'][0, 2], 0)
    # 3D mode: raw joints as `keypoint`, no `keypoint_score`
    info = build(ann, prefix=str(tmp_path),
                 keypoint_type='3d').get_data_info(0)
    np.testing.assert_array_equal(info['keypoint'], info['keypoint_3d'])
    assert 'keypoint_score' not in info


# ------------------------------------------------ layout and projection
@pytest.fixture(scope='module')
def sequences(msr, tmp_path_factory):
    names = ['a01_s01_e01', 'a01_s03_e02', 'a02_s05_e01', 'a14_s01_e01',
             'a16_s02_e01', 'a20_s02_e01']  # a20_s02_e01: lost frames
    ann = write_list(tmp_path_factory.mktemp('msr'),
                     [n + '_skeleton3D.txt' for n in names])
    ds = build(ann)
    return {ds.get_data_info(i)['frame_dir']: ds.get_data_info(i)
            for i in range(len(ds))}


def test_layout_constants():
    assert len(MSR_JOINT_NAMES) == 20 and len(set(MSR_JOINT_NAMES)) == 20
    assert len(MSR_SKELETON) == 19  # a tree over the 20 joints
    for left, right in zip(MSR_LEFT_KP, MSR_RIGHT_KP):
        assert MSR_JOINT_NAMES[left].replace('left_', 'right_') == \
            MSR_JOINT_NAMES[right]
    assert MSR_JOINT_NAMES[HEAD] == 'head'
    assert MSR_JOINT_NAMES[HIP_CENTER] == 'hip_center'
    assert MSR_GRAPH_LAYOUT['num_node'] == 20


def test_layout_matches_the_data(sequences):
    for name, info in sequences.items():
        xyz = info['keypoint_3d'][0]
        xyz = xyz[np.any(xyz != 0, axis=(1, 2))]
        height = xyz[..., 1].mean(0)
        assert height.argmax() == HEAD, name  # head: top-most joint
        assert height[2] > height[0] and height[2] > height[3]  # neck
        # feet, ankles, knees below the hips
        assert np.all(height[[17, 18]] < height[[15, 16]])
        assert np.all(height[[15, 16]] < height[[13, 14]])
        assert np.all(height[[13, 14]] < height[[4, 5]])
        # the tracker's limbs keep their length: the edges are real (head -
        # neck and hip centre - spine vary more, up to 12 % in a20_s02_e01)
        for a, b in MSR_SKELETON:
            length = np.linalg.norm(xyz[:, a] - xyz[:, b], axis=-1)
            tolerance = 0.2 if a in (HEAD, HIP_CENTER) else 0.05
            assert length.std() < tolerance * length.mean(), (name, a, b)
    # one-arm actions are done with the right arm: its hand moves most
    for name in ('a01_s01_e01', 'a01_s03_e02', 'a02_s05_e01'):
        motion = sequences[name]['keypoint_3d'][0].std(0).sum(-1)
        assert motion[RIGHT_HAND] > 3 * motion[LEFT_HAND], name
    # the forward kick is done with the right leg (foot 18, not 17)
    motion = sequences['a14_s01_e01']['keypoint_3d'][0].std(0).sum(-1)
    assert motion[18] > 2 * motion[17]


def test_projection_is_upright_camera_view_in_canvas(sequences):
    for name, info in sequences.items():
        kp, h_w = info['keypoint'][0], info['img_shape']
        present = np.any(kp != 0, axis=(1, 2))
        kp = kp[present]
        # up is up: the head has smaller row (y) than the hip centre
        assert kp[:, HEAD, 1].mean() < kp[:, HIP_CENTER, 1].mean() - 10
        assert np.all(kp[:, HEAD, 1] < kp[:, HIP_CENTER, 1])
        # inside the canvas with the 4 px margin, filling the longer side
        assert kp.min() >= 4 - 1e-4
        assert np.all(kp.max((0, 1)) <= np.array(h_w[::-1]) - 1 - 4 + 1e-4)
        extent = kp.max((0, 1)) - kp.min((0, 1))
        assert extent.max() == pytest.approx(63 - 8, abs=1e-3)
    # camera view, not a mirror: the waving right hand is on the image left
    kp = sequences['a01_s01_e01']['keypoint'][0]
    assert kp[:, RIGHT_HAND, 0].mean() < kp[:, LEFT_HAND, 0].mean() - 10
    # lost frames are missing (0) with score 0
    info = sequences['a20_s02_e01']
    lost = ~np.any(info['keypoint_3d'][0] != 0, axis=(1, 2))
    assert lost.sum() == 32
    assert np.all(info['keypoint'][0, lost] == 0)
    assert np.all(info['keypoint_score'][0, lost] == 0)


# ----------------------------------------------------- heatmap pipeline
def run_pipeline(info, pipeline):
    """Run the transforms, returning the packed sample and the keypoints
    and scores that ``GeneratePoseTarget`` saw."""
    results = dict(info)
    seen = {}
    for cfg in pipeline:
        if cfg['type'] == 'GeneratePoseTarget':
            seen = dict(kp=results['keypoint'].copy(),
                        score=results['keypoint_score'].copy(),
                        img_shape=results['img_shape'])
        results = TRANSFORMS.build(cfg)(results)
    return results, seen


def assert_peaks_at_keypoints(heatmaps, kp, score):
    """``heatmaps`` (20, T, H, W): each joint's maximum lies at the pixel
    nearest its keypoint (within 1 px) where it is inside the image."""
    _, T, H, W = heatmaps.shape
    checked = 0
    for t in range(T):
        for v in range(20):
            x, y = kp[0, t, v]
            if score[0, t, v] < 0.3 or not (0 <= x <= W - 1
                                            and 0 <= y <= H - 1):
                continue
            row, col = np.unravel_index(heatmaps[v, t].argmax(), (H, W))
            assert abs(col - x) <= 1 and abs(row - y) <= 1, (t, v, x, y)
            assert heatmaps[v, t].max() == pytest.approx(
                score[0, t, v] * math.exp(
                    -((col - x)**2 + (row - y)**2) / 2 / 0.6**2), rel=1e-4)
            checked += 1
    assert checked >= 50


def test_heatmap_pipelines_of_the_config(msr, sequences):
    cfg = Config.fromfile(POSEC3D)
    np.random.seed(0)
    for name in ('a01_s01_e01', 'a20_s02_e01'):
        info = sequences[name]
        # train: random crop, resize to 56x56, random flip
        for _ in range(3):
            out, seen = run_pipeline(info, cfg.train_pipeline)
            assert out['inputs'].shape == (1, 20, 32, 56, 56)
            assert seen['img_shape'] == (56, 56)
            assert_peaks_at_keypoints(out['inputs'][0].numpy(), seen['kp'],
                                      seen['score'])
        # val: the 64x64 canvas as it is
        out, seen = run_pipeline(info, cfg.val_pipeline)
        assert out['inputs'].shape == (1, 20, 32, 64, 64)
        assert out['inputs'].dtype == torch.float32
        assert out['data_samples'].gt_label.item() == info['label']
        assert_peaks_at_keypoints(out['inputs'][0].numpy(), seen['kp'],
                                  seen['score'])
        # test: 5 clips, plus their flips with left/right channels swapped
        out, _ = run_pipeline(info, cfg.test_pipeline)
        heat = out['inputs'].numpy()
        assert heat.shape == (10, 20, 32, 64, 64)
        swap = list(range(20))
        for left, right in zip(MSR_LEFT_KP, MSR_RIGHT_KP):
            swap[left], swap[right] = right, left
        np.testing.assert_array_equal(heat[5:], heat[:5, swap, ..., ::-1])


def test_a_resize_moves_peaks_with_keypoints(msr, sequences):
    """A pipeline that resizes the canvas (64 -> 40x48, aspect changed)."""
    pipeline = [
        dict(type='UniformSampleFrames', clip_len=8, test_mode=True),
        dict(type='PoseDecode'),
        dict(type='Resize', scale=(48, 40), keep_ratio=False),
        dict(type='GeneratePoseTarget', sigma=0.6, use_score=True,
             with_kp=True, with_limb=False),
        dict(type='FormatShape', input_format='NCTHW_Heatmap'),
        dict(type='PackActionInputs'),
    ]
    info = sequences['a14_s01_e01']
    out, seen = run_pipeline(info, pipeline)
    assert out['inputs'].shape == (1, 20, 8, 40, 48)
    inds = TRANSFORMS.build(pipeline[0])(dict(info))['frame_inds']
    np.testing.assert_allclose(
        seen['kp'], info['keypoint'][:, inds] * [48 / 64, 40 / 64],
        rtol=1e-5)
    assert_peaks_at_keypoints(out['inputs'][0].numpy(), seen['kp'],
                              seen['score'])


# ---------------------------------------------------------- configs
def test_config_layouts_match_the_module():
    posec3d, stgcn = Config.fromfile(POSEC3D), Config.fromfile(STGCN)
    assert tuple(posec3d.left_kp) == MSR_LEFT_KP
    assert tuple(posec3d.right_kp) == MSR_RIGHT_KP
    layout = stgcn.model.backbone.graph_cfg.layout
    assert [tuple(e) for e in layout.inward] == list(MSR_SKELETON)
    assert layout.center == MSR_GRAPH_LAYOUT['center']
    assert posec3d.data_root == stgcn.data_root == \
        '../shared/data/msr_action3d'


@pytest.mark.parametrize('config', [POSEC3D, STGCN],
                         ids=['posec3d', 'stgcn'])
def test_config_trains_one_iteration(msr, config):
    cfg = Config.fromfile(config)
    cfg.merge_from_dict({
        'train_dataloader.batch_size': 4,
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
        'train_dataloader.dataset.ann_file':
        osp.join(MSR, 'train_list.txt'),
        'train_dataloader.dataset.data_prefix': dict(skeleton=SKELETONS),
        'train_dataloader.dataset.indices': 4,
    })
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    assert len(loader.dataset) == 4
    batch = next(iter(loader))
    assert len(batch['inputs']) == 4
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    before = {k: v.detach().clone() for k, v in model.named_parameters()}
    model.train()
    log_vars = model.train_step(batch, optim_wrapper)
    assert math.isfinite(log_vars['loss'].item())
    changed = [k for k, v in model.named_parameters()
               if not torch.equal(v, before[k])]
    assert any(k.startswith('cls_head.') for k in changed)
    assert any(k.startswith('backbone.') for k in changed)


def test_registered():
    assert DATASETS.get('MSRAction3DDataset') is MSRAction3DDataset
