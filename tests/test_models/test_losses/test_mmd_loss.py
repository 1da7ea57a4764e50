"""MMDLoss against an explicit double-loop MMD^2."""
import math

import numpy as np
import pytest
import torch

from mmrazor_video_kd.models.losses import MMDLoss


def reference_mmd2(x, y, sigmas, unbiased=True):
    def k(a, b):
        d = np.sum((a - b)**2)
        return np.mean([math.exp(-d / (2 * s * s)) for s in sigmas])
    n, m = len(x), len(y)
    if unbiased:
        xx = sum(k(x[i], x[j]) for i in range(n) for j in range(n)
                 if i != j) / (n * (n - 1))
        yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m)
                 if i != j) / (m * (m - 1))
    else:
        xx = sum(k(a, b) for a in x for b in x) / n**2
        yy = sum(k(a, b) for a in y for b in y) / m**2
    xy = sum(k(a, b) for a in x for b in y) / (n * m)
    return xx + yy - 2 * xy


@pytest.mark.parametrize('estimator', ['unbiased', 'biased'])
def test_matches_double_loop(estimator):
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(6, 4, generator=g), torch.randn(6, 4, generator=g) + 1
    loss = MMDLoss(
        bandwidths=[0.5, 1.0, 2.0], estimator=estimator,
        layout='3d')(as_clips(x), as_clips(y))
    ref = reference_mmd2(x.double().numpy(), y.double().numpy(),
                         [0.5, 1.0, 2.0], estimator == 'unbiased')
    assert loss.item() == pytest.approx(ref, rel=1e-4, abs=1e-6)


def as_clips(v):
    return v[:, :, None, None, None]


def test_near_zero_for_one_distribution_and_grows_with_shift():
    g = torch.Generator().manual_seed(0)
    loss = MMDLoss(layout='3d')
    base = torch.randn(200, 8, generator=g)
    same = loss(as_clips(base), as_clips(torch.randn(200, 8, generator=g)))
    shifts = [
        loss(as_clips(base), as_clips(torch.randn(200, 8, generator=g) + d))
        for d in (0.5, 1.0, 2.0)
    ]
    assert abs(same.item()) < 0.01
    assert all(a < b for a, b in zip(shifts, shifts[1:]))
    assert shifts[0].item() > 5 * abs(same.item())


def test_is_not_a_paired_distance():
    """Permuting the teacher's samples leaves MMD unchanged; a paired
    per-sample kernel would change."""
    g = torch.Generator().manual_seed(2)
    x, y = torch.randn(10, 3, generator=g), torch.randn(10, 3, generator=g)
    loss = MMDLoss(layout='3d', bandwidths=[1.0])
    a = loss(as_clips(x), as_clips(y))
    b = loss(as_clips(x), as_clips(y[torch.randperm(10, generator=g)]))
    assert a.item() == pytest.approx(b.item(), rel=1e-5)


def test_gradients_reach_student_only():
    x = torch.randn(4, 3, 2, 2, requires_grad=True)  # '2d', 2 segments
    y = torch.randn(4, 3, 2, 2, requires_grad=True)
    MMDLoss(num_segments=2)(x, y).backward()
    assert x.grad.abs().sum() > 0 and y.grad is None
