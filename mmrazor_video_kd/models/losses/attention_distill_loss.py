"""Attention-map distillation for video transformers."""
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.registry import MODELS


def _resize_tokens(attn: torch.Tensor, size: int, grid, new_grid):
    """Resize both token axes of ``(B, H, N, N)`` attention maps to ``size``
    tokens, on the (T, H, W) grid when known, else along the token order."""
    b, h, n, _ = attn.shape
    if grid is not None and new_grid is not None:
        x = attn.reshape(b * h * n, 1, *grid)
        x = F.interpolate(x, size=tuple(new_grid), mode='trilinear',
                          align_corners=False)
        x = x.reshape(b * h, n, size).transpose(1, 2).reshape(
            b * h * size, 1, *grid)
        x = F.interpolate(x, size=tuple(new_grid), mode='trilinear',
                          align_corners=False)
        x = x.reshape(b, h, size, size).transpose(2, 3)
    else:
        x = F.interpolate(attn.reshape(b * h, n, n)[:, None],
                          size=(size, size), mode='bilinear',
                          align_corners=False)[:, 0].reshape(b, h, size, size)
    x = x.clamp_min(0)
    return x / x.sum(-1, keepdim=True).clamp_min(1e-12)


@MODELS.register_module()
class AttentionDistillLoss(nn.Module):
    """Match attention maps of aligned transformer blocks.

    Inputs are attention probabilities ``(B, heads, N, N)`` (rows sum to 1),
    e.g. recorded from MMAction2 ViT blocks with
    ``dict(type='ModuleOutputs', source='backbone.blocks.11.attn.attn_drop')``.

    - Heads: with ``head_reduction='mean'`` (default) each side's maps are
      averaged over heads, so any head counts work; with ``'none'`` heads are
      matched one to one (head counts must be equal).
    - Tokens: if the teacher has a different number of tokens, its maps are
      resized to the student's along both query and key axes, trilinearly
      on the (T, H, W) token grids when ``student_grid`` and
      ``teacher_grid`` are given, else along the token order; rows are
      renormalised to sum to 1. Maps must not include a class token.
    - Distance: ``'kl'`` (default) is ``KL(teacher row || student row)``
      averaged over rows (as in MiniLM); ``'mse'`` the mean squared
      difference. Both (and the head means) are computed in float32, also
      for bf16/fp16 maps (mixed precision): a KL of nearly equal
      half-precision rows is a difference of nearly equal logarithms.

    Args:
        head_reduction (str): ``'mean'`` or ``'none'``.
        distance (str): ``'kl'`` or ``'mse'``.
        student_grid (Sequence[int], optional): Student token grid (T, H, W).
        teacher_grid (Sequence[int], optional): Teacher token grid.
        teacher_detach (bool): Defaults to True.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 head_reduction: str = 'mean',
                 distance: str = 'kl',
                 student_grid: Optional[Sequence[int]] = None,
                 teacher_grid: Optional[Sequence[int]] = None,
                 teacher_detach: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if head_reduction not in ('mean', 'none'):
            raise ValueError("head_reduction must be 'mean' or 'none'; got "
                             f'{head_reduction!r}')
        if distance not in ('kl', 'mse'):
            raise ValueError(f"distance must be 'kl' or 'mse'; got "
                             f'{distance!r}')
        self.head_reduction = head_reduction
        self.distance = distance
        self.student_grid = student_grid
        self.teacher_grid = teacher_grid
        self.teacher_detach = teacher_detach
        self.loss_weight = loss_weight

    def forward(self, attn_S: torch.Tensor,
                attn_T: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            attn_S (Tensor): ``(B, heads_S, N_S, N_S)`` student attention.
            attn_T (Tensor): ``(B, heads_T, N_T, N_T)`` teacher attention.
        """
        if attn_S.dim() != 4 or attn_T.dim() != 4:
            raise ValueError('attention maps must be (B, heads, N, N); got '
                             f'{tuple(attn_S.shape)}, {tuple(attn_T.shape)}')
        if self.teacher_detach:
            attn_T = attn_T.detach()
        if self.head_reduction == 'mean':  # accumulated and kept in float32
            attn_S = attn_S.mean(1, keepdim=True, dtype=torch.float32)
            attn_T = attn_T.mean(1, keepdim=True, dtype=torch.float32)
        elif attn_S.shape[1] != attn_T.shape[1]:
            raise ValueError(
                f"head_reduction='none' needs equal head counts; student "
                f'{attn_S.shape[1]}, teacher {attn_T.shape[1]}')
        attn_S, attn_T = attn_S.float(), attn_T.float()
        if attn_T.shape[-1] != attn_S.shape[-1]:
            attn_T = _resize_tokens(attn_T, attn_S.shape[-1],
                                    self.teacher_grid, self.student_grid)
        if self.distance == 'mse':
            return self.loss_weight * F.mse_loss(attn_S, attn_T)
        eps = 1e-12
        kl = (attn_T * (attn_T.clamp_min(eps).log() -
                        attn_S.clamp_min(eps).log())).sum(-1)
        return self.loss_weight * kl.mean()
