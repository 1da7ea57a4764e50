"""Top-k teacher logits: what is stored and the distribution rebuilt from it.

Following the sparse soft labels of FKD and TinyViT, a top-k entry keeps, per
row of ``(..., C)`` logits ``l`` and for the distillation temperature ``T``:

- the ``k`` largest logits and their class indices;
- ``lse = logsumexp(l / T)`` over all ``C`` classes (one float32).

The teacher probabilities at the top-k classes are then exact,
``p_i = exp(l_i / T - lse)``, and the remaining mass ``m = 1 - sum_i p_i``
is spread uniformly over the other ``C - k`` classes (label-smoothing style,
as in TinyViT). The rebuilt row is returned as logits ``T * log p_hat``, so
``softmax(logits / T) == p_hat`` and ``SoftLabelDistillLoss`` (or any KL /
soft cross-entropy to ``softmax(logits_T / T)``) consumes it unchanged, as
long as the loss uses the same ``T`` as the store.

Bound (per clip, for the temperature-scaled losses of
``SoftLabelDistillLoss`` with ``q = softmax(logits_S / T)``, ``R`` the
``C - k`` classes outside the top k): p and p_hat agree on the top k and
both put mass ``m`` on ``R``, hence

- soft CE: ``|L_full - L_topk| <= T^2 * m * (max_R log q - min_R log q)``;
- KL: the bound above plus ``T^2 * m * log(C - k)`` (the tail entropy);
- gradient w.r.t. the student logits: L1 distance ``<= 2 * m * T``
  (``T^2 * (p - p_hat) / T`` per class).

:func:`topk_kd_loss_bound` evaluates the KL bound; ``m`` is known from the
stored entry (:func:`topk_tail_mass`).
"""
import math
from typing import Tuple

import torch


def encode_topk(logits: torch.Tensor, k: int,
                temperature: float) -> Tuple[torch.Tensor, ...]:
    """Top-k logits, their class indices and ``logsumexp(logits / T)``.

    Args:
        logits (Tensor): ``(..., C)`` teacher logits.
        k (int): Number of classes kept per row, ``1 <= k <= C``.
        temperature (float): The distillation temperature ``T``.

    Returns:
        tuple: ``values (..., k)``, ``indices (..., k)`` (int64) and
        ``lse (...)``, all computed in float32.
    """
    num_classes = logits.shape[-1]
    if not 1 <= k <= num_classes:
        raise ValueError(f'topk={k} must be in [1, {num_classes}] for logits '
                         f'of shape {tuple(logits.shape)}')
    logits = logits.detach().float()
    values, indices = logits.topk(k, dim=-1)
    lse = torch.logsumexp(logits / temperature, dim=-1)
    return values, indices, lse


def topk_tail_mass(values: torch.Tensor, lse: torch.Tensor,
                   temperature: float) -> torch.Tensor:
    """Teacher probability mass ``m`` outside the top k, per row."""
    top = (values.float() / temperature - lse.unsqueeze(-1)).exp().sum(-1)
    return (1 - top).clamp(min=0)


def decode_topk(values: torch.Tensor, indices: torch.Tensor, lse: torch.Tensor,
                num_classes: int, temperature: float) -> torch.Tensor:
    """Dense logits ``T * log p_hat`` rebuilt from a top-k entry.

    Args:
        values (Tensor): ``(..., k)`` stored top-k logits.
        indices (Tensor): ``(..., k)`` their classes.
        lse (Tensor): ``(...)`` ``logsumexp(logits / T)`` of the full row.
        num_classes (int): ``C``.
        temperature (float): ``T`` of the store.

    Returns:
        Tensor: ``(..., C)`` float32 logits whose softmax at ``T`` is the top-k
        teacher probabilities plus the tail mass spread uniformly.
    """
    t = temperature
    k = values.shape[-1]
    log_top = values.float() / t - lse.float().unsqueeze(-1)
    if k == num_classes:
        fill = torch.full(lse.shape, -math.inf)
    else:
        tail = (1 - log_top.exp().sum(-1)).clamp(min=1e-30)
        fill = tail.log() - math.log(num_classes - k)
    log_p = fill.unsqueeze(-1).expand(*lse.shape, num_classes).clone()
    log_p.scatter_(-1, indices.long(), log_top)
    return t * log_p


def topk_kd_loss_bound(logits_S: torch.Tensor, indices: torch.Tensor,
                       tail_mass: torch.Tensor,
                       temperature: float) -> torch.Tensor:
    """Bound on ``|KL loss(full) - KL loss(top-k)|`` per clip (see above).

    Args:
        logits_S (Tensor): ``(N, C)`` student logits.
        indices (Tensor): ``(N, k)`` top-k classes of the teacher.
        tail_mass (Tensor): ``(N,)`` from :func:`topk_tail_mass`.
        temperature (float): ``T`` (the loss is scaled by ``T^2``).

    Returns:
        Tensor: ``(N,)`` bounds; average them for the batch-mean loss.
    """
    num_classes = logits_S.shape[-1]
    k = indices.shape[-1]
    if k == num_classes:
        return torch.zeros(logits_S.shape[0])
    log_q = torch.log_softmax(logits_S.detach().float() / temperature, -1)
    in_tail = torch.ones_like(log_q, dtype=torch.bool)
    in_tail.scatter_(-1, indices.long(), False)
    spread = (log_q.masked_fill(~in_tail, -math.inf).amax(-1) -
              log_q.masked_fill(~in_tail, math.inf).amin(-1))
    return temperature**2 * tail_mass * (spread + math.log(num_classes - k))
