"""How one named tensor is stored in a packed teacher-output shard."""
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch

from .topk_soft_labels import decode_topk, encode_topk

#: Storage dtypes: name -> (numpy dtype of the stored bits, bytes per value).
DTYPES = {'float32': np.float32, 'float16': np.float16, 'bfloat16': np.uint16}

#: Largest finite float16; larger magnitudes would be stored as inf.
FLOAT16_MAX = 65504.0


def _align(offset: int, alignment: int = 8) -> int:
    return -(-offset // alignment) * alignment


class TensorStorage:
    """Encoding of one named teacher output (e.g. ``'logits'``).

    Args:
        name (str): The tensor's name in the records.
        dtype (str): ``'float32'`` (exact), ``'float16'`` (relative error
            <= 2^-11 for ``|x|`` in [2^-14, 65504]; larger values raise) or
            ``'bfloat16'`` (relative error <= 2^-8; stored as uint16 bits).
            With ``topk`` it applies to the top-k values. Defaults to
            ``'float32'``.
        topk (int, optional): Keep only the ``k`` largest logits of the last
            dimension plus their indices and ``logsumexp(logits / T)``; read
            back as dense logits (see :mod:`.topk_soft_labels`).
        temperature (float, optional): ``T`` of the distillation loss;
            required with ``topk`` and only allowed with it.
    """

    def __init__(self,
                 name: str,
                 dtype: str = 'float32',
                 topk: Optional[int] = None,
                 temperature: Optional[float] = None) -> None:
        if dtype not in DTYPES:
            raise ValueError(f'storage of {name!r}: dtype must be one of '
                             f'{sorted(DTYPES)}; got {dtype!r}')
        if (topk is None) != (temperature is None):
            raise ValueError(f'storage of {name!r}: topk and temperature go '
                             f'together; got topk={topk}, '
                             f'temperature={temperature}')
        if topk is not None and (not isinstance(topk, int) or topk < 1):
            raise ValueError(f'storage of {name!r}: topk must be a positive '
                             f'int; got {topk!r}')
        self.name = name
        self.dtype = dtype
        self.topk = topk
        self.temperature = temperature

    @classmethod
    def from_dict(cls, name: str, spec: dict) -> 'TensorStorage':
        """Build from ``dict(dtype=..., topk=..., temperature=...)``."""
        unknown = set(spec) - {'dtype', 'topk', 'temperature'}
        if unknown:
            raise ValueError(f'storage of {name!r}: unknown keys '
                             f'{sorted(unknown)}; allowed: dtype, topk, '
                             'temperature')
        return cls(name, **spec)

    def to_dict(self) -> dict:
        """The spec as saved in a shard's index."""
        return dict(dtype=self.dtype,
                    topk=self.topk,
                    temperature=self.temperature)

    def _to_bits(self, tensor: torch.Tensor) -> np.ndarray:
        tensor = tensor.detach().cpu().float().contiguous()
        if self.dtype == 'bfloat16':
            return tensor.to(torch.bfloat16).view(torch.int16).numpy().view(
                np.uint16)
        if self.dtype == 'float16':
            peak = tensor.abs().max().item() if tensor.numel() else 0.0
            if peak > FLOAT16_MAX:
                raise ValueError(
                    f'{self.name!r}: |value| {peak:g} exceeds the float16 '
                    f'range ({FLOAT16_MAX}); store it as bfloat16 or float32')
        return tensor.numpy().astype(DTYPES[self.dtype])

    def _from_bits(self, bits: np.ndarray) -> torch.Tensor:
        if self.dtype == 'bfloat16':
            return torch.from_numpy(bits.view(np.int16).copy()).view(
                torch.bfloat16).float()
        return torch.from_numpy(bits.copy()).float()

    def encode(self, tensor: torch.Tensor) -> Tuple[List[np.ndarray], list]:
        """Arrays to write for ``tensor`` and its original shape."""
        if not torch.is_floating_point(tensor):
            raise TypeError(f'{self.name!r}: only floating-point tensors are '
                            f'stored; got {tensor.dtype}')
        if self.topk is None:
            return [self._to_bits(tensor)], list(tensor.shape)
        values, indices, lse = encode_topk(tensor, self.topk, self.temperature)
        index_dtype = np.int16 if tensor.shape[-1] <= 2**15 else np.int32
        return [
            self._to_bits(values),
            indices.numpy().astype(index_dtype),
            lse.numpy().astype(np.float32)
        ], list(tensor.shape)

    def layout(self, shape: list) -> List[Tuple[type, tuple]]:
        """``(numpy dtype, shape)`` of each stored array of an entry."""
        if self.topk is None:
            return [(DTYPES[self.dtype], tuple(shape))]
        rows = tuple(shape[:-1])
        index_dtype = np.int16 if shape[-1] <= 2**15 else np.int32
        return [(DTYPES[self.dtype], rows + (self.topk, )),
                (index_dtype, rows + (self.topk, )), (np.float32, rows)]

    def decode(self, buffer: np.ndarray, offset: int,
               shape: list) -> torch.Tensor:
        """Read an entry at ``offset`` of a shard's bytes as float32."""
        arrays = []
        for dtype, sub_shape in self.layout(shape):
            count = int(np.prod(sub_shape, dtype=np.int64))
            nbytes = count * np.dtype(dtype).itemsize
            arrays.append(buffer[offset:offset +
                                 nbytes].view(dtype).reshape(sub_shape))
            offset = _align(offset + nbytes)
        if self.topk is None:
            return self._from_bits(arrays[0])
        values = self._from_bits(arrays[0])
        indices = torch.from_numpy(arrays[1].astype(np.int64))
        lse = torch.from_numpy(arrays[2].copy())
        return decode_topk(values, indices, lse, shape[-1], self.temperature)


def build_storages(
        storage: Optional[Dict[str, dict]]) -> Dict[str, TensorStorage]:
    """``{name: TensorStorage}`` from ``{name: dict(dtype=..., ...)}``."""
    return {
        name: TensorStorage.from_dict(name, dict(spec))
        for name, spec in (storage or {}).items()
    }
