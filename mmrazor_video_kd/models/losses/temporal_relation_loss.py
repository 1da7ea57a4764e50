"""Temporal relation distillation."""
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.registry import MODELS

from ..utils import to_ncthw


@MODELS.register_module()
class TemporalRelationLoss(nn.Module):
    """Match each clip's frame-to-frame similarity matrix (T x T).

    Each frame's feature is averaged over space; ``R[i, j]`` is the cosine
    similarity of frames i and j of a clip. The loss is the mean squared
    difference between the student's and the teacher's ``R``. It depends on
    neither side's channel width (no connector needed): a student whose
    features are any orthogonal map of the teacher's has zero loss. If the
    teacher sees more frames than the student (fewer-frames distillation),
    its ``R`` is resized to the student's T by bilinear interpolation.

    Args:
        layout, num_segments, grid, teacher_layout, teacher_num_segments,
        teacher_grid: Feature layouts, as in :class:`MomentMatchingLoss`.
        teacher_detach (bool): Defaults to True.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 layout: str = '2d',
                 num_segments: Optional[int] = None,
                 grid: Optional[Sequence[int]] = None,
                 teacher_layout: Optional[str] = None,
                 teacher_num_segments: Optional[int] = None,
                 teacher_grid: Optional[Sequence[int]] = None,
                 teacher_detach: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.student_spec = (layout, num_segments, grid)
        self.teacher_spec = (teacher_layout or layout, teacher_num_segments
                             or num_segments, teacher_grid or grid)
        self.teacher_detach = teacher_detach
        self.loss_weight = loss_weight

    @staticmethod
    def relation(feature: torch.Tensor) -> torch.Tensor:
        """``(N, T, T)`` cosine similarities of an ``(N, C, T, H, W)``
        feature's frames."""
        frames = F.normalize(feature.mean(dim=(3, 4)).transpose(1, 2), dim=-1)
        return frames @ frames.transpose(1, 2)

    def forward(self, preds_S: torch.Tensor,
                preds_T: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            preds_S (Tensor): Student feature.
            preds_T (Tensor): Teacher feature (any channel count).
        """
        if self.teacher_detach:
            preds_T = preds_T.detach()
        rel_S = self.relation(to_ncthw(preds_S, *self.student_spec))
        rel_T = self.relation(to_ncthw(preds_T, *self.teacher_spec))
        if rel_S.shape[0] != rel_T.shape[0]:
            raise ValueError(f'student has {rel_S.shape[0]} clips, teacher '
                             f'{rel_T.shape[0]}')
        if rel_T.shape[-1] != rel_S.shape[-1]:
            rel_T = F.interpolate(
                rel_T[:, None], size=rel_S.shape[-2:], mode='bilinear',
                align_corners=True)[:, 0]
        return self.loss_weight * F.mse_loss(rel_S, rel_T)
