"""Sorted lookup of 32-byte view keys across the shards of a store."""
import binascii
from typing import List, Optional, Tuple

import numpy as np

from .shard_format import KEY_BYTES


class KeyIndex:
    """Finds the shard and row of a view key without a dict of all keys.

    The shards' key arrays are concatenated in shard order once; the first
    8 bytes of each key (big-endian uint64) are argsorted (stably, so among
    equal keys the earliest shard comes first). A lookup is a
    ``searchsorted`` on those prefixes plus a comparison of the full 32
    bytes with the shard's (memory-mapped) key. Keys whose prefixes tie are
    ordered by their full bytes and a key in several shards is kept once,
    for the first shard. Memory: 16 bytes per distinct key.

    Args:
        keys (list[np.ndarray]): Per shard, its keys as uint8 ``[n, 32]``.
    """

    def __init__(self, keys: List[np.ndarray]) -> None:
        self._keys = keys
        counts = [len(k) for k in keys]
        self._starts = np.cumsum([0] + counts)[:-1]
        shard = np.repeat(np.arange(len(keys), dtype=np.int32), counts)
        row = np.concatenate([np.zeros(0, np.int32)] +
                             [np.arange(c, dtype=np.int32) for c in counts])
        full = np.concatenate([np.zeros((0, KEY_BYTES), np.uint8)] + keys)
        words = full.view('>u8')  # [n, 4] big-endian
        prefix = words[:, 0].astype(np.uint64)
        order = np.argsort(prefix, kind='stable')
        tie = prefix[order[1:]] == prefix[order[:-1]]
        if tie.any():
            order = self._resolve_ties(order, tie, words)
        self._prefix = prefix[order]
        self._shard, self._row = shard[order], row[order]

    @staticmethod
    def _resolve_ties(order: np.ndarray, tie: np.ndarray,
                      words: np.ndarray) -> np.ndarray:
        """Order keys with equal prefixes by all 32 bytes (then by shard
        order) and keep the first of equal keys."""
        tied = np.zeros(len(order), bool)
        tied[1:] |= tie
        tied[:-1] |= tie
        sub = order[tied]
        # lexsort: the last column is the primary one.
        columns = [words[sub, j].astype(np.uint64) for j in (3, 2, 1, 0)]
        order[tied] = sub[np.lexsort([sub] + columns)]
        same = np.zeros(len(order), bool)
        same[1:] = tie & (words[order[1:]] == words[order[:-1]]).all(1)
        return order[~same]

    def __len__(self) -> int:
        return len(self._prefix)

    def find(self, digest: bytes) -> Optional[Tuple[int, int]]:
        """``(shard, row)`` of a key's 32 bytes, or None."""
        prefix = np.uint64(int.from_bytes(digest[:8], 'big'))
        i = int(self._prefix.searchsorted(prefix))
        while i < len(self._prefix) and self._prefix[i] == prefix:
            shard, row = int(self._shard[i]), int(self._row[i])
            if self._keys[shard][row].tobytes() == digest:
                return shard, row
            i += 1
        return None

    def hex_keys(self) -> List[str]:
        """All distinct keys as 64-character hex strings, sorted."""
        if not len(self):
            return []
        full = np.concatenate(self._keys)[self._starts[self._shard] +
                                          self._row]
        text = binascii.hexlify(full.tobytes()).decode()
        step = 2 * KEY_BYTES
        return [text[i:i + step] for i in range(0, len(text), step)]
