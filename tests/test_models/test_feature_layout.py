"""Layout conversions against explicit indexing."""
import pytest
import torch

from mmrazor_video_kd.models.utils import (from_ncthw, pool_clip, to_ncthw,
                                           to_sample_sets)


def test_2d_round_trip_and_indexing():
    x = torch.randn(2 * 4, 3, 5, 6)
    y = to_ncthw(x, '2d', num_segments=4)
    assert y.shape == (2, 3, 4, 5, 6)
    assert torch.equal(y[1, :, 2], x[1 * 4 + 2])
    assert torch.equal(from_ncthw(y, '2d'), x)


def test_nhwc_round_trip():
    x = torch.randn(2 * 4, 5, 6, 3)
    y = to_ncthw(x, '2d-nhwc', num_segments=4)
    assert torch.equal(y[1, :, 2, 4, 5], x[6, 4, 5])
    assert torch.equal(from_ncthw(y, '2d-nhwc'), x)


def test_tokens_with_grid_and_class_token():
    x = torch.randn(2, 1 + 2 * 3 * 4, 5)
    y = to_ncthw(x, 'tokens', grid=(2, 3, 4))
    assert y.shape == (2, 5, 2, 3, 4)
    # token index l = t*12 + h*4 + w, after the class token
    assert torch.equal(y[1, :, 1, 2, 3], x[1, 1 + 12 + 8 + 3])
    assert torch.equal(from_ncthw(y, 'tokens'), x[:, 1:])


def test_tokens_grid_inferred_from_segments():
    x = torch.randn(1, 2 * 9, 4)
    assert to_ncthw(x, 'tokens', num_segments=2).shape == (1, 4, 2, 3, 3)


@pytest.mark.parametrize('bad', [
    dict(x=torch.randn(7, 3, 2, 2), layout='2d', num_segments=4),
    dict(x=torch.randn(2, 3, 2, 2), layout='3d'),
    dict(x=torch.randn(1, 10, 4), layout='tokens', grid=(2, 2, 2)),
    dict(x=torch.randn(1, 3), layout='nope'),
])
def test_bad_input_is_explained(bad):
    with pytest.raises(ValueError):
        to_ncthw(bad.pop('x'), **bad)


def test_pool_clip_and_sample_sets():
    x = torch.randn(2, 3, 4, 5, 6)
    assert torch.allclose(pool_clip(x, '3d'), x.mean((2, 3, 4)))
    sets = to_sample_sets(x, ('time', 'space'))
    assert sets.shape == (2, 4 * 30, 3)
    assert torch.equal(sets[1, 2 * 30 + 7], x[1, :, 2, 1, 1])
    pooled = to_sample_sets(x, ('batch', ), pool_axes=('time', 'space'))
    assert pooled.shape == (1, 2, 3)
    assert torch.allclose(pooled[0], x.mean((2, 3, 4)), atol=1e-6)
    with pytest.raises(ValueError, match='disjoint'):
        to_sample_sets(x, ('time', ), ('time', ))
