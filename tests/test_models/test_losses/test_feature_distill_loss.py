"""FeatureDistillLoss against hand-computed values."""
import pytest
import torch
import torch.nn.functional as F

from mmrazor_video_kd.models.losses import FeatureDistillLoss


def test_mse_by_hand():
    s = torch.tensor([[1., 2.], [3., 4.]])
    t = torch.tensor([[1., 0.], [0., 4.]])
    # squared differences 0, 4, 9, 0 -> mean 13/4
    assert FeatureDistillLoss()(s, t).item() == pytest.approx(13 / 4)


def test_cosine_by_hand_tokens_layout():
    s = torch.tensor([[[1., 0.], [1., 1.]]])  # (N=1, L=2, C=2)
    t = torch.tensor([[[0., 1.], [2., 2.]]])
    # cosines 0 and 1 -> distances 1 and 0 -> mean 0.5
    loss = FeatureDistillLoss(
        distance='cosine_distance', layout='tokens', grid=(1, 1, 2))
    assert loss(s, t).item() == pytest.approx(0.5)


def test_normalized_teacher_and_layer_list():
    g = torch.Generator().manual_seed(0)
    s = [torch.randn(4, 6, 2, 2, generator=g) for _ in range(3)]
    t = [torch.randn(4, 6, 2, 2, generator=g) * 5 for _ in range(3)]
    loss = FeatureDistillLoss(normalize_teacher='layer_norm',
                              num_segments=2)(s, t)

    def ref(a, b):
        a = a.permute(0, 2, 3, 1)
        b = b.permute(0, 2, 3, 1)
        b = (b - b.mean(-1, keepdim=True)) / torch.sqrt(
            b.var(-1, unbiased=False, keepdim=True) + 1e-5)
        return ((a - b)**2).mean()

    expected = sum(ref(a, b) for a, b in zip(s, t)) / 3
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
    l2 = FeatureDistillLoss(normalize_teacher='l2', num_segments=2)(s[0],
                                                                     t[0])
    b = F.normalize(t[0].permute(0, 2, 3, 1), dim=-1)
    assert l2.item() == pytest.approx(
        ((s[0].permute(0, 2, 3, 1) - b)**2).mean().item(), rel=1e-5)


def test_shape_mismatch_and_gradients():
    with pytest.raises(ValueError, match='connector'):
        FeatureDistillLoss()(torch.randn(2, 3), torch.randn(2, 4))
    s = torch.randn(2, 3, requires_grad=True)
    t = torch.randn(2, 3, requires_grad=True)
    FeatureDistillLoss(distance='cosine_distance')(s, t).backward()
    assert s.grad.abs().sum() > 0 and t.grad is None
