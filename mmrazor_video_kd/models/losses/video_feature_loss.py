"""Base of losses that compare student and teacher video features."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn

from ..utils import to_ncthw, to_sample_sets


class VideoFeatureLoss(nn.Module):
    """Holds the feature layouts of student and teacher and brings both
    features to ``(N, C, T, H, W)`` (see
    :mod:`~mmrazor_video_kd.models.utils.feature_layout`).

    Args:
        layout (str): Student layout, ``'2d'``, ``'2d-nhwc'``, ``'3d'`` or
            ``'tokens'``. Defaults to ``'2d'``.
        num_segments (int, optional): Student T for ``'2d'``/``'tokens'``.
        grid (Sequence[int], optional): Student token grid (T, H, W).
        teacher_layout, teacher_num_segments, teacher_grid: The same for the
            teacher; default to the student's.
        teacher_detach (bool): Stop gradients to the teacher. Defaults to
            True.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
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

    def canonical(self, preds_S: torch.Tensor, preds_T: torch.Tensor
                  ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Both features as ``(N, C, T, H, W)``; the teacher's detached if
        ``teacher_detach``."""
        if self.teacher_detach:
            preds_T = preds_T.detach()
        return (to_ncthw(preds_S, *self.student_spec),
                to_ncthw(preds_T, *self.teacher_spec))

    def sample_sets(self, preds_S, preds_T, sample_axes, pool_axes):
        """Both features as ``(G, S, C)`` sample sets with equal groups and
        channels (see :func:`~mmrazor_video_kd.models.utils.to_sample_sets`).
        """
        s, t = self.canonical(preds_S, preds_T)
        s = to_sample_sets(s, sample_axes, pool_axes)
        t = to_sample_sets(t, sample_axes, pool_axes)
        if s.shape[0] != t.shape[0] or s.shape[2] != t.shape[2]:
            raise ValueError(
                f'student sets {tuple(s.shape)} and teacher sets '
                f'{tuple(t.shape)} (groups, samples, channels) must have '
                'equal groups and channels; align channels with a connector')
        return s, t
