"""Writes teacher outputs into one shard, published atomically on close."""
import json
import os
import os.path as osp
import time
from typing import Dict, Optional

import numpy as np
import torch

from .shard_format import FOOTER, MAGIC, SUFFIX, VERSION, align, key_digest
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
        self._ndim = {}

    def _storage(self, tensor_name: str) -> TensorStorage:
        if tensor_name not in self.storages:
            self.storages[tensor_name] = TensorStorage(tensor_name)
        return self.storages[tensor_name]

    def _write(self, data) -> int:
        offset = self._file.tell()
        self._file.write(data if isinstance(data, bytes) else data.tobytes())
        end = self._file.tell()
        self._file.write(b'\0' * (align(end) - end))
        return offset

    def __contains__(self, key: str) -> bool:
        return key_digest(key) in self._records

    def __len__(self) -> int:
        return len(self._records)

    def put(self, key: str, outputs: Dict[str, torch.Tensor]) -> bool:
        """Append the outputs of one view.

        Args:
            key (str): The view key (``view_key`` of the data sample): 64
                hex characters (a sha256 hexdigest).
            outputs (dict): ``{tensor name: tensor}``. A tensor name has the
                same number of dimensions in all records of a shard.

        Returns:
            bool: False if ``key`` was already written to this shard (the
            record is not written again).
        """
        if self._file is None:
            raise RuntimeError(f'{self.path}: writer is closed')
        digest = key_digest(key)
        if digest is None:
            raise ValueError(f'view key {key!r}: not 64 hex characters (a '
                             'sha256 hexdigest such as view_key gives)')
        if digest in self._records:
            return False
        encoded = {}
        for tensor_name, tensor in outputs.items():
            try:
                encoded[tensor_name] = self._storage(tensor_name).encode(
                    tensor)
            except (TypeError, ValueError) as error:
                raise type(error)(f'view {key}: {error}') from error
        for tensor_name, (_, shape) in encoded.items():
            ndim = self._ndim.get(tensor_name, len(shape))
            if len(shape) != ndim:
                raise ValueError(f'view {key}: {tensor_name!r} has shape '
                                 f'{shape}; earlier views of this shard have '
                                 f'{ndim} dimensions')
        record = {}
        for tensor_name, (arrays, shape) in encoded.items():
            offsets = [self._write(array) for array in arrays]
            record[tensor_name] = (offsets[0], shape)
            self._ndim.setdefault(tensor_name, len(shape))
        self._records[digest] = record
        return True

    def _write_index(self) -> None:
        """The header, then the sorted keys and each name's rows."""
        digests = sorted(self._records)
        names = list(self._ndim)
        header = dict(version=VERSION,
                      fingerprint=self.fingerprint,
                      storage={
                          n: s.to_dict()
                          for n, s in self.storages.items()
                      },
                      names=names,
                      ndim=self._ndim,
                      num_records=len(digests))
        data = json.dumps(header, separators=(',', ':')).encode()
        offset = self._write(data)
        self._write(b''.join(digests))
        for name in names:
            offsets = np.full(len(digests), -1, np.int64)
            shapes = np.zeros((len(digests), self._ndim[name]), np.int32)
            for row, digest in enumerate(digests):
                entry = self._records[digest].get(name)
                if entry is not None:
                    offsets[row], shapes[row] = entry
            self._write(offsets)
            self._write(shapes)
        self._file.write(FOOTER.pack(offset, len(data), MAGIC))

    def close(self) -> str:
        """Write the index and publish the shard; returns its path."""
        if self._file is None:
            return self.path
        self._write_index()
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
