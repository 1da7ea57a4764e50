"""Read teacher weights saved by MMEngine, PyTorch Lightning or DeepSpeed.

Files are read with ``torch.load(..., weights_only=True)``; a file that
needs arbitrary Python objects (e.g. OmegaConf hyper-parameters) is refused
with :class:`~.errors.CheckpointFormatError`, never unpickled unsafely.
"""
import os.path as osp
from typing import Optional, Tuple

from .deepspeed_reader import (check_single_rank, find_deepspeed_file,
                               is_deepspeed, read_deepspeed)
from .errors import CONFIG_KEY, format_error
from .lightning_reader import is_lightning, read_lightning
from .mmengine_reader import read_mmengine
from .state_dict import torch_load


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
            keys, see :func:`~.state_dict.strip_prefix`; ``None``
            auto-detects. MMEngine keys only lose a DDP ``module.`` prefix.

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
        raise format_error(config_key, path, 'does not exist')
    if osp.isdir(path):
        path = find_deepspeed_file(path, config_key)
    elif osp.basename(path).endswith('_model_states.pt'):
        check_single_rank(osp.dirname(path), config_key)
    checkpoint = torch_load(path, config_key)
    if is_deepspeed(checkpoint):
        fmt = 'deepspeed'
        state_dict = read_deepspeed(checkpoint, path, config_key, prefix)
    elif is_lightning(checkpoint):
        fmt = 'lightning'
        state_dict = read_lightning(checkpoint, path, config_key, prefix)
    else:
        fmt = 'mmengine'
        state_dict = read_mmengine(checkpoint, path, config_key)
    if not state_dict:
        state = checkpoint['module' if fmt == 'deepspeed' else 'state_dict']
        first = sorted({key.split('.', 1)[0] + '.' for key in state})
        raise format_error(
            config_key, path, f'has no keys starting with prefix {prefix!r}',
            f'the attribute prefix of the network, one of {first}')
    return state_dict, fmt
