"""MomentMatchingLoss against NumPy moments."""
import numpy as np
import pytest
import torch

from mmrazor_video_kd.models.losses import MomentMatchingLoss


def numpy_reference(s, t, second):
    """s, t: (N*T, C, H, W) '2d' features; statistics over all positions."""
    def vecs(x):
        return x.transpose(0, 2, 3, 1).reshape(-1, x.shape[1])
    vs, vt = vecs(s), vecs(t)
    loss = np.mean((vs.mean(0) - vt.mean(0))**2)
    if second == 'cov':
        loss += np.mean((np.cov(vs, rowvar=False) -
                         np.cov(vt, rowvar=False))**2)
    elif second == 'var':
        loss += np.mean((vs.var(0, ddof=1) - vt.var(0, ddof=1))**2)
    return loss


@pytest.mark.parametrize('second', ['cov', 'var', None])
def test_matches_numpy(second):
    g = torch.Generator().manual_seed(0)
    s, t = torch.randn(8, 5, 3, 3, generator=g), torch.randn(
        8, 5, 3, 3, generator=g) * 2 + 1
    loss = MomentMatchingLoss(second_moment=second, num_segments=4)(s, t)
    ref = numpy_reference(s.double().numpy(), t.double().numpy(), second)
    assert loss.item() == pytest.approx(ref, rel=1e-4)


def test_per_clip_groups_and_3d_layout():
    g = torch.Generator().manual_seed(1)
    s, t = torch.randn(2, 4, 3, 2, 2, generator=g), torch.randn(
        2, 4, 3, 2, 2, generator=g)
    loss = MomentMatchingLoss(
        sample_axes=('time', 'space'), second_moment='var', layout='3d')(s,
                                                                       t)
    ref = np.mean([
        numpy_reference(
            s[i].permute(1, 0, 2, 3).double().numpy(),
            t[i].permute(1, 0, 2, 3).double().numpy(), 'var')
        for i in range(2)
    ])
    assert loss.item() == pytest.approx(ref, rel=1e-4)


def test_zero_for_identical_and_gradient_only_to_student():
    s = torch.randn(4, 3, 2, 2, requires_grad=True)
    t = s.detach().clone().requires_grad_(True)
    loss = MomentMatchingLoss(num_segments=2)(s, t)
    assert loss.item() == pytest.approx(0, abs=1e-10)
    MomentMatchingLoss(num_segments=2)(s, t * 2).backward()
    assert s.grad is not None and s.grad.abs().sum() > 0
    assert t.grad is None


def test_channel_mismatch_is_explained():
    with pytest.raises(ValueError, match='equal groups and channels'):
        MomentMatchingLoss(num_segments=2)(
            torch.randn(4, 3, 2, 2), torch.randn(4, 5, 2, 2))
