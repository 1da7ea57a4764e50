"""SoftLabelDistillLoss against hand-computed softmax values."""
import math

import pytest
import torch

from mmrazor_video_kd.models.losses import SoftLabelDistillLoss


def softmax(v):
    e = [math.exp(x) for x in v]
    return [x / sum(e) for x in e]


@pytest.mark.parametrize('kind', ['kl', 'soft_ce'])
def test_by_hand(kind):
    s, t, temp = [1.0, 2.0, 0.5], [0.0, 3.0, 1.0], 2.0
    ps = softmax([x / temp for x in s])
    pt = softmax([x / temp for x in t])
    ce = -sum(a * math.log(b) for a, b in zip(pt, ps))
    ent = -sum(a * math.log(a) for a in pt)
    expected = (ce - ent if kind == 'kl' else ce) * temp * temp * 0.5
    loss = SoftLabelDistillLoss(
        temperature=temp, soft_loss=kind, loss_weight=0.5)(
            torch.tensor([s]), torch.tensor([t]))
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_zero_kl_for_equal_logits_and_class_mismatch():
    x = torch.randn(3, 5)
    assert SoftLabelDistillLoss()(x, x.clone()).item() == pytest.approx(
        0, abs=1e-6)
    with pytest.raises(ValueError, match='same classes'):
        SoftLabelDistillLoss()(torch.randn(3, 5), torch.randn(3, 6))


def test_gradients_reach_student_only():
    s = torch.randn(2, 4, requires_grad=True)
    t = torch.randn(2, 4, requires_grad=True)
    SoftLabelDistillLoss()(s, t).backward()
    assert s.grad.abs().sum() > 0 and t.grad is None
