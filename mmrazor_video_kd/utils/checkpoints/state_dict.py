"""Safe loading of checkpoint files and clean-up of their state dicts."""
from typing import Optional

import torch

from .errors import format_error

#: Prefixes auto-stripped from Lightning / DeepSpeed keys (see
#: :func:`strip_prefix`). ``_forward_module.`` is the wrapper of Lightning
#: < 2.1 under DeepSpeed, ``module.`` that of DDP / DeepSpeed.
AUTO_PREFIXES = ('_forward_module.', 'module.', 'model.', 'net.', 'network.',
                 'student.')


def torch_load(path: str, config_key: str):
    """``torch.load(path, weights_only=True)`` on CPU, with an error naming
    ``config_key`` when the file cannot be unpickled safely."""
    try:
        return torch.load(path, map_location='cpu', weights_only=True)
    except Exception as error:  # noqa: B902
        raise format_error(
            config_key, path,
            f'cannot be read with torch.load(weights_only=True) '
            f'({type(error).__name__}: {error})') from error


def tensors_only(state, path: str, config_key: str) -> dict:
    """The tensor entries of ``state``; raises if it holds none."""
    if not (isinstance(state, dict) and any(
            isinstance(value, torch.Tensor) for value in state.values())):
        keys = sorted(map(str, state))[:10] if isinstance(state, dict) else \
            type(state).__name__
        raise format_error(config_key, path,
                           f'holds no tensors (found {keys})',
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
