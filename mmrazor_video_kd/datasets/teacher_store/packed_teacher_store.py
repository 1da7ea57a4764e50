"""Reads teacher outputs from the shards of one teacher, without locks."""
import glob
import os
import os.path as osp
from typing import Dict, List, Optional

import numpy as np
import torch

from .key_index import KeyIndex
from .shard_format import SUFFIX, ShardFormatError, key_digest, read_shard
from .shard_writer import store_directory
from .tensor_storage import TensorStorage


class PackedTeacherStore:
    """Read-only view of the shards written for one teacher fingerprint.

    Shards are memory-mapped read-only and opened lazily in each process
    (a data-loader worker forked or spawned with this object opens its own
    maps), so any number of DDP ranks and workers read at once without
    locks. Only shards whose index carries exactly ``fingerprint`` are used:
    another teacher (config or weights) finds nothing. Hidden temporary
    files of unfinished writers are ignored. If a view key is in several
    shards, the shard whose name sorts first serves it. Keys are looked up
    in the shards' sorted binary key arrays (:class:`KeyIndex`); no dict of
    all keys is built.

    Args:
        root (str): Store directory (as given to ``TeacherStoreWriter``).
        fingerprint (str): The teacher's fingerprint.
        strict (bool): Raise on a ``*.shard`` file that is not a complete
            shard (instead of skipping it). Defaults to True.
    """

    def __init__(self,
                 root: str,
                 fingerprint: str,
                 strict: bool = True) -> None:
        self.root = root
        self.fingerprint = fingerprint
        self.strict = strict
        self.directory = store_directory(root, fingerprint)
        self.hits = 0
        self.misses = 0
        self._pid = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for name in ('_pid', '_shards', '_index', 'storages', 'shard_paths'):
            state.pop(name, None)
        state['_pid'] = None
        return state

    def refresh(self) -> None:
        """(Re)open the shards, picking up those published since."""
        shards, storages, paths = [], {}, []
        for path in sorted(glob.glob(osp.join(self.directory, '*' + SUFFIX))):
            try:
                buffer, index = read_shard(path)
            except ShardFormatError:
                if self.strict:
                    raise
                continue
            if index['fingerprint'] != self.fingerprint:
                continue
            shard_storages = {
                name: TensorStorage.from_dict(name, spec)
                for name, spec in index['storage'].items()
            }
            shards.append((np.asarray(buffer), index, shard_storages))
            paths.append(path)
            for name, storage in shard_storages.items():
                storages.setdefault(name, storage.to_dict())
        self._index = KeyIndex([index['keys'] for _, index, _ in shards])
        self._shards = shards
        self.storages, self.shard_paths = storages, paths
        self._pid = os.getpid()

    def _open(self) -> None:
        if self._pid != os.getpid():
            self.refresh()

    def __contains__(self, key: str) -> bool:
        return self._find(key) is not None

    def __len__(self) -> int:
        self._open()
        return len(self._index)

    def keys(self) -> List[str]:
        """All stored view keys (sorted hex strings)."""
        self._open()
        return self._index.hex_keys()

    def _find(self, key: str):
        self._open()
        digest = key_digest(key)
        return None if digest is None else self._index.find(digest)

    def get(self, key: str) -> Optional[Dict[str, torch.Tensor]]:
        """The outputs of one view as float32 tensors, or None (miss).

        Top-k entries come back as dense logits (see
        :mod:`.topk_soft_labels`).
        """
        found = self._find(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        shard, row = found
        buffer, index, storages = self._shards[shard]
        outputs = {}
        for name in index['names']:
            offset = int(index['offsets'][name][row])
            if offset >= 0:
                outputs[name] = storages[name].decode(
                    buffer, offset, index['shapes'][name][row].tolist())
        return outputs
