"""Resize the position embeddings of a checkpoint to the model's grid."""
import math
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F


def _is_square(n: int) -> bool:
    return n > 0 and math.isqrt(n)**2 == n


def _model_hw(model: torch.nn.Module, key: str) -> Optional[Tuple[int, int]]:
    """Spatial patch grid of the module owning ``key``, if it tells."""
    try:
        owner = model.get_submodule(key.rpartition('.')[0])
    except AttributeError:
        return None
    grid = getattr(owner, 'grid_size', None)
    if grid is None:
        grid = getattr(getattr(owner, 'patch_embed', None), 'grid_size', None)
    if grid is None:
        return None
    grid = tuple(grid) if isinstance(grid, Sequence) else (grid, grid)
    return tuple(int(g) for g in grid[-2:])


def _bad_shapes(key, old_shape, new_shape, why) -> ValueError:
    return ValueError(
        f'cannot interpolate {key}: checkpoint shape {tuple(old_shape)}, '
        f'model shape {tuple(new_shape)}: {why}. Pass grid=(T, H, W) and '
        'src_grid=(T, H, W) to interpolate_pos_embed')


def _guess_grids(old_len: int, new_len: int, hw) -> list:
    """All (extra tokens, T, src H, new H, new W) fitting the assumptions.

    Assumed: at most one leading class token (in both), the temporal size
    unchanged, a square source grid (and a square target grid when the
    model does not tell its grid ``hw``).
    """
    found = []
    for extra in (0, 1):
        old_n, new_n = old_len - extra, new_len - extra
        if hw is not None:
            if new_n % (hw[0] * hw[1]):
                continue
            times = [new_n // (hw[0] * hw[1])]
        else:
            times = [
                t for t in range(1, new_n + 1)
                if not new_n % t and _is_square(new_n // t)
            ]
        for t in times:
            if old_n % t or not _is_square(old_n // t):
                continue
            new_hw = hw or (math.isqrt(new_n // t), ) * 2
            found.append((extra, t, math.isqrt(old_n // t), *new_hw))
    return found


def _grids(key, old_shape, new_shape, model, grid, src_grid):
    """(extra tokens, source (T, H, W), target (T, H, W)) of ``key``."""
    old_len, new_len = old_shape[1], new_shape[1]
    if grid is not None and src_grid is not None:
        extra = new_len - math.prod(grid)
        if extra not in (0, 1) or old_len - extra != math.prod(src_grid):
            raise _bad_shapes(key, old_shape, new_shape,
                              f'grids {src_grid} -> {grid} do not fit')
        return extra, tuple(src_grid), tuple(grid)
    hw = tuple(grid[1:]) if grid is not None else _model_hw(model, key)
    found = _guess_grids(old_len, new_len, hw)
    if len(found) != 1:
        why = ('no grid fits' if not found else
               f'ambiguous grids {found} (extra, T, src H, H, W)')
        raise _bad_shapes(
            key, old_shape, new_shape,
            why + ' assuming an unchanged temporal size and '
            'square spatial grids')
    extra, t, src_h, new_h, new_w = found[0]
    return extra, (t, src_h, src_h), (t, new_h, new_w)


def resize_pos_embed(pos_embed: torch.Tensor,
                     src_grid,
                     grid,
                     extra: int = 0) -> torch.Tensor:
    """Trilinearly resize a (1, extra + T*H*W, C) embedding to ``grid``.

    Tokens are ordered (T, H, W), W fastest, as a Conv3d patch embedding
    flattens them. The ``extra`` leading (class) tokens are kept as is.

    Args:
        pos_embed (Tensor): Shape (1, extra + prod(src_grid), C).
        src_grid (tuple[int]): Its (T, H, W).
        grid (tuple[int]): The wanted (T, H, W).
        extra (int): Leading tokens not on the grid. Defaults to 0.

    Returns:
        Tensor: Shape (1, extra + prod(grid), C), dtype of ``pos_embed``.
    """
    channels = pos_embed.shape[-1]
    head, body = pos_embed[:, :extra], pos_embed[:, extra:]
    body = body.float().reshape(1, *src_grid, channels).permute(0, 4, 1, 2, 3)
    body = F.interpolate(body,
                         size=tuple(grid),
                         mode='trilinear',
                         align_corners=False)
    body = body.permute(0, 2, 3, 4, 1).reshape(1, -1, channels)
    return torch.cat([head, body.to(pos_embed.dtype)], dim=1)


def interpolate_pos_embed(
    state_dict: Dict[str, torch.Tensor],
    model: torch.nn.Module,
    key_suffix: str = 'pos_embed',
    grid: Optional[Sequence[int]] = None,
    src_grid: Optional[Sequence[int]] = None,
) -> Tuple[dict, List[tuple]]:
    """Resize position embeddings of a checkpoint to the model's grid.

    Every key ending with ``key_suffix`` whose shape (1, L, C) differs from
    the model's parameter or buffer of the same name is resized as a
    (T, H, W) grid with trilinear interpolation; keys the model lacks or of
    the same shape are left untouched. The target grid is (T, H, W) with
    (H, W) the ``grid_size`` of the owning module (MMAction2's
    ``VisionTransformer``; or ``patch_embed.grid_size``) and
    T = L / (H * W). The source grid assumes the temporal size unchanged and
    a square spatial grid. One leading class token (L = 1 + T*H*W in both)
    is detected and copied unchanged.

    MMAction2's VideoMAE ``VisionTransformer`` keeps a fixed sinusoid table
    as a buffer (``use_learnable_pos_emb=False``, the default) or a learned
    parameter. Both are interpolated: this keeps the embedding the teacher
    saw at each grid position, as MMAction2's own ``forward`` does (bicubic,
    per frame) when the input size differs from ``img_size``. Regenerating
    the 1-D sinusoid for the new length would instead give different codes
    to the same grid positions.

    Args:
        state_dict (dict): Tensors by parameter name, keys as in ``model``.
        model (nn.Module): The model the weights are for.
        key_suffix (str): Suffix of the keys to resize.
            Defaults to ``'pos_embed'``.
        grid (Sequence[int], optional): Target (T, H, W), overriding the
            model's attributes.
        src_grid (Sequence[int], optional): Source (T, H, W), with ``grid``,
            overriding the inference (e.g. for a changed temporal size).

    Returns:
        tuple[dict, list[tuple]]: The new state dict and
        ``(key, old_shape, new_shape)`` of each resized key.

    Raises:
        ValueError: If the grids cannot be inferred, naming the key and
            both shapes.
    """
    expected = model.state_dict()
    new_state, resized = dict(state_dict), []
    for key, value in state_dict.items():
        target = expected.get(key)
        if (not key.endswith(key_suffix) or target is None
                or target.shape == value.shape):
            continue
        if value.dim() != 3 or target.dim() != 3 or \
                value.shape[0] != 1 or value.shape[2] != target.shape[2]:
            raise _bad_shapes(key, value.shape, target.shape,
                              'expected (1, L, C) with the same C')
        extra, old_grid, new_grid = _grids(key, value.shape, target.shape,
                                           model, grid, src_grid)
        new_state[key] = resize_pos_embed(value, old_grid, new_grid, extra)
        resized.append((key, tuple(value.shape), tuple(target.shape)))
    return new_state, resized
