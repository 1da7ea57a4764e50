"""The generated motion dataset: real mp4, deterministic, and labelled by
motion rather than by any single frame."""
import os
import os.path as osp

import decord
import numpy as np
import pytest
from conftest import load_script

tool = load_script('tools/data/make_motion_dataset.py')

SMALL = dict(num_train=2, num_val=1, frames=8, size=32)


def read_list(root, split):
    with open(osp.join(root, f'{split}_list.txt')) as f:
        return [line.split() for line in f]


def decode(root, rel):
    reader = decord.VideoReader(osp.join(root, rel))
    return np.stack([reader[i].asnumpy() for i in range(len(reader))])


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('motions') / 'd')
    tool.make_motion_dataset(root, seed=0, **SMALL)
    return root


def test_lists_and_videos(dataset):
    train, val = read_list(dataset, 'train'), read_list(dataset, 'val')
    n = len(tool.CLASSES)
    assert len(train) == 2 * n and len(val) == n
    assert {int(label) for _, label in train} == set(range(n))
    for rel, _ in train + val:
        clip = decode(dataset, rel)
        assert clip.shape == (8, 32, 32, 3)
    with open(osp.join(dataset, 'label_map.txt')) as f:
        assert tuple(f.read().split()) == tool.CLASSES


def test_same_seed_same_data_other_seed_other_data(dataset, tmp_path):
    again, other = str(tmp_path / 'again'), str(tmp_path / 'other')
    tool.make_motion_dataset(again, seed=0, **SMALL)
    tool.make_motion_dataset(other, seed=1, **SMALL)
    assert read_list(again, 'train') == read_list(dataset, 'train')
    rel = read_list(dataset, 'train')[0][0]
    assert np.array_equal(decode(again, rel), decode(dataset, rel))
    assert not np.array_equal(decode(other, rel), decode(dataset, rel))


def centroids(clip):
    """Per-frame centroid (x, y) and area of pixels brighter than the
    background (the shape is always brighter than its background)."""
    grey = clip.astype(np.float32).mean(-1)
    out = []
    for frame in grey:
        mask = frame > np.median(frame) + 40
        ys, xs = np.nonzero(mask)
        out.append((xs.mean(), ys.mean(), mask.sum()))
    return np.array(out)


def test_motion_is_in_the_video():
    rng = np.random.default_rng(0)
    for _ in range(5):
        right = centroids(tool.render_clip('move_right', rng, 16, 64))
        left = centroids(tool.render_clip('move_left', rng, 16, 64))
        down = centroids(tool.render_clip('move_down', rng, 16, 64))
        assert right[-1, 0] - right[0, 0] > 10
        assert left[-1, 0] - left[0, 0] < -10
        assert down[-1, 1] - down[0, 1] > 10
        grow = centroids(tool.render_clip('grow', rng, 16, 64))
        shrink = centroids(tool.render_clip('shrink', rng, 16, 64))
        assert grow[-1, 2] > 2 * grow[0, 2]
        assert shrink[-1, 2] < shrink[0, 2] / 2
        for label, sign in [('rotate_clockwise', 1),
                            ('rotate_counterclockwise', -1)]:
            c = centroids(tool.render_clip(label, rng, 16, 64))
            # orbit centre = mean of the path; y points down, so a positive
            # cross product of successive radius vectors is clockwise
            r = c[:, :2] - c[:, :2].mean(0)
            cross = r[:-1, 0] * r[1:, 1] - r[:-1, 1] * r[1:, 0]
            assert np.sign(cross.sum()) == sign, label


def test_frames_without_their_order_do_not_reveal_the_class():
    """Pooled over clips and time, opposite classes have the same frame
    statistics (x position, shape area); only the order differs."""
    rng = np.random.default_rng(1)

    def pooled(label):
        return np.concatenate([
            centroids(tool.render_clip(label, rng, 8, 64))
            for _ in range(60)])

    left, right = pooled('move_left'), pooled('move_right')
    assert abs(left[:, 0].mean() - right[:, 0].mean()) < 2
    assert abs(left[:, 0].std() - right[:, 0].std()) < 2
    grow, shrink = pooled('grow'), pooled('shrink')
    assert abs(grow[:, 2].mean() / shrink[:, 2].mean() - 1) < 0.1


def test_rerun_keeps_and_mismatch_refuses(dataset):
    video = osp.join(dataset, read_list(dataset, 'train')[0][0])
    mtime = os.stat(video).st_mtime_ns
    tool.make_motion_dataset(dataset, seed=0, **SMALL)
    assert os.stat(video).st_mtime_ns == mtime
    with pytest.raises(FileExistsError, match=dataset):
        tool.make_motion_dataset(dataset, seed=5, **SMALL)
    assert os.stat(video).st_mtime_ns == mtime


def test_force_regenerates(tmp_path):
    root = str(tmp_path / 'd')
    tool.make_motion_dataset(root, seed=0, **SMALL)
    tool.make_motion_dataset(root, seed=3, force=True, **SMALL)
    assert tool.json.load(open(osp.join(root, 'meta.json')))['seed'] == 3
    assert not [p for p in os.listdir(tmp_path) if '.tmp-' in p]


def test_fast_task_lists_and_meta(tmp_path):
    root = str(tmp_path / 'fast')
    meta = tool.make_motion_dataset(root, task='fast', **SMALL)
    assert meta['task'] == 'fast' and meta['classes'] == list(
        tool.FAST_CLASSES)
    train = read_list(root, 'train')
    assert len(train) == 2 * len(tool.FAST_CLASSES)
    with open(osp.join(root, 'label_map.txt')) as f:
        assert tuple(f.read().split()) == tool.FAST_CLASSES
    assert decode(root, train[0][0]).shape == (8, 32, 32, 3)
    with pytest.raises(ValueError, match='unknown task'):
        tool.make_motion_dataset(str(tmp_path / 'x'), task='nope', **SMALL)


def test_fast_moves_are_plain_frame_to_frame_and_aliased_4_apart():
    """Consecutive frames show the direction (the shorter way round the
    32-pixel frame); frames 4 apart show the opposite one when the speed is
    over 4 pixels a frame."""
    size, seen, fooled = 32, 0, 0
    rng = np.random.default_rng(0)
    for i in range(200):
        label = tool.FAST_CLASSES[i % 8]
        direction = np.array(tool.FAST_DIRECTIONS[label[len('fast_'):]])
        centres, _ = tool._fast_trajectory(label, rng, 16, size)
        step = centres[1] - centres[0]
        assert np.array_equal(np.sign(np.round(step, 6)), direction)
        assert 2.4 < np.abs(step).max() < 5.1

        def apparent(a, b):
            return (centres[b] - centres[a] + size / 2) % size - size / 2

        for t in range(15):
            assert np.array_equal(
                np.sign(np.round(apparent(t, t + 1), 6)), direction)
        seen += 1
        fooled += not np.array_equal(
            np.sign(np.round(apparent(0, 4), 6)), direction)
    assert 0.3 < fooled / seen < 0.5


def test_fast_clip_wraps_around_the_frame():
    rng = np.random.default_rng(2)
    clip = tool.render_clip('fast_right', rng, 16, 32)
    assert clip.shape == (16, 32, 32, 3)
    grey = clip.astype(np.float32).mean(-1)
    # the shape stays whole: the same bright area in every frame
    areas = [(f > np.median(f) + 40).sum() for f in grey]
    assert max(areas) < 1.5 * min(areas)
