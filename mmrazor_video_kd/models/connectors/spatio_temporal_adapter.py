"""Align any video feature with any other: layout, channels, time, space."""
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.models.architectures.connectors.base_connector import \
    BaseConnector
from mmrazor.registry import MODELS

from ..utils import from_ncthw, to_ncthw


@MODELS.register_module()
class SpatioTemporalAdapter(BaseConnector):
    """Convert a feature to another layout, channel count, length and size.

    The feature is brought to ``(N, C, T, H, W)``, projected by a 1x1x1
    convolution (with BatchNorm when ``norm``), resized in time (average
    pooling or linear interpolation to ``out_num_segments``) and in space
    (bilinear interpolation, or adaptive average pooling, to ``out_size``),
    and returned in ``out_layout``. For example, a Swin teacher's tokens
    (``'tokens'``, grid 8x7x7, 768 channels) become a TSM-ResNet student's
    last stage (``'2d'``, 8 segments, 2048 channels, 7x7) or the reverse.

    Args:
        in_channels (int): Channels of the input feature.
        out_channels (int): Channels of the output feature.
        in_layout (str): ``'2d'``, ``'3d'`` or ``'tokens'``.
        out_layout (str): Same choices. Defaults to ``in_layout``.
        in_num_segments (int, optional): T of a ``'2d'`` (or ``'tokens'``)
            input.
        in_grid (Sequence[int], optional): (T, H, W) of a ``'tokens'`` input.
        out_num_segments (int, optional): Output T; default: input T.
        out_size (Sequence[int], optional): Output (H, W); default: input.
        temporal_mode (str): ``'interpolate'`` or ``'pool'``.
        spatial_mode (str): ``'interpolate'`` or ``'pool'``.
        norm (bool): BatchNorm after the projection. Defaults to False.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 in_layout: str = '2d',
                 out_layout: Optional[str] = None,
                 in_num_segments: Optional[int] = None,
                 in_grid: Optional[Sequence[int]] = None,
                 out_num_segments: Optional[int] = None,
                 out_size: Optional[Sequence[int]] = None,
                 temporal_mode: str = 'interpolate',
                 spatial_mode: str = 'interpolate',
                 norm: bool = False,
                 init_cfg: Optional[Dict] = None) -> None:
        super().__init__(init_cfg)
        for name, mode in (('temporal_mode', temporal_mode),
                           ('spatial_mode', spatial_mode)):
            if mode not in ('interpolate', 'pool'):
                raise ValueError(f"{name} must be 'interpolate' or 'pool'; "
                                 f'got {mode!r}')
        self.in_spec = (in_layout, in_num_segments, in_grid)
        self.out_layout = out_layout or in_layout
        self.out_num_segments = out_num_segments
        self.out_size = tuple(out_size) if out_size else None
        self.temporal_mode = temporal_mode
        self.spatial_mode = spatial_mode
        self.proj = nn.Conv3d(in_channels, out_channels, 1, bias=not norm)
        self.norm = nn.BatchNorm3d(out_channels) if norm else nn.Identity()

    def _resize(self, x: torch.Tensor, size: Tuple[int, int, int]):
        if size == tuple(x.shape[2:]):
            return x
        t, h, w = size
        if x.shape[2] != t:
            if self.temporal_mode == 'pool':
                x = F.adaptive_avg_pool3d(x, (t, *x.shape[3:]))
            else:
                x = F.interpolate(x, size=(t, *x.shape[3:]),
                                  mode='trilinear', align_corners=False)
        if tuple(x.shape[3:]) != (h, w):
            if self.spatial_mode == 'pool':
                x = F.adaptive_avg_pool3d(x, (t, h, w))
            else:
                x = F.interpolate(x, size=(t, h, w), mode='trilinear',
                                  align_corners=False)
        return x

    def forward_train(self, feature: torch.Tensor) -> torch.Tensor:
        """Adapt ``feature``.

        Args:
            feature (Tensor): Input in ``in_layout``.
        """
        x = self.norm(self.proj(to_ncthw(feature, *self.in_spec)))
        size = (self.out_num_segments or x.shape[2],
                *(self.out_size or x.shape[3:]))
        return from_ncthw(self._resize(x, size), self.out_layout)
