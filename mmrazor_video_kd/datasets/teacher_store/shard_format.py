"""Layout of one shard file of the packed teacher-output store (version 2).

A shard is one file ``<name>.shard``; every array starts 8-byte aligned
(zero padding in between)::

    b'VKDSHRD1'                       8 bytes (file type; version in header)
    entries                           raw arrays of the records' tensors
    header                            UTF-8 JSON
    keys                              uint8 [num_records, 32], sorted
    per tensor name, in header order:
        offsets                       int64 [num_records]
        shapes                        int32 [num_records, ndim]
    header offset, header length      2 x little-endian uint64
    b'VKDSHRD1'                       8 bytes

The JSON header holds ``version``, the teacher ``fingerprint``, the
``storage`` spec of each tensor name, ``names`` (the tensor names in the
order of their arrays), ``ndim`` (per tensor name) and ``num_records``.
Keys are the raw sha256 digests of the view keys (``bytes.fromhex``),
sorted bytewise. Row ``i`` of a tensor name's arrays belongs to key ``i``:
the offset of its entry in the file (-1 if that record has no such tensor)
and its shape. Data and index are in the same file, so renaming it into
place publishes both at once. Version 1 had a JSON index of all records.
"""
import json
import os
import struct
from typing import Optional

import numpy as np

MAGIC = b'VKDSHRD1'
VERSION = 2
SUFFIX = '.shard'
FOOTER = struct.Struct('<QQ8s')
KEY_BYTES = 32


class ShardFormatError(ValueError):
    """A file named ``*.shard`` is not a complete shard."""


def align(offset: int, alignment: int = 8) -> int:
    """``offset`` rounded up to a multiple of ``alignment``."""
    return -(-offset // alignment) * alignment


def key_digest(key: str) -> Optional[bytes]:
    """The 32 bytes of a view key (64 hex characters), or None."""
    if not isinstance(key, str) or len(key) != 2 * KEY_BYTES:
        return None
    try:
        digest = bytes.fromhex(key)
    except ValueError:
        return None
    return digest if len(digest) == KEY_BYTES else None


def index_arrays(header: dict):
    """``(name, dtype, shape)`` of the index arrays after the header."""
    count = header['num_records']
    arrays = [('keys', np.uint8, (count, KEY_BYTES))]
    for name in header['names']:
        arrays.append((name, np.int64, (count, )))
        arrays.append((name, np.int32, (count, header['ndim'][name])))
    return arrays


def _decode_header(path: str, buffer: np.ndarray) -> tuple:
    offset, length, magic = FOOTER.unpack(bytes(buffer[-FOOTER.size:]))
    if magic != MAGIC or offset + length + FOOTER.size > buffer.size:
        raise ShardFormatError(f'{path}: truncated teacher-output shard')
    try:
        header = json.loads(bytes(buffer[offset:offset + length]).decode())
    except ValueError as error:
        raise ShardFormatError(f'{path}: unreadable shard header '
                               f'({error})') from error
    version = header.get('version') if isinstance(header, dict) else None
    if version != VERSION:
        raise ShardFormatError(f'{path}: shard format version {version}; '
                               f'this reader reads version {VERSION} '
                               '(rewrite the store with the current tools)')
    return header, align(offset + length)


def read_shard(path: str):
    """Memory-map a shard read-only.

    Args:
        path (str): The shard file.

    Returns:
        tuple: ``(buffer, index)``: the file's bytes as a read-only
        ``numpy.memmap`` of uint8 and the JSON header, to which ``keys``
        (uint8 ``[n, 32]``), ``offsets`` and ``shapes`` (``{tensor name:
        array}``) are added as read-only views of the map.

    Raises:
        ShardFormatError: if the file is not a complete shard of this
            format version.
    """
    if os.path.getsize(path) < len(MAGIC) + FOOTER.size:
        raise ShardFormatError(f'{path}: not a teacher-output shard')
    buffer = np.memmap(path, dtype=np.uint8, mode='r')
    if bytes(buffer[:len(MAGIC)]) != MAGIC:
        raise ShardFormatError(f'{path}: not a teacher-output shard')
    index, position = _decode_header(path, buffer)
    arrays = []
    for _, dtype, shape in index_arrays(index):
        nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
        if position + nbytes > buffer.size - FOOTER.size:
            raise ShardFormatError(f'{path}: truncated teacher-output shard')
        chunk = buffer[position:position + nbytes]
        # plain ndarray views (of the map): cheaper to index than memmap
        arrays.append(np.asarray(chunk).view(dtype).reshape(shape))
        position = align(position + nbytes)
    if position != buffer.size - FOOTER.size:
        raise ShardFormatError(f'{path}: truncated teacher-output shard')
    index['keys'] = arrays[0]
    index['offsets'] = dict(zip(index['names'], arrays[1::2]))
    index['shapes'] = dict(zip(index['names'], arrays[2::2]))
    return buffer, index
