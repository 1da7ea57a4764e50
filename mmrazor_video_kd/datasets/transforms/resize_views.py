"""Resize named views of a clip (e.g. a student's smaller input)."""
from typing import Dict, Sequence

import mmcv
import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class ResizeViews(BaseTransform):
    """Resize the frames of named views, each to its own size.

    For a teacher that sees more pixels than the student: crop the clip for
    the teacher, split it into views (:class:`TemporalStrideViews`), then
    resize the student's view to the student's input size, so that both see
    the same crop of the same frames. Frames are resized one by one with
    ``mmcv.imresize`` (bilinear by default, as MMAction2's ``Resize``).
    Put it after ``FormatShape(input_format='NCHW')`` and before
    ``PackActionInputs``.

    Args:
        sizes (dict[str, Sequence[int]]): ``(width, height)`` of each view.
        interpolation (str): ``mmcv.imresize`` interpolation. Defaults to
            ``'bilinear'``.
    """

    def __init__(self, sizes: Dict[str, Sequence[int]],
                 interpolation: str = 'bilinear') -> None:
        for name, size in sizes.items():
            if len(size) != 2 or min(size) < 1:
                raise ValueError(f'ResizeViews: view {name!r} needs a size '
                                 f'(width, height) >= 1; got {size}')
        self.sizes = {name: tuple(size) for name, size in sizes.items()}
        self.interpolation = interpolation

    def transform(self, results: dict) -> dict:
        for name, (width, height) in self.sizes.items():
            if name not in results:
                raise KeyError(f'ResizeViews: no view {name!r} in the '
                               f'results of {results.get("filename")} (put '
                               'TemporalStrideViews before it)')
            frames = results[name]  # (frames, channels, height, width)
            resized = [mmcv.imresize(frame.transpose(1, 2, 0),
                                     (width, height),
                                     interpolation=self.interpolation)
                       for frame in frames]
            results[name] = np.stack(resized).reshape(
                len(frames), height, width, -1).transpose(0, 3, 1, 2)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(sizes={self.sizes}, '
                f'interpolation={self.interpolation!r})')
