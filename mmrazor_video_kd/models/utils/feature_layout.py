"""Tensor layouts of video features, and conversion to one canonical layout.

Video models hand out features in three layouts:

========  =====================  =========================================
name      shape                  produced by
========  =====================  =========================================
``'2d'``  ``(N*T, C, H, W)``     TSM / TSN (2D backbones over segments)
``'2d-nhwc'`` ``(N*T, H, W, C)``  timm backbones such as Swin in a TSN
``'3d'``  ``(N, C, T, H, W)``    3D CNNs (I3D, SlowFast, X3D), Swin3D
``'tokens'`` ``(N, L, C)``       ViTs (VideoMAE, ...); ``L = T*H*W`` tokens,
                                 possibly with one leading class token
========  =====================  =========================================

Losses and connectors convert to the canonical ``(N, C, T, H, W)`` with
:func:`to_ncthw` and back with :func:`from_ncthw`, so each is written once.
"""
import math
from typing import Optional, Sequence

import torch

LAYOUTS = ('2d', '2d-nhwc', '3d', 'tokens')


def _check(layout):
    if layout not in LAYOUTS:
        raise ValueError(f'unknown feature layout {layout!r}; expected one of '
                         f'{LAYOUTS}')


def _token_grid(length, num_segments, grid):
    """(T, H, W) of ``length`` tokens, and whether a class token leads."""
    if grid is not None:
        t, h, w = grid
        if length not in (t * h * w, t * h * w + 1):
            raise ValueError(f'{length} tokens do not fit grid {tuple(grid)}')
        return (t, h, w), length == t * h * w + 1
    t = num_segments or 1
    for cls_token in (False, True):
        spatial = (length - cls_token) / t
        side = math.isqrt(int(spatial)) if spatial == int(spatial) else 0
        if side and side * side == spatial:
            return (t, side, side), cls_token
    raise ValueError(
        f'cannot infer the (T, H, W) grid of {length} tokens with '
        f'num_segments={num_segments}; pass grid=(T, H, W)')


def to_ncthw(x: torch.Tensor,
             layout: str,
             num_segments: Optional[int] = None,
             grid: Optional[Sequence[int]] = None) -> torch.Tensor:
    """Convert a feature to ``(N, C, T, H, W)``.

    Args:
        x (Tensor): The feature.
        layout (str): ``'2d'``, ``'3d'`` or ``'tokens'``.
        num_segments (int, optional): T of a ``'2d'`` feature (required), or
            of ``'tokens'`` when ``grid`` is not given.
        grid (Sequence[int], optional): (T, H, W) of ``'tokens'``; a leading
            class token, if any, is dropped. Without it, T is
            ``num_segments`` (or 1) and H = W.
    """
    _check(layout)
    if layout == '2d-nhwc':
        if x.dim() != 4:
            raise ValueError(f"'2d-nhwc' features are (N*T, H, W, C); got "
                             f'{tuple(x.shape)}')
        return to_ncthw(x.permute(0, 3, 1, 2), '2d', num_segments)
    if layout == '3d':
        if x.dim() != 5:
            raise ValueError(f"'3d' features are (N, C, T, H, W); got "
                             f'{tuple(x.shape)}')
        return x
    if layout == '2d':
        if x.dim() != 4 or not num_segments or x.shape[0] % num_segments:
            raise ValueError(
                f"'2d' features are (N*T, C, H, W) with T=num_segments; got "
                f'{tuple(x.shape)} and num_segments={num_segments}')
        nt, c, h, w = x.shape
        return x.reshape(nt // num_segments, num_segments, c, h,
                         w).transpose(1, 2)
    if x.dim() != 3:
        raise ValueError(f"'tokens' features are (N, L, C); got "
                         f'{tuple(x.shape)}')
    (t, h, w), cls_token = _token_grid(x.shape[1], num_segments, grid)
    if cls_token:
        x = x[:, 1:]
    n, _, c = x.shape
    return x.transpose(1, 2).reshape(n, c, t, h, w)


def from_ncthw(x: torch.Tensor, layout: str) -> torch.Tensor:
    """Convert ``(N, C, T, H, W)`` to ``layout`` (inverse of
    :func:`to_ncthw`, without a class token)."""
    _check(layout)
    if layout == '3d':
        return x
    n, c, t, h, w = x.shape
    if layout == '2d':
        return x.transpose(1, 2).reshape(n * t, c, h, w)
    if layout == '2d-nhwc':
        return x.permute(0, 2, 3, 4, 1).reshape(n * t, h, w, c)
    return x.flatten(2).transpose(1, 2)


def pool_clip(x: torch.Tensor,
              layout: str,
              num_segments: Optional[int] = None,
              grid: Optional[Sequence[int]] = None) -> torch.Tensor:
    """Average a feature over time and space to one ``(N, C)`` vector per
    clip. ``(N, C)`` input is returned as is."""
    if x.dim() == 2:
        return x
    return to_ncthw(x, layout, num_segments, grid).mean(dim=(2, 3, 4))


AXES = ('batch', 'time', 'space')


def to_sample_sets(x: torch.Tensor,
                   sample_axes: Sequence[str],
                   pool_axes: Sequence[str] = ()) -> torch.Tensor:
    """Arrange an ``(N, C, T, H, W)`` feature as sets of C-dim samples.

    Axes in ``pool_axes`` are averaged away; axes in ``sample_axes`` index
    the samples of a set; the remaining axes index the sets (groups).

    Args:
        x (Tensor): ``(N, C, T, H, W)`` feature.
        sample_axes (Sequence[str]): Subset of ``('batch', 'time', 'space')``.
        pool_axes (Sequence[str]): Subset of the same, disjoint from
            ``sample_axes``.

    Returns:
        Tensor: ``(G, S, C)``: G groups of S samples.
    """
    unknown = (set(sample_axes) | set(pool_axes)) - set(AXES)
    if unknown or set(sample_axes) & set(pool_axes) or not sample_axes:
        raise ValueError(
            f'sample_axes={tuple(sample_axes)} and pool_axes='
            f'{tuple(pool_axes)} must be disjoint, non-empty subsets of '
            f'{AXES}')
    n, c, t, h, w = x.shape
    x = x.reshape(n, c, t, h * w).permute(0, 2, 3, 1)  # N, T, HW, C
    dims = dict(zip(AXES, range(3)))
    pooled = tuple(dims[a] for a in pool_axes)
    if pooled:
        x = x.mean(dim=pooled, keepdim=True)
    groups = [dims[a] for a in AXES if a not in sample_axes]
    samples = [dims[a] for a in AXES if a in sample_axes]
    x = x.permute(*groups, *samples, 3)
    g = math.prod(x.shape[:len(groups)])
    return x.reshape(g, -1, c)
