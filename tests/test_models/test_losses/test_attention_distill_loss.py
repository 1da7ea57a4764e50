"""AttentionDistillLoss against explicit KL, with head and token mismatch."""
import pytest
import torch

from mmrazor_video_kd.models.losses import AttentionDistillLoss


def attention(b, h, n, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(b, h, n, n, generator=g).softmax(-1)


def test_kl_by_loop_with_different_head_counts():
    s, t = attention(2, 3, 4, 0), attention(2, 6, 4, 1)
    ms, mt = s.mean(1), t.mean(1)
    expected = 0.0
    for b in range(2):
        for i in range(4):
            expected += sum(
                (mt[b, i, j] * torch.log(mt[b, i, j] / ms[b, i, j])).item()
                for j in range(4))
    expected /= 2 * 4
    assert AttentionDistillLoss()(s, t).item() == pytest.approx(
        expected, rel=1e-5)


def test_per_head_mse_and_zero_for_equal_maps():
    s, t = attention(1, 2, 3, 2), attention(1, 2, 3, 3)
    loss = AttentionDistillLoss(head_reduction='none', distance='mse')
    assert loss(s, t).item() == pytest.approx(((s - t)**2).mean().item())
    assert AttentionDistillLoss()(s, s.clone()).item() == pytest.approx(
        0, abs=1e-7)
    with pytest.raises(ValueError, match='equal head counts'):
        loss(s, attention(1, 4, 3, 4))


def test_token_mismatch_on_grids():
    """A teacher map on a 2x4x4 grid that is uniform over keys stays
    uniform after resizing to the student's 1x2x2 grid."""
    teacher = torch.full((1, 2, 32, 32), 1 / 32)
    student = torch.full((1, 3, 4, 4), 1 / 4)
    loss = AttentionDistillLoss(student_grid=(1, 2, 2),
                                teacher_grid=(2, 4, 4))
    assert loss(student, teacher).item() == pytest.approx(0, abs=1e-6)
    other = attention(1, 3, 4, 5)
    assert loss(other, teacher).item() > 1e-3


def test_token_mismatch_without_grid_and_gradients():
    s = attention(1, 2, 4, 6).requires_grad_(True)
    t = attention(1, 2, 9, 7).requires_grad_(True)
    loss = AttentionDistillLoss()(s, t)
    assert torch.isfinite(loss)
    loss.backward()
    assert s.grad.abs().sum() > 0 and t.grad is None


@pytest.mark.parametrize('dtype', [torch.bfloat16, torch.float16])
def test_half_precision_maps_give_the_float32_loss_of_the_same_maps(dtype):
    # maps of a mixed-precision run, the student close to the teacher (late
    # in training): the loss must be what float64 computes on those maps,
    # returned as float32, with a gradient of the student's dtype
    t = attention(2, 12, 49, 5)
    s = (t[:, :6] * 0.98 + attention(2, 6, 49, 6) * 0.02).to(dtype)
    t, s = t.to(dtype), s.requires_grad_()
    ms, mt = s.detach().double().mean(1), t.double().mean(1)
    expected = (mt * (mt.log() - ms.log())).sum(-1).mean().item()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss = AttentionDistillLoss()(s, t)
    assert loss.dtype == torch.float32
    assert loss.item() == pytest.approx(expected, rel=1e-4)
    loss.backward()
    assert s.grad.dtype == dtype and s.grad.abs().sum() > 0
