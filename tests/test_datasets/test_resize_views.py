"""ResizeViews: a named view resized frame by frame, channels kept apart,
other views untouched."""
import numpy as np
import pytest
from mmaction.registry import TRANSFORMS
from mmengine.registry import init_default_scope

import mmrazor_video_kd  # noqa: F401


def test_area_resize_averages_blocks_per_frame_and_channel():
    init_default_scope('mmaction')
    # frame f, channel c, pixel (y, x) = 100 f + 10 c + 4 y + x
    f, c, y, x = np.meshgrid(np.arange(3), np.arange(3), np.arange(4),
                             np.arange(4), indexing='ij')
    frames = (100 * f + 10 * c + 4 * y + x).astype(np.float32)
    teacher = frames.copy()
    resize = TRANSFORMS.build(dict(type='ResizeViews', interpolation='area',
                                   sizes=dict(student=(2, 2))))
    results = resize(dict(student=frames, teacher=teacher))
    student = results['student']
    assert student.shape == (3, 3, 2, 2)
    # mean of each 2x2 block: 100 f + 10 c + 4 (2 Y + .5) + (2 X + .5)
    for f, c, y, x in np.ndindex(*student.shape):
        expected = 100 * f + 10 * c + 4 * (2 * y + .5) + (2 * x + .5)
        assert student[f, c, y, x] == pytest.approx(expected), (f, c, y, x)
    assert results['teacher'] is teacher  # other views as they were


def test_non_square_size_is_width_height_and_one_channel_works():
    init_default_scope('mmaction')
    resize = TRANSFORMS.build(dict(type='ResizeViews',
                                   sizes=dict(student=(6, 2))))
    out = resize(dict(student=np.ones((5, 1, 4, 12), np.float32) * 7))
    assert out['student'].shape == (5, 1, 2, 6)
    assert np.allclose(out['student'], 7)


def test_bad_sizes_and_missing_views_name_the_view():
    init_default_scope('mmaction')
    with pytest.raises(ValueError, match="view 'student'.*got \\[48\\]"):
        TRANSFORMS.build(dict(type='ResizeViews', sizes=dict(student=[48])))
    resize = TRANSFORMS.build(dict(type='ResizeViews',
                                   sizes=dict(student=(4, 4))))
    with pytest.raises(KeyError, match="no view 'student'.*a.mp4"):
        resize(dict(imgs=np.zeros((2, 3, 8, 8)), filename='a.mp4'))
