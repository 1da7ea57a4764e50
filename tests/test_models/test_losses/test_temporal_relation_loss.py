"""TemporalRelationLoss against an explicit loop, and its invariances."""
import pytest
import torch

from mmrazor_video_kd.models.losses import TemporalRelationLoss


def reference(s, t):
    """s, t: (N, C, T, H, W)."""
    total, count = 0.0, 0
    for n in range(s.shape[0]):
        fs = s[n].mean((2, 3))  # C, T
        ft = t[n].mean((2, 3))
        for i in range(s.shape[2]):
            for j in range(s.shape[2]):
                cs = torch.dot(fs[:, i], fs[:, j]) / (
                    fs[:, i].norm() * fs[:, j].norm())
                ct = torch.dot(ft[:, i], ft[:, j]) / (
                    ft[:, i].norm() * ft[:, j].norm())
                total += (cs - ct).item()**2
                count += 1
    return total / count


def test_matches_loop_with_different_widths():
    g = torch.Generator().manual_seed(0)
    s, t = torch.randn(2, 3, 4, 2, 2, generator=g), torch.randn(
        2, 7, 4, 2, 2, generator=g)
    loss = TemporalRelationLoss(layout='3d')(s, t)
    assert loss.item() == pytest.approx(reference(s, t), rel=1e-4)


def test_invariant_to_channel_width_change():
    """A student whose frame features are the teacher's mapped by a matrix
    with orthonormal columns (C_T=16 -> C_S=64) has zero loss."""
    g = torch.Generator().manual_seed(1)
    teacher = torch.randn(2 * 8, 16, 3, 3, generator=g)  # '2d', 8 segments
    q, _ = torch.linalg.qr(torch.randn(64, 16, generator=g))
    student = torch.einsum('sc,nchw->nshw', q, teacher)
    loss = TemporalRelationLoss(num_segments=8)
    assert loss(student, teacher).item() == pytest.approx(0, abs=1e-10)
    assert loss(torch.randn(16, 64, 3, 3, generator=g), teacher).item() > 0.01


def test_teacher_with_more_frames_and_gradients():
    s = torch.randn(2 * 4, 8, 2, 2, requires_grad=True)
    t = torch.randn(2 * 8, 16, 2, 2, requires_grad=True)
    loss = TemporalRelationLoss(num_segments=4, teacher_num_segments=8)(s, t)
    loss.backward()
    assert s.grad.abs().sum() > 0 and t.grad is None
