"""Keys of stored teacher outputs: which view of which clip, which teacher.

Both are independent of how paths are spelled: a clip's ``filename`` is
resolved (``os.path.realpath``) before hashing, and a file path in the
teacher's config (e.g. ``model_from_config``'s ``config``) is replaced by
the hash of the file's content, so a checkout or data copy reached by
another path keeps its keys, and an edited teacher config file changes the
fingerprint.
"""
import hashlib
import json
import os.path as osp
from typing import Sequence

import numpy as np
import torch

#: Metainfo that identifies the view of a clip the student sees.
VIEW_KEYS = ('filename', 'view_index', 'frame_inds', 'clip_len',
             'num_clips', 'frame_interval', 'crop_bbox', 'img_shape', 'flip',
             'flip_direction')


def _jsonable(value):
    if isinstance(value, (np.ndarray, torch.Tensor)):
        return np.asarray(value).round(4).tolist()
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def view_key(metainfo: dict) -> str:
    """Hash of the sample and the exact view (frames, crop, flip, size).

    Args:
        metainfo (dict): The data sample's metainfo (``PackActionInputs``
            ``meta_keys``); ``filename`` is resolved with
            ``os.path.realpath``.

    Returns:
        str: 64 hexadecimal characters (sha256).

    Raises:
        KeyError: if ``filename`` or ``frame_inds`` are not in the metainfo
            (add them to ``PackActionInputs(meta_keys=...)``).
    """
    missing = [k for k in ('filename', 'frame_inds') if k not in metainfo]
    if missing:
        raise KeyError(
            f'the teacher-output store needs {missing} in the data samples '
            f'metainfo; set PackActionInputs(meta_keys={VIEW_KEYS})')
    view = {k: _jsonable(metainfo[k]) for k in VIEW_KEYS if k in metainfo}
    view['filename'] = osp.realpath(str(view['filename']))
    return hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()


def _file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as file:
        for block in iter(lambda: file.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def path_independent(value):
    """``value`` (a config) with every string naming an existing file
    replaced by ``'sha256:<hash of the file's content>'``."""
    if isinstance(value, dict):
        return {k: path_independent(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [path_independent(v) for v in value]
    if isinstance(value, str) and osp.isfile(value):
        return 'sha256:' + _file_digest(value)
    return value


def teacher_fingerprint(teacher: torch.nn.Module, config: dict) -> str:
    """Hash of the teacher's config (see :func:`path_independent`) and of
    every tensor of its state.

    Args:
        teacher (torch.nn.Module): The built teacher, weights loaded.
        config (dict): The teacher's config (``model.teacher``).

    Returns:
        str: 64 hexadecimal characters (sha256).
    """
    config = path_independent(dict(config))
    digest = hashlib.sha256(repr(sorted(config.items())).encode())
    for name, tensor in sorted(teacher.state_dict().items()):
        digest.update(name.encode())
        raw = tensor.detach().cpu().contiguous().reshape(-1)
        digest.update(raw.view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def teachers_fingerprint(teachers: Sequence[torch.nn.Module],
                         configs: Sequence[dict]) -> str:
    """Hash of the :func:`teacher_fingerprint` of each of several teachers,
    in order (e.g. those of ``MultiTeacherDistill``).

    Args:
        teachers (Sequence[torch.nn.Module]): The built teachers, weights
            loaded.
        configs (Sequence[dict]): Each teacher's config, in the same order;
            it should name the teacher and hold what decides its outputs
            (e.g. its model config and input view).

    Returns:
        str: 64 hexadecimal characters (sha256). Another order, config or
        weight of any teacher gives another fingerprint.

    Raises:
        ValueError: If there are no teachers, or not one config per teacher.
    """
    teachers, configs = list(teachers), list(configs)
    if not teachers or len(teachers) != len(configs):
        raise ValueError(f'one config per teacher needed: {len(teachers)} '
                         f'teachers, {len(configs)} configs')
    digest = hashlib.sha256(b'teachers')
    for teacher, config in zip(teachers, configs):
        digest.update(teacher_fingerprint(teacher, config).encode())
    return digest.hexdigest()
