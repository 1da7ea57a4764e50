"""Layout of one shard file of the packed teacher-output store.

A shard is one file ``<name>.shard``::

    b'VKDSHRD1'                       8 bytes
    entries                           raw arrays, each 8-byte aligned
    index                             UTF-8 JSON
    index offset, index length        2 x little-endian uint64
    b'VKDSHRD1'                       8 bytes

The JSON index holds the format version, the teacher fingerprint, the
storage of each tensor name and ``records``: ``{view key: {tensor name:
[offset, shape]}}``. Data and index are in the same file, so renaming it
into place publishes both at once.
"""
import json
import struct

import numpy as np

MAGIC = b'VKDSHRD1'
VERSION = 1
SUFFIX = '.shard'
FOOTER = struct.Struct('<QQ8s')


class ShardFormatError(ValueError):
    """A file named ``*.shard`` is not a complete shard."""


def read_shard(path: str):
    """Memory-map a shard read-only.

    Args:
        path (str): The shard file.

    Returns:
        tuple: ``(buffer, index)``: the file's bytes as a read-only
        ``numpy.memmap`` of uint8 and the decoded JSON index.

    Raises:
        ShardFormatError: if the file is not a complete shard.
    """
    buffer = np.memmap(path, dtype=np.uint8, mode='r')
    if (buffer.size < len(MAGIC) + FOOTER.size
            or bytes(buffer[:len(MAGIC)]) != MAGIC):
        raise ShardFormatError(f'{path}: not a teacher-output shard')
    offset, length, magic = FOOTER.unpack(bytes(buffer[-FOOTER.size:]))
    if magic != MAGIC or offset + length + FOOTER.size != buffer.size:
        raise ShardFormatError(f'{path}: truncated teacher-output shard')
    index = json.loads(bytes(buffer[offset:offset + length]).decode())
    if index.get('version') != VERSION:
        raise ShardFormatError(f'{path}: shard format version '
                               f'{index.get("version")}; expected {VERSION}')
    return buffer, index
