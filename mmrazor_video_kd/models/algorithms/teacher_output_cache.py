"""On-disk store of teacher outputs, keyed by teacher and exact view."""
import os
import os.path as osp
from typing import Dict, Optional

import torch

from ...utils.checkpoints import atomic_torch_save
from ...utils.teacher_keys import (VIEW_KEYS, teacher_fingerprint,  # noqa: F401
                                   view_key)


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
