"""Cross-modal translation distillation."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.registry import MODELS

from ..utils import pool_clip

MODALITIES = ('rgb', 'flow', 'skeleton')


@MODELS.register_module()
class CrossModalTranslationLoss(nn.Module):
    """Sum over modalities of the distance between the student feature
    translated into each modality and that modality teacher's feature::

        loss = sum_m w_m * d(translated[m], pool(teacher_m))

    ``translated`` is the output of
    :class:`~mmrazor_video_kd.models.connectors.CrossModalTranslator` (a
    dict of ``(N, C_m)`` features). Teacher features are pooled to one
    ``(N, C_m)`` vector per clip with their layouts. Only the teachers
    passed to ``forward`` count.

    Args:
        distance (str): ``'mse'``, ``'smooth_l1'`` or ``'cosine'``
            (``1 - cos``). Defaults to ``'mse'``.
        modality_weights (dict, optional): ``w_m``; 1.0 for a modality not
            named.
        teacher_layouts (dict, optional): Layout of each teacher's feature
            (``'2d'``, ``'3d'``, ``'tokens'``); default ``'2d'``.
        teacher_num_segments (dict, optional): T of each ``'2d'`` teacher.
        teacher_detach (bool): Defaults to True.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 distance: str = 'mse',
                 modality_weights: Optional[Dict[str, float]] = None,
                 teacher_layouts: Optional[Dict[str, str]] = None,
                 teacher_num_segments: Optional[Dict[str, int]] = None,
                 teacher_detach: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if distance not in ('mse', 'smooth_l1', 'cosine'):
            raise ValueError("distance must be 'mse', 'smooth_l1' or "
                             f"'cosine'; got {distance!r}")
        self.distance = distance
        self.modality_weights = dict(modality_weights or {})
        self.teacher_layouts = dict(teacher_layouts or {})
        self.teacher_num_segments = dict(teacher_num_segments or {})
        self.teacher_detach = teacher_detach
        self.loss_weight = loss_weight

    def pair_distance(self, s: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        if self.distance == 'cosine':
            return (1 - F.cosine_similarity(s, t, dim=-1)).mean()
        if self.distance == 'smooth_l1':
            return F.smooth_l1_loss(s, t)
        return F.mse_loss(s, t)

    def forward(self,
                translated: Dict[str, torch.Tensor],
                teacher_rgb: Optional[torch.Tensor] = None,
                teacher_flow: Optional[torch.Tensor] = None,
                teacher_skeleton: Optional[torch.Tensor] = None
                ) -> torch.Tensor:
        """Compute the loss.

        Args:
            translated (dict[str, Tensor]): Student feature per modality.
            teacher_rgb, teacher_flow, teacher_skeleton (Tensor, optional):
                Each teacher's feature.
        """
        teachers = dict(zip(MODALITIES,
                            (teacher_rgb, teacher_flow, teacher_skeleton)))
        teachers = {m: f for m, f in teachers.items() if f is not None}
        if not teachers:
            raise ValueError('CrossModalTranslationLoss got no teacher '
                             'feature; map teacher_rgb/flow/skeleton')
        missing = set(teachers) - set(translated)
        if missing:
            raise KeyError(f'the translator has no head for {sorted(missing)}'
                           f'; it has {sorted(translated)}')
        loss = 0.
        for modality, feature in teachers.items():
            if self.teacher_detach:
                feature = feature.detach()
            target = pool_clip(feature,
                               self.teacher_layouts.get(modality, '2d'),
                               self.teacher_num_segments.get(modality))
            student = translated[modality]
            if student.shape != target.shape:
                raise ValueError(
                    f'{modality}: translated student feature '
                    f'{tuple(student.shape)} vs teacher feature '
                    f'{tuple(target.shape)}; set the translator\'s '
                    f'out_channels[{modality!r}]')
            loss = loss + self.modality_weights.get(
                modality, 1.0) * self.pair_distance(student, target)
        return self.loss_weight * loss
