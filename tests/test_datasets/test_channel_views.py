"""ChannelViews: named views of some of a sample's feature channels, packed
as a {view: tensor} input."""
import numpy as np
import pytest
from mmaction.registry import TRANSFORMS
from mmengine.registry import init_default_scope

import mmrazor_video_kd  # noqa: F401


def build(**kwargs):
    init_default_scope('mmaction')
    return TRANSFORMS.build(dict(type='ChannelViews', **kwargs))


def test_student_gets_the_first_three_channels():
    # (clips, persons, frames, joints, channels); each value is its channel
    keypoint = np.arange(12, dtype=np.float32) * np.ones((1, 1, 4, 20, 12),
                                                         np.float32)
    pack = TRANSFORMS.build(dict(type='PackActionInputs',
                                 collect_keys=('student', 'keypoint')))
    results = pack(build(views=dict(student=[0, 1, 2]))(
        dict(keypoint=keypoint, label=7)))
    student = results['inputs']['student']
    assert tuple(student.shape) == (1, 1, 4, 20, 3)
    assert student[0, 0, 0, 0].tolist() == [0, 1, 2]
    assert results['inputs']['keypoint'][0, 0, 0, 0].tolist() == \
        list(range(12))
    assert int(results['data_samples'].gt_label) == 7


def test_a_view_is_a_copy():
    keypoint = np.zeros((1, 2, 3), np.float32)
    results = build(views=dict(a=[1]))(dict(keypoint=keypoint))
    results['a'][:] = 5
    assert keypoint.max() == 0


def test_bad_views_are_refused():
    with pytest.raises(ValueError, match="view 'student'.*>= 0"):
        build(views=dict(student=[]))
    views = build(views=dict(student=[0, 3]))
    with pytest.raises(ValueError,
                       match="channel 3 of 'keypoint' in s01.*3 channels"):
        views(dict(keypoint=np.zeros((1, 2, 3), np.float32),
                   frame_dir='s01'))
