"""StandardizeClipIntensity: a clip and a darker, lower-contrast copy of it
become the same clip, with the target mean and std; bad use is refused."""
import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

import mmrazor_video_kd  # noqa: F401 (registers the transform)


def clip(seed=0, frames=4):
    rng = np.random.default_rng(seed)
    return [rng.integers(60, 180, (6, 8, 3)).astype(np.uint8)
            for _ in range(frames)]


def test_brightness_and_contrast_of_a_recording_are_removed():
    transform = TRANSFORMS.build(dict(type='StandardizeClipIntensity',
                                      target_mean=110, target_std=25))
    bright = clip()
    # the same scene, darker and flatter (another camera gain / lighting)
    dark = [(0.7 * frame + 5).astype(np.float32) for frame in bright]
    out_bright = transform(dict(imgs=bright))['imgs']
    out_dark = transform(dict(imgs=dark))['imgs']
    assert len(out_bright) == 4 and out_bright[0].shape == (6, 8, 3)
    assert out_bright[0].dtype == np.float32
    np.testing.assert_allclose(np.stack(out_bright), np.stack(out_dark),
                               atol=1e-3)
    stacked = np.stack(out_bright).astype(np.float64)
    assert stacked.mean() == pytest.approx(110, abs=1e-3)
    assert stacked.std() == pytest.approx(25, abs=1e-3)
    # the same affine map for every frame: frame order and motion are kept
    raw = np.stack(bright).astype(np.float64)
    expected = (raw - raw.mean()) / raw.std() * 25 + 110
    np.testing.assert_allclose(stacked, expected, atol=1e-3)


def test_saturates_to_the_pixel_range_and_flat_clips():
    transform = TRANSFORMS.build(dict(type='StandardizeClipIntensity',
                                      target_mean=128, target_std=200))
    out = np.stack(transform(dict(imgs=clip()))['imgs'])
    assert out.min() == 0 and out.max() == 255
    flat = [np.full((2, 2, 3), 7, np.uint8)] * 2
    out = np.stack(transform(dict(imgs=flat))['imgs'])
    np.testing.assert_allclose(out, 128)


def test_refuses_bad_use():
    with pytest.raises(ValueError, match='target_std must be > 0'):
        TRANSFORMS.build(dict(type='StandardizeClipIntensity', target_std=0))
    transform = TRANSFORMS.build(dict(type='StandardizeClipIntensity'))
    with pytest.raises(KeyError, match='A1_Bill.mp4.*after the decode'):
        transform(dict(filename='A1_Bill.mp4'))
    assert 'target_mean=110.0' in repr(transform)
