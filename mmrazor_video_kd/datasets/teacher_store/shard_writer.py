"""Writes teacher outputs into one shard, published atomically on close."""
import json
import os
import os.path as osp
import time
from typing import Dict, Optional

import torch

from .shard_format import FOOTER, MAGIC, SUFFIX, VERSION
from .tensor_storage import TensorStorage, build_storages


def store_directory(root: str, fingerprint: str) -> str:
    """Folder of one teacher's shards: ``root/<fingerprint[:16]>``."""
    if not fingerprint:
        raise ValueError('a teacher fingerprint is required')
    return osp.join(root, fingerprint[:16])


class TeacherStoreWriter:
    """Appends ``view key -> {name: tensor}`` records to one shard.

    Records go to a hidden temporary file; :meth:`close` appends the index,
    fsyncs and renames it to ``<name>.shard`` (``os.replace``), so readers
    see either no shard or a complete one, and a killed writer leaves only
    its temporary file (ignored by readers). Each process (DDP rank,
    teacher worker) writes its own shard, so no locks are needed.

    Args:
        root (str): Store directory; shards go to ``root/<fingerprint[:16]>``.
        fingerprint (str): The teacher's fingerprint (``teacher_fingerprint``
            of its config and weights), saved in the shard's index.
        storage (dict, optional): ``{tensor name: dict(dtype=..., topk=...,
            temperature=...)}`` (see :class:`TensorStorage`); names not listed
            are stored as float32.
        name (str, optional): Shard name; defaults to
            ``'<prefix>-<time ns>-<pid>'``. Must not exist yet.
        prefix (str): Prefix of the default name, e.g. ``'rank0'``.
    """

    def __init__(self,
                 root: str,
                 fingerprint: str,
                 storage: Optional[Dict[str, dict]] = None,
                 name: Optional[str] = None,
                 prefix: str = 'shard') -> None:
        self.fingerprint = fingerprint
        self.storages = build_storages(storage)
        self.directory = store_directory(root, fingerprint)
        os.makedirs(self.directory, exist_ok=True)
        name = name or f'{prefix}-{time.time_ns()}-{os.getpid()}'
        self.path = osp.join(self.directory, name + SUFFIX)
        if osp.exists(self.path):
            raise FileExistsError(f'{self.path}: shard exists; shards are '
                                  'never overwritten, pick another name')
        self._tmp = osp.join(self.directory, f'.{name}{SUFFIX}.tmp')
        self._file = open(self._tmp, 'wb')
        self._file.write(MAGIC)
        self._records = {}

    def _storage(self, tensor_name: str) -> TensorStorage:
        if tensor_name not in self.storages:
            self.storages[tensor_name] = TensorStorage(tensor_name)
        return self.storages[tensor_name]

    def _write(self, array) -> int:
        offset = self._file.tell()
        self._file.write(array.tobytes())
        self._file.write(b'\0' * (-self._file.tell() % 8))
        return offset

    def __contains__(self, key: str) -> bool:
        return key in self._records

    def __len__(self) -> int:
        return len(self._records)

    def put(self, key: str, outputs: Dict[str, torch.Tensor]) -> bool:
        """Append the outputs of one view.

        Args:
            key (str): The view key (``view_key`` of the data sample).
            outputs (dict): ``{tensor name: tensor}``.

        Returns:
            bool: False if ``key`` was already written to this shard (the
            record is not written again).
        """
        if self._file is None:
            raise RuntimeError(f'{self.path}: writer is closed')
        if key in self._records:
            return False
        encoded = {}
        for tensor_name, tensor in outputs.items():
            try:
                encoded[tensor_name] = self._storage(tensor_name).encode(
                    tensor)
            except (TypeError, ValueError) as error:
                raise type(error)(f'view {key}: {error}') from error
        record = {}
        for tensor_name, (arrays, shape) in encoded.items():
            offsets = [self._write(array) for array in arrays]
            record[tensor_name] = [offsets[0], shape]
        self._records[key] = record
        return True

    def close(self) -> str:
        """Write the index and publish the shard; returns its path."""
        if self._file is None:
            return self.path
        index = dict(version=VERSION,
                     fingerprint=self.fingerprint,
                     storage={
                         n: s.to_dict()
                         for n, s in self.storages.items()
                     },
                     records=self._records)
        data = json.dumps(index, separators=(',', ':')).encode()
        offset = self._file.tell()
        self._file.write(data)
        self._file.write(FOOTER.pack(offset, len(data), MAGIC))
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = None
        os.replace(self._tmp, self.path)
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return self.path

    def abort(self) -> None:
        """Drop the shard: nothing is published."""
        if self._file is not None:
            self._file.close()
            self._file = None
            os.remove(self._tmp)

    def __enter__(self) -> 'TeacherStoreWriter':
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
