"""Read teacher weights saved by MMEngine, PyTorch Lightning or DeepSpeed.

Supported layouts (checked against the sources of PyTorch Lightning 2.4.0,
``trainer/connectors/checkpoint_connector.py`` ``dump_checkpoint`` and
``strategies/deepspeed.py`` ``save_checkpoint``, and DeepSpeed 0.15.0,
``runtime/engine.py`` ``save_checkpoint``, ``_get_ckpt_name`` and
``_save_checkpoint``):

- ``'mmengine'``: a ``.pth`` file holding ``{'meta': ..., 'state_dict': ...,
  ...}`` or a bare state dict (tensors by parameter name).
- ``'lightning'``: a ``.ckpt`` file holding ``{'epoch', 'global_step',
  'pytorch-lightning_version', 'state_dict', 'loops', 'callbacks',
  'optimizer_states', 'lr_schedulers', 'hyper_parameters', ...}``. The
  ``state_dict`` is that of the ``LightningModule``, so the network's keys
  carry the attribute it is stored under (``model.backbone...``).
- ``'deepspeed'``: the directory given to ``engine.save_checkpoint(DIR)``::

      DIR/latest                               # text: the tag
      DIR/<tag>/mp_rank_00_model_states.pt     # {'module': state_dict, ...}
      DIR/<tag>/*_optim_states.pt              # ZeRO optimizer shards

  ``<tag>`` defaults to ``global_step<N>`` (Lightning uses ``checkpoint``,
  and names ``DIR`` like ``epoch=0-step=10.ckpt``). The tag folder or the
  ``mp_rank_00_model_states.pt`` file may also be given. Model-parallel
  (``mp_rank_01``...), pipeline-parallel (``layer_XX-model_states.pt``) and
  ZeRO-3 (``zero_pp_rank_N_mp_rank_00_model_states.pt``, weights partitioned
  across ranks) checkpoints raise :class:`NotImplementedError`.

Files are read with ``torch.load(..., weights_only=True)``; a file that
needs arbitrary Python objects (e.g. OmegaConf hyper-parameters) is refused
with :class:`CheckpointFormatError`, never unpickled unsafely.
"""
import glob
import math
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F

from ..compat.teacher_checkpoint import CONFIG_KEY, TeacherCheckpointError

#: Prefixes auto-stripped from Lightning / DeepSpeed keys (see
#: :func:`strip_prefix`). ``_forward_module.`` is the wrapper of Lightning
#: < 2.1 under DeepSpeed, ``module.`` that of DDP / DeepSpeed.
AUTO_PREFIXES = ('_forward_module.', 'module.', 'model.', 'net.', 'network.',
                 'student.')
LIGHTNING_KEY = 'pytorch-lightning_version'
DS_LATEST = 'latest'
DS_MODEL_FILE = 'mp_rank_00_model_states.pt'
DS_MARKERS = ('ds_version', 'buffer_names', 'mp_world_size')


class CheckpointFormatError(TeacherCheckpointError):
    """A checkpoint path cannot be read as any supported format."""


def _error(config_key: str, path: str, problem: str,
           expected: str) -> CheckpointFormatError:
    return CheckpointFormatError(
        f'{config_key} = {path!r} {problem}; expected {expected}')


_EXPECTED = ('an MMEngine .pth file, a PyTorch Lightning .ckpt file, or a '
             f'DeepSpeed checkpoint directory (DIR/{DS_LATEST} naming a tag '
             f'and DIR/<tag>/{DS_MODEL_FILE})')


def _torch_load(path: str, config_key: str):
    try:
        return torch.load(path, map_location='cpu', weights_only=True)
    except Exception as error:  # noqa: B902
        raise _error(
            config_key, path,
            f'cannot be read with torch.load(weights_only=True) '
            f'({type(error).__name__}: {error})', _EXPECTED) from error


def _is_tensor_dict(obj) -> bool:
    return isinstance(obj, dict) and any(
        isinstance(value, torch.Tensor) for value in obj.values())


def _tensors_only(state, path: str, config_key: str) -> dict:
    if not _is_tensor_dict(state):
        keys = sorted(map(str, state))[:10] if isinstance(state, dict) else \
            type(state).__name__
        raise _error(config_key, path, f'holds no tensors (found {keys})',
                     'a state dict of tensors by parameter name')
    return {k: v for k, v in state.items() if isinstance(v, torch.Tensor)}


def strip_prefix(state_dict: dict, prefix: Optional[str] = None) -> dict:
    """Remove the attribute prefix of a wrapper from every key.

    Args:
        state_dict (dict): Tensors by parameter name.
        prefix (str, optional): ``None`` (default) auto-detects: while ALL
            keys start with the same prefix of :data:`AUTO_PREFIXES`, it is
            removed (so ``_forward_module.model.backbone.x`` becomes
            ``backbone.x``); keys with mixed first components are left as
            they are. ``''`` strips nothing. Any other string keeps only the
            keys starting with it, without it (e.g. ``'teacher.'`` picks the
            teacher of a module that holds several networks).

    Returns:
        dict: The state dict with stripped keys.
    """
    if prefix is None:
        while state_dict:
            found = [
                p for p in AUTO_PREFIXES if all(
                    k.startswith(p) for k in state_dict)
            ]
            if not found:
                break
            state_dict = strip_prefix(state_dict, found[0])
        return state_dict
    if not prefix:
        return state_dict
    return {
        k[len(prefix):]: v
        for k, v in state_dict.items() if k.startswith(prefix)
    }


def _find_deepspeed_file(path: str, config_key: str) -> str:
    """The ``mp_rank_00_model_states.pt`` of a DeepSpeed directory."""
    tag_dir = path
    latest = osp.join(path, DS_LATEST)
    if osp.isfile(latest):
        with open(latest) as f:
            tag = f.read().strip()
        tag_dir = osp.join(path, tag)
        if not osp.isdir(tag_dir):
            raise _error(
                config_key, path,
                f'names tag {tag!r} in {DS_LATEST}, but {tag_dir!r} '
                'is not a directory', _EXPECTED)
    _check_single_rank(tag_dir, config_key)
    model_file = osp.join(tag_dir, DS_MODEL_FILE)
    if not osp.isfile(model_file):
        entries = sorted(glob.glob(osp.join(path, '*')))[:10]
        raise _error(
            config_key, path,
            'is a directory without a recognisable checkpoint '
            f'layout (entries: {[osp.basename(e) for e in entries]})',
            _EXPECTED)
    return model_file


def _check_single_rank(tag_dir: str, config_key: str) -> None:
    """Refuse sharded DeepSpeed checkpoints, naming the directory."""
    names = [osp.basename(f) for f in glob.glob(osp.join(tag_dir, '*.pt'))]
    ranks = sorted(
        n for n in names
        if n.startswith('mp_rank_') and n.endswith('_model_states.pt'))
    zero3 = [
        n for n in names
        if n.startswith('zero_pp_rank_') and n.endswith('_model_states.pt')
    ]
    layers = [
        n for n in names
        if n.startswith('layer_') and n.endswith('model_states.pt')
    ]
    if len(ranks) > 1:
        problem = (f'model-parallel checkpoint with {len(ranks)} ranks '
                   f'({", ".join(ranks[:4])}...): merge the ranks first')
    elif layers:
        problem = ('pipeline-parallel checkpoint (layer_XX-model_states.pt)'
                   ': merge the stages first')
    elif zero3 and not ranks:
        problem = ('ZeRO-3 checkpoint (weights are partitioned across ranks)'
                   ': consolidate it into one file with the zero_to_fp32.py '
                   'script DeepSpeed saves beside it, and read that file')
    else:
        return
    raise NotImplementedError(
        f'{config_key}: DeepSpeed directory {tag_dir!r} is a {problem}')


def _from_deepspeed(checkpoint: dict, path: str, config_key: str) -> dict:
    if checkpoint.get('mp_world_size', 1) not in (None, 1):
        raise NotImplementedError(
            f'{config_key}: DeepSpeed checkpoint {path!r} has mp_world_size='
            f'{checkpoint["mp_world_size"]} (model parallel) in directory '
            f'{osp.dirname(path)!r}; merge the ranks first')
    if checkpoint['module'] is None:
        raise NotImplementedError(
            f'{config_key}: DeepSpeed checkpoint {path!r} has module=None '
            f'(pipeline parallel); its weights are in layer_XX files of '
            f'{osp.dirname(path)!r}')
    return _tensors_only(checkpoint['module'], path, config_key)


def _detect(checkpoint) -> str:
    if isinstance(checkpoint, dict) and 'module' in checkpoint and any(
            key in checkpoint for key in DS_MARKERS):
        return 'deepspeed'
    if isinstance(checkpoint, dict) and LIGHTNING_KEY in checkpoint:
        return 'lightning'
    return 'mmengine'


def _state_of(checkpoint, fmt: str, path: str, config_key: str) -> dict:
    if fmt == 'deepspeed':
        return _from_deepspeed(checkpoint, path, config_key)
    if isinstance(checkpoint, dict) and 'state_dict' in checkpoint:
        return _tensors_only(checkpoint['state_dict'], path, config_key)
    return _tensors_only(checkpoint, path, config_key)


def read_state_dict(path: str,
                    config_key: str = CONFIG_KEY,
                    prefix: Optional[str] = None) -> Tuple[dict, str]:
    """Read the weights of an MMEngine, Lightning or DeepSpeed checkpoint.

    The format is told by the content, not the file name: a dict with
    ``'module'`` and DeepSpeed's bookkeeping (``ds_version``,
    ``buffer_names``...) is DeepSpeed; one with ``'pytorch-lightning_version'``
    is Lightning; anything else is MMEngine (``'state_dict'`` or bare).
    A directory is read as a DeepSpeed checkpoint. Non-tensor entries of a
    state dict are dropped. DeepSpeed weights keep the dtype they were
    trained in (e.g. fp16 or bf16); ``load_state_dict`` casts them.

    Args:
        path (str): A checkpoint file or DeepSpeed checkpoint directory.
        config_key (str): The config key that set ``path``, named in errors.
            Defaults to ``'model.teacher_ckpt'``.
        prefix (str, optional): Prefix stripped from Lightning and DeepSpeed
            keys, see :func:`strip_prefix`; ``None`` auto-detects. MMEngine
            keys only lose a DDP ``module.`` prefix.

    Returns:
        tuple[dict, str]: The state dict and its format, one of
        ``'mmengine'``, ``'lightning'``, ``'deepspeed'``.

    Raises:
        CheckpointFormatError: If ``path`` does not exist, is a directory of
            no known layout, cannot be unpickled safely, or holds no tensors.
        NotImplementedError: For sharded (model- or pipeline-parallel,
            ZeRO-3) DeepSpeed checkpoints.
    """
    path = str(path)
    if not osp.exists(path):
        raise _error(config_key, path, 'does not exist', _EXPECTED)
    if osp.isdir(path):
        path = _find_deepspeed_file(path, config_key)
    elif osp.basename(path).endswith('_model_states.pt'):
        _check_single_rank(osp.dirname(path), config_key)
    checkpoint = _torch_load(path, config_key)
    fmt = _detect(checkpoint)
    state_dict = _state_of(checkpoint, fmt, path, config_key)
    if fmt == 'mmengine':
        state_dict = strip_prefix(state_dict, 'module.') if all(
            k.startswith('module.') for k in state_dict) else state_dict
    else:
        state_dict = strip_prefix(state_dict, prefix)
    if not state_dict:
        raise _error(
            config_key, path, f'has no keys starting with prefix {prefix!r}',
            'the attribute prefix of the network, one of '
            f'{_first_components(checkpoint, fmt)}')
    return state_dict, fmt


def _first_components(checkpoint: dict, fmt: str) -> list:
    state = checkpoint['module' if fmt == 'deepspeed' else 'state_dict']
    return sorted({key.split('.', 1)[0] + '.' for key in state})


# --------------------------------------------------------------------------
# Position embeddings
# --------------------------------------------------------------------------


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
