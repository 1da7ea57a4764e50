"""Top-k logits in the packed teacher-output store: the rebuilt distribution
and the bound on the distillation loss."""
import math

import pytest
import torch

from mmrazor_video_kd.datasets.teacher_store import (PackedTeacherStore,
                                                     TeacherStoreWriter,
                                                     decode_topk, encode_topk,
                                                     topk_kd_loss_bound,
                                                     topk_tail_mass)
from mmrazor_video_kd.models.losses import SoftLabelDistillLoss

FP = 'e' * 64
KEY = '0123456789abcdef' * 4


def teacher_logits(n=64, num_classes=400, seed=0):
    """Peaked logits like a trained classifier's (one to three likely
    classes per clip)."""
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(n, num_classes, generator=gen) * 2
    logits[torch.arange(n),
           torch.randint(num_classes, (n, ), generator=gen)] += 12
    return logits


def per_clip_loss(logits_S, logits_T, t):
    loss = SoftLabelDistillLoss(temperature=t, soft_loss='kl')
    return torch.stack(
        [loss(s[None], l[None]) for s, l in zip(logits_S, logits_T)])


@pytest.mark.parametrize('t', [1.0, 4.0])
def test_rebuilt_distribution_keeps_top_k_and_tail_mass(t):
    logits = teacher_logits()
    values, indices, lse = encode_topk(logits, 10, t)
    rebuilt = decode_topk(values, indices, lse, 400, t)
    p, p_hat = (logits / t).softmax(-1), (rebuilt / t).softmax(-1)
    assert torch.allclose(p_hat.sum(-1), torch.ones(64), atol=1e-5)
    assert torch.allclose(p_hat.gather(-1, indices),
                          p.gather(-1, indices),
                          rtol=1e-4,
                          atol=1e-7)
    mass = topk_tail_mass(values, lse, t)
    tail = 1 - p.gather(-1, indices).sum(-1)
    assert torch.allclose(mass, tail, atol=1e-5)
    others = p_hat.scatter(-1, indices, float('nan'))
    spread = others.nan_to_num(0).sum(-1) / 390
    assert torch.allclose(others.nan_to_num(0).amax(-1), spread, rtol=1e-4)


def test_all_classes_kept_is_exact():
    logits = teacher_logits(n=8, num_classes=20)
    student = torch.randn(8, 20)
    values, indices, lse = encode_topk(logits, 20, 4.0)
    rebuilt = decode_topk(values, indices, lse, 20, 4.0)
    full, topk = (per_clip_loss(student, x, 4.0) for x in (logits, rebuilt))
    assert torch.allclose(full, topk, rtol=1e-5)


@pytest.mark.parametrize('k', [1, 5, 20, 100])
@pytest.mark.parametrize('t', [1.0, 4.0])
def test_kd_loss_on_top_k_is_within_the_bound(k, t):
    logits = teacher_logits(seed=k)
    student = teacher_logits(seed=100 + k) * 0.5
    values, indices, lse = encode_topk(logits, k, t)
    rebuilt = decode_topk(values, indices, lse, 400, t)
    full = per_clip_loss(student, logits, t)
    topk = per_clip_loss(student, rebuilt, t)
    bound = topk_kd_loss_bound(student, indices,
                               topk_tail_mass(values, lse, t), t)
    assert ((full - topk).abs() <= bound * (1 + 1e-4) + 1e-5).all()
    # The batch loss that training sees obeys the averaged bound.
    assert abs(full.mean() - topk.mean()) <= bound.mean() + 1e-5


def test_gradient_difference_is_within_twice_the_tail_mass():
    t, k = 4.0, 10
    logits = teacher_logits()
    values, indices, lse = encode_topk(logits, k, t)
    rebuilt = decode_topk(values, indices, lse, 400, t)
    grads = []
    for target in (logits, rebuilt):
        student = teacher_logits(seed=7).requires_grad_()
        SoftLabelDistillLoss(temperature=t)(student, target).backward()
        grads.append(student.grad * 64)  # per clip (undo the batch mean)
    mass = topk_tail_mass(values, lse, t)
    l1 = (grads[0] - grads[1]).abs().sum(-1)
    assert (l1 <= 2 * mass * t + 1e-5).all()


def test_store_round_trip_of_top_k_logits(tmp_path):
    logits = teacher_logits(n=2)
    storage = dict(logits=dict(topk=5, temperature=4.0))
    with TeacherStoreWriter(str(tmp_path), FP, storage) as writer:
        writer.put(KEY, dict(logits=logits))
    got = PackedTeacherStore(str(tmp_path), FP).get(KEY)['logits']
    assert got.shape == logits.shape
    values, indices, lse = encode_topk(logits, 5, 4.0)
    assert torch.equal(got, decode_topk(values, indices, lse, 400, 4.0))
    assert torch.equal(
        got.topk(5).indices.sort().values,
        indices.sort().values)
    assert not math.isnan(SoftLabelDistillLoss()(logits, got).item())


def test_top_k_larger_than_the_classes_names_the_view(tmp_path):
    writer = TeacherStoreWriter(str(tmp_path), FP,
                                dict(logits=dict(topk=500, temperature=1.0)))
    message = rf'view {KEY}: topk=500 .*\[1, 400\]'
    with pytest.raises(ValueError, match=message):
        writer.put(KEY, dict(logits=teacher_logits(n=1)))
    writer.abort()
