"""On-disk store of teacher outputs, keyed by teacher and exact view."""
import hashlib
import json
import os
import os.path as osp
from typing import Dict, Optional

import numpy as np
import torch

from ...utils.checkpoints import atomic_torch_save

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

    Raises:
        KeyError: if ``filename`` or ``frame_inds`` are not in the metainfo
            (add them to ``PackActionInputs(meta_keys=...)``).
    """
    missing = [k for k in ('filename', 'frame_inds') if k not in metainfo]
    if missing:
        raise KeyError(
            f'the teacher-output cache needs {missing} in the data samples '
            f'metainfo; set PackActionInputs(meta_keys={VIEW_KEYS})')
    view = {k: _jsonable(metainfo[k]) for k in VIEW_KEYS if k in metainfo}
    return hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()


def teacher_fingerprint(teacher: torch.nn.Module, config: dict) -> str:
    """Hash of the teacher's config and of every tensor of its state."""
    digest = hashlib.sha256(repr(sorted(config.items())).encode())
    for name, tensor in sorted(teacher.state_dict().items()):
        digest.update(name.encode())
        raw = tensor.detach().cpu().contiguous().reshape(-1)
        digest.update(raw.view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


class TeacherOutputCache:
    """Teacher outputs of single clips, one file per (teacher, view).

    Files live in ``root/<fingerprint[:16]>/<view_key>.pt``; a different
    teacher (config or weights) has another fingerprint, so its outputs are
    never mixed with another teacher's.

    Args:
        root (str): Cache directory.
        fingerprint (str): See :func:`teacher_fingerprint`.
    """

    def __init__(self, root: str, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.directory = osp.join(root, fingerprint[:16])
        os.makedirs(self.directory, exist_ok=True)
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> str:
        return osp.join(self.directory, f'{key}.pt')

    def get(self, key: str) -> Optional[Dict[str, torch.Tensor]]:
        """Cached outputs of one view, or None."""
        path = self._path(key)
        if not osp.isfile(path):
            self.misses += 1
            return None
        self.hits += 1
        return torch.load(path, map_location='cpu', weights_only=True)

    def put(self, key: str, outputs: Dict[str, torch.Tensor]) -> None:
        """Store the outputs of one view (written atomically)."""
        atomic_torch_save(
            {k: v.detach().cpu().clone() for k, v in outputs.items()},
            self._path(key))
