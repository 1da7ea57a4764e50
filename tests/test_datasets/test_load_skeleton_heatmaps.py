"""LoadSkeletonHeatmaps: keypoints of the sampled frames, cropped, resized
and flipped like the RGB frames, rendered as heatmap volumes; checked
against hand-computed peak positions and through a real AVLetters RGB
pipeline (the skeletons are made up for the test: AVLetters has none)."""
import os.path as osp
import pickle

import numpy as np
import pytest
from mmaction.registry import TRANSFORMS
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.datasets import LoadSkeletonHeatmaps

COCO_LEFT = [1, 3, 5, 7, 9, 11, 13, 15]
COCO_RIGHT = [2, 4, 6, 8, 10, 12, 14, 16]


def write_annotations(path, anns, wrap=True):
    with open(path, 'wb') as f:
        pickle.dump(dict(split={}, annotations=anns) if wrap else anns, f)
    return str(path)


def marker_annotation(name, total_frames, img_shape):
    """One person; joint v of frame t at x = 4 + t + v, y = 3 + 2 v."""
    t = np.arange(total_frames, dtype=np.float32)[:, None]
    v = np.arange(17, dtype=np.float32)[None, :]
    kps = np.stack(np.broadcast_arrays(4 + t + v, 3 + 2 * v), -1)[None]
    return dict(frame_dir=name, total_frames=total_frames,
                img_shape=img_shape, label=0, keypoint=kps.astype(np.float32),
                keypoint_score=np.ones(kps.shape[:-1], np.float32))


def peaks(maps):
    """(row, col) of the maximum of each (V, T) heatmap: (V, T, 2)."""
    v, t, h, w = maps.shape
    flat = maps.reshape(v, t, h * w).argmax(-1)
    return np.stack([flat // w, flat % w], -1)


def test_frames_crop_and_scale_by_hand(tmp_path):
    ann = write_annotations(tmp_path / 'pose.pkl',
                            [marker_annotation('clip', 30, (60, 80))])
    load = LoadSkeletonHeatmaps(ann, size=(40, 60))
    inds = np.array([2, 5, 7, 20])
    # crop x in [20, 60) of 80 px, whole height; output 40 x 60: scale 1
    out = load(dict(filename='videos/clip.mp4', frame_inds=inds,
                    total_frames=30,
                    crop_quadruple=np.array([0.25, 0., 0.5, 1.]))
               )['skeleton']
    assert out.shape == (1, 17, 4, 60, 40) and out.dtype == np.float32
    got = peaks(out[0])
    for v in range(17):
        for t, frame in enumerate(inds):
            x, y = 4 + frame + v - 20, 3 + 2 * v
            if 0 <= x < 40:
                assert tuple(got[v, t]) == (y, x), (v, t)
                assert out[0, v, t].max() == pytest.approx(1.0, abs=1e-3)
            elif x < -2 or x > 41:  # outside the crop: nothing drawn
                assert out[0, v, t].max() < 0.01
    # frames rendered at half the resolution of the decoded video
    half = write_annotations(tmp_path / 'half.pkl',
                             [marker_annotation('clip', 30, (30, 40))])
    out = LoadSkeletonHeatmaps(half, size=(80, 60))(
        dict(filename='clip.mp4', frame_inds=np.array([3]),
             original_shape=(60, 80)))['skeleton']
    # x = 2 * (4 + 3 + v) in 80 px (+ half-pixel centre shifts: 2x+0.5)
    assert tuple(peaks(out[0])[0, 0]) == (round(2 * 3 + 0.5),
                                          round(2 * 7 + 0.5))


def test_horizontal_flip_mirrors_and_swaps_sides(tmp_path):
    ann = write_annotations(tmp_path / 'pose.pkl',
                            [marker_annotation('clip', 10, (60, 40))],
                            wrap=False)  # a plain list of annotations
    load = LoadSkeletonHeatmaps(
        ann, size=(40, 60),
        heatmap=dict(left_kp=COCO_LEFT, right_kp=COCO_RIGHT))
    results = dict(filename='clip.mp4', frame_inds=np.array([1, 4]))
    plain = load(dict(results))['skeleton'][0]
    flipped = load(dict(results, flip=True,
                        flip_direction='horizontal'))['skeleton'][0]
    swap = list(range(17))
    for a, b in zip(COCO_LEFT, COCO_RIGHT):
        swap[a], swap[b] = b, a
    np.testing.assert_array_equal(flipped, plain[swap][..., ::-1])
    # the left wrist (9) of the flipped clip is the mirrored right wrist
    assert tuple(peaks(flipped)[9, 0]) == (3 + 2 * 10, 39 - (4 + 1 + 10))
    vertical = load(dict(results, flip=True,
                         flip_direction='vertical'))['skeleton'][0]
    np.testing.assert_array_equal(vertical, plain[:, :, ::-1])


def test_aligned_with_a_real_rgb_pipeline(tmp_path, avletters):
    """Frame indices and crop of SampleFrames/RandomCrop on a real video
    reach the skeleton: each sampled frame's marker sits where the
    annotation of that frame index, cropped, puts it."""
    init_default_scope('mmaction')
    name = 'A1_Anya'
    video = osp.join(avletters, 'videos', f'{name}.mp4')
    import decord
    reader = decord.VideoReader(video)
    total, (height, width) = len(reader), reader[0].shape[:2]
    ann = write_annotations(tmp_path / 'pose.pkl', [
        marker_annotation(name, total, (height, width))])
    pipeline = Compose([TRANSFORMS.build(t) for t in [
        dict(type='DecordInit'),
        dict(type='SampleFrames', clip_len=1, num_clips=8),
        dict(type='DecordDecode'),
        dict(type='RandomCrop', size=48),
        dict(type='Flip', flip_ratio=0.0),
        dict(type='LoadSkeletonHeatmaps', ann_file=ann, size=(48, 48)),
        dict(type='FormatShape', input_format='NCHW'),
        dict(type='PackActionInputs', collect_keys=('imgs', 'skeleton'),
             meta_keys=('img_shape', 'crop_quadruple', 'frame_inds'))
    ]])
    np.random.seed(0)
    for _ in range(3):
        results = pipeline(dict(filename=video, label=0, start_index=0,
                                modality='RGB'))
        meta = results['data_samples'].metainfo
        imgs, maps = results['inputs']['imgs'], results['inputs']['skeleton']
        assert imgs.shape == (8, 3, 48, 48) and maps.shape[:3] == (1, 17, 8)
        x0 = meta['crop_quadruple'][0] * width
        y0 = meta['crop_quadruple'][1] * height
        got, checked = peaks(maps[0].numpy()), 0
        for t, frame in enumerate(meta['frame_inds']):
            for v in range(17):
                x, y = 4 + frame + v - x0, 3 + 2 * v - y0
                if 0 <= x < 48 and 0 <= y < 48:
                    assert tuple(got[v, t]) == (round(y), round(x))
                    checked += 1
        assert checked >= 8 * 5


def test_clips_and_bad_input(tmp_path):
    ann = write_annotations(tmp_path / 'pose.pkl',
                            [marker_annotation('clip', 12, (60, 80))])
    out = LoadSkeletonHeatmaps(ann, size=(20, 15), frames_per_clip=4)(
        dict(filename='clip.mp4', frame_inds=np.arange(8)))['skeleton']
    assert out.shape == (2, 17, 4, 15, 20)
    with pytest.raises(ValueError, match='not clips of 3'):
        LoadSkeletonHeatmaps(ann, frames_per_clip=3)(
            dict(filename='clip.mp4', frame_inds=np.arange(8)))
    with pytest.raises(KeyError, match=r"'other'.*pose\.pkl"):
        LoadSkeletonHeatmaps(ann)(dict(filename='v/other.mp4',
                                       frame_inds=np.arange(2)))
    with pytest.raises(ValueError, match='12 frames.*has 20'):
        LoadSkeletonHeatmaps(ann)(dict(filename='clip.mp4', total_frames=20,
                                       frame_inds=np.arange(2)))
    with pytest.raises(FileNotFoundError, match='missing.pkl'):
        LoadSkeletonHeatmaps(str(tmp_path / 'missing.pkl'))(
            dict(filename='clip.mp4', frame_inds=np.arange(2)))
    with pytest.raises(ValueError, match='double'):
        LoadSkeletonHeatmaps(ann, heatmap=dict(double=True))
    with pytest.raises(ValueError, match='with_kp and with_limb'):
        LoadSkeletonHeatmaps(ann, heatmap=dict(with_limb=True))
