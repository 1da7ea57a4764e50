"""JointToBoneByPairs: MMAction2's JointToBone for a skeleton given by its
own (child, parent) pairs."""
import numpy as np
import pytest
from mmaction.datasets.transforms import JointToBone
from mmaction.registry import TRANSFORMS
from mmengine.registry import init_default_scope

import mmrazor_video_kd  # noqa: F401


def build(**kwargs):
    init_default_scope('mmaction')
    return TRANSFORMS.build(dict(type='JointToBoneByPairs', **kwargs))


def test_bones_by_hand_on_a_three_joint_chain():
    # joints 0 (root) <- 1 <- 2, one person, two frames, 3D
    keypoint = np.array([[[[0, 0, 0], [1, 2, 3], [1, 5, 3]],
                          [[1, 1, 1], [1, 1, 2], [4, 1, 2]]]], np.float32)
    results = build(pairs=[[1, 0], [2, 1]], target='b')(
        dict(keypoint=keypoint.copy()))
    expected = np.array([[[[0, 0, 0], [1, 2, 3], [0, 3, 0]],
                          [[0, 0, 0], [0, 0, 1], [3, 0, 0]]]], np.float32)
    np.testing.assert_array_equal(results['b'], expected)
    np.testing.assert_array_equal(results['keypoint'], keypoint)


def test_same_bones_as_upstream_for_its_named_layout():
    upstream = JointToBone(dataset='nturgb+d', target='b')
    keypoint = np.random.default_rng(0).normal(
        size=(2, 5, 25, 3)).astype(np.float32)
    ours = build(pairs=[list(p) for p in upstream.pairs], target='b')
    np.testing.assert_array_equal(
        ours(dict(keypoint=keypoint))['b'],
        upstream(dict(keypoint=keypoint))['b'])


def test_bad_pairs_are_refused():
    with pytest.raises(ValueError, match=r'\(child, parent\).*\[1, 2, 3\]'):
        build(pairs=[[1, 2, 3]])
    with pytest.raises(ValueError, match='more than one pair'):
        build(pairs=[[1, 0], [1, 2]])
    bones = build(pairs=[[1, 0], [20, 1]])
    with pytest.raises(ValueError, match='joint index 20.*s01.*20 joints'):
        bones(dict(keypoint=np.zeros((1, 2, 20, 3), np.float32),
                   frame_dir='s01'))
