"""Translate a student feature into each teacher modality's feature space."""
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
from mmrazor.models.architectures.connectors.base_connector import \
    BaseConnector
from mmrazor.registry import MODELS

from ..utils import pool_clip


@MODELS.register_module()
class CrossModalTranslator(BaseConnector):
    """One small MLP head per target modality (``rgb``, ``flow``,
    ``skeleton``, ...), mapping the student's clip feature into that
    modality teacher's feature space.

    The student feature is pooled to ``(N, in_channels)`` (see
    :func:`~mmrazor_video_kd.models.utils.pool_clip`); each head is
    ``Linear -> ReLU -> Linear`` (or one ``Linear`` when
    ``hidden_channels=0``). The output is a dict ``{modality: (N, C_m)}``
    for :class:`~mmrazor_video_kd.models.losses.CrossModalTranslationLoss`.

    Args:
        in_channels (int): Student channels.
        out_channels (dict[str, int]): Teacher channels per modality.
        hidden_channels (int, optional): Hidden width; default
            ``in_channels``; 0 for a linear head.
        in_layout (str): Layout of the student feature. Defaults to ``'2d'``.
        in_num_segments (int, optional): T of a ``'2d'`` student feature.
        in_grid (Sequence[int], optional): Token grid of a ``'tokens'`` one.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: Dict[str, int],
                 hidden_channels: Optional[int] = None,
                 in_layout: str = '2d',
                 in_num_segments: Optional[int] = None,
                 in_grid: Optional[Sequence[int]] = None,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(init_cfg)
        if not out_channels:
            raise ValueError('out_channels must name at least one modality')
        hidden = in_channels if hidden_channels is None else hidden_channels
        self.in_spec = (in_layout, in_num_segments, in_grid)
        self.heads = nn.ModuleDict({
            modality: (nn.Sequential(
                nn.Linear(in_channels, hidden), nn.ReLU(inplace=True),
                nn.Linear(hidden, channels))
                       if hidden else nn.Linear(in_channels, channels))
            for modality, channels in out_channels.items()
        })

    def forward_train(self, feature: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Translate ``feature`` into every modality.

        Args:
            feature (Tensor): Student feature in ``in_layout``.
        """
        pooled = pool_clip(feature, *self.in_spec)
        return {modality: head(pooled) for modality, head in self.heads.items()}
