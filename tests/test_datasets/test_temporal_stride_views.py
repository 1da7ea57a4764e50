"""TemporalStrideViews: aligned views of one clip with different frame
counts, packed as a {view: tensor} input."""
import numpy as np
import pytest
from mmaction.registry import TRANSFORMS
from mmengine.registry import init_default_scope

import mmrazor_video_kd  # noqa: F401


def frames(count):
    """(count, 3, 4, 4) frames whose every pixel is the frame index."""
    return np.arange(count, dtype=np.float32)[:, None, None, None] * \
        np.ones((1, 3, 4, 4), np.float32)


def test_student_gets_every_other_frame_and_teacher_two_clips():
    init_default_scope('mmaction')
    views = TRANSFORMS.build(dict(type='TemporalStrideViews', stride=2,
                                  views=dict(student=[0], teacher=[0, 1])))
    pack = TRANSFORMS.build(dict(type='PackActionInputs',
                                 collect_keys=('student', 'teacher')))
    results = pack(views(dict(imgs=frames(16), label=3)))
    student = results['inputs']['student'][:, 0, 0, 0].tolist()
    teacher = results['inputs']['teacher'][:, 0, 0, 0].tolist()
    assert student == [0, 2, 4, 6, 8, 10, 12, 14]
    assert teacher == student + [1, 3, 5, 7, 9, 11, 13, 15]
    assert int(results['data_samples'].gt_label) == 3


def test_bad_views_are_refused():
    init_default_scope('mmaction')
    with pytest.raises(ValueError, match="view 'teacher'.*\\[0, 2\\)"):
        TRANSFORMS.build(dict(type='TemporalStrideViews', stride=2,
                              views=dict(teacher=[0, 2])))
    views = TRANSFORMS.build(dict(type='TemporalStrideViews', stride=2,
                                  views=dict(student=[0])))
    with pytest.raises(ValueError, match='15 frames of a.mp4'):
        views(dict(imgs=frames(15), filename='a.mp4'))
