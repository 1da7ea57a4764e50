"""Feature distillation between aligned hidden states."""
from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.registry import MODELS

from ..utils import to_ncthw

Features = Union[torch.Tensor, Sequence[torch.Tensor]]


@MODELS.register_module()
class FeatureDistillLoss(nn.Module):
    """Distance between aligned student and teacher hidden states.

    Features are compared position by position (each position's C-dim
    vector): ``'mean_square_error'`` averages ``(s - t)^2`` over all
    entries; ``'cosine_distance'`` averages ``1 - cos(s, t)`` over
    positions. ``preds_S``/``preds_T`` may be lists of features (e.g. the
    last three blocks); the loss is then the mean over the pairs. Use one
    loss per layer instead to weight layers differently.

    Args:
        distance (str): ``'mean_square_error'`` or ``'cosine_distance'``.
            Defaults to ``'mean_square_error'``.
        normalize_teacher (str, optional): ``'layer_norm'`` (normalise each
            teacher vector to zero mean, unit variance, no affine), ``'l2'``
            (unit length) or None. Defaults to None.
        layout, num_segments, grid: Layout of the features, as in
            :class:`MomentMatchingLoss` (student and teacher must already
            share their shape; align them with a connector).
        teacher_detach (bool): Defaults to True.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 distance: str = 'mean_square_error',
                 normalize_teacher: Optional[str] = None,
                 layout: str = '2d',
                 num_segments: Optional[int] = None,
                 grid: Optional[Sequence[int]] = None,
                 teacher_detach: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if distance not in ('mean_square_error', 'cosine_distance'):
            raise ValueError("distance must be 'mean_square_error' or "
                             f"'cosine_distance'; got {distance!r}")
        if normalize_teacher not in (None, 'layer_norm', 'l2'):
            raise ValueError("normalize_teacher must be 'layer_norm', 'l2' "
                             f'or None; got {normalize_teacher!r}')
        self.distance = distance
        self.normalize_teacher = normalize_teacher
        self.spec = (layout, num_segments, grid)
        self.teacher_detach = teacher_detach
        self.loss_weight = loss_weight

    def vectors(self, feature: torch.Tensor) -> torch.Tensor:
        """``(..., C)`` vectors of a feature (``(N, C)`` passes through)."""
        if feature.dim() == 2:
            return feature
        return to_ncthw(feature, *self.spec).flatten(2).transpose(1, 2)

    def pair_loss(self, preds_S, preds_T) -> torch.Tensor:
        if preds_S.shape != preds_T.shape:
            raise ValueError(f'student feature {tuple(preds_S.shape)} and '
                             f'teacher feature {tuple(preds_T.shape)} differ; '
                             'align them with a connector')
        s, t = self.vectors(preds_S), self.vectors(preds_T)
        if self.teacher_detach:
            t = t.detach()
        if self.normalize_teacher == 'layer_norm':
            t = F.layer_norm(t, t.shape[-1:])
        elif self.normalize_teacher == 'l2':
            t = F.normalize(t, dim=-1)
        if self.distance == 'cosine_distance':
            return (1 - F.cosine_similarity(s, t, dim=-1)).mean()
        return F.mse_loss(s, t)

    def forward(self, preds_S: Features, preds_T: Features) -> torch.Tensor:
        """Compute the loss.

        Args:
            preds_S (Tensor | list[Tensor]): Student feature(s).
            preds_T (Tensor | list[Tensor]): Teacher feature(s), same shapes.
        """
        if isinstance(preds_S, torch.Tensor):
            preds_S, preds_T = [preds_S], [preds_T]
        if len(preds_S) != len(preds_T):
            raise ValueError(f'{len(preds_S)} student features but '
                             f'{len(preds_T)} teacher features')
        loss = sum(self.pair_loss(s, t) for s, t in zip(preds_S, preds_T))
        return self.loss_weight * loss / len(preds_S)
