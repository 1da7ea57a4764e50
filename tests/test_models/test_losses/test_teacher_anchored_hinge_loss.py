"""TeacherAnchoredHingeLoss against hand-computed values."""
import math

import pytest
import torch
from mmrazor.registry import MODELS

import mmrazor_video_kd  # noqa: F401


def kl(p, q):
    return sum(a * math.log(a / b) for a, b in zip(p, q))


def build_loss(**kwargs):
    # name the scope: the default scope left by other tests may be mmaction
    return MODELS.build(
        dict(_scope_='mmrazor', type='TeacherAnchoredHingeLoss', **kwargs))


def logits_of(probs):
    return torch.tensor([[math.log(p) for p in probs]])


def test_hand_computed_values_at_temperature_one():
    loss = build_loss(temperature=1.0)
    p_t, p_a = [0.7, 0.2, 0.1], [0.6, 0.3, 0.1]
    far, near = [0.2, 0.5, 0.3], [0.68, 0.22, 0.1]
    # student further from the teacher than the assistant: penalised
    got = loss(logits_of(far), logits_of(p_t), logits_of(p_a))
    assert got.item() == pytest.approx(kl(p_t, far) - kl(p_t, p_a), rel=1e-5)
    # student closer than the assistant: no loss
    got = loss(logits_of(near), logits_of(p_t), logits_of(p_a))
    assert got.item() == 0.0
    # the margin asks for more than the assistant's closeness
    with_margin = build_loss(temperature=1.0, margin=0.05)
    want = max(0.0, kl(p_t, near) - kl(p_t, p_a) + 0.05)
    got = with_margin(logits_of(near), logits_of(p_t), logits_of(p_a))
    assert got.item() == pytest.approx(want, rel=1e-5)


def test_temperature_batch_mean_and_weight():
    loss = build_loss(temperature=2.0, loss_weight=0.5)
    s, t, a = torch.randn(3, 4, 6).unbind(0)

    def soft(x):
        return (x / 2.0).softmax(-1).tolist()

    per_clip = [max(0.0, kl(pt, ps) - kl(pt, pa))
                for ps, pt, pa in zip(soft(s), soft(t), soft(a))]
    want = 0.5 * 4.0 * sum(per_clip) / 4
    assert loss(s, t, a).item() == pytest.approx(want, rel=1e-5)


def test_asymmetric_gradients_only_for_the_student():
    loss = build_loss()
    s, t, a = (torch.randn(5, 7, requires_grad=True) for _ in range(3))
    with torch.no_grad():
        s.copy_(-t)  # far from the teacher: active on every clip
    value = loss(s, t, a)
    value.backward()
    assert value.item() > 0 and s.grad.abs().sum() > 0
    assert t.grad is None and a.grad is None
    # roles matter: swapping teacher and assistant changes the value
    assert loss(s, a, t).item() != pytest.approx(value.item())
    with pytest.raises(ValueError, match='assistant'):
        loss(s, t, torch.randn(5, 8))
