"""Aligned views of one clip with different numbers of frames."""
from typing import Dict, Sequence

from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class TemporalStrideViews(BaseTransform):
    """Split the frames of one clip into named views by temporal stride.

    A view is the frames ``phase, phase + stride, phase + 2 * stride, ...``
    for each of its phases, phase after phase. With 16 frames sampled,
    ``stride=2`` and ``views=dict(student=[0], teacher=[0, 1])`` the student
    gets 8 frames (0, 2, ..., 14) and the teacher the same 8 followed by the
    other 8 (1, 3, ..., 15): two 8-frame clips of the same video, the first
    one identical to the student's. Put it after the spatial transforms and
    ``FormatShape`` (so every view has the same crop and flip) and before
    ``PackActionInputs(collect_keys=tuple(views))``, which makes the sample's
    input a ``{view: tensor}`` dict for
    :class:`~mmrazor_video_kd.models.algorithms.MultiTeacherDistill`.

    Args:
        views (dict[str, Sequence[int]]): Phases of each view.
        stride (int): Frame stride. Defaults to 2.
        key (str): Key of the frames in the results (first axis = frames,
            as after ``FormatShape(input_format='NCHW')``). Defaults to
            ``'imgs'``.
    """

    def __init__(self, views: Dict[str, Sequence[int]], stride: int = 2,
                 key: str = 'imgs') -> None:
        if stride < 1:
            raise ValueError(f'TemporalStrideViews: stride must be >= 1; '
                             f'got {stride}')
        for name, phases in views.items():
            bad = [p for p in phases if not 0 <= p < stride]
            if not phases or bad:
                raise ValueError(
                    f'TemporalStrideViews: view {name!r} needs phases in '
                    f'[0, {stride}); got {list(phases)}')
        self.views = {name: list(phases) for name, phases in views.items()}
        self.stride = stride
        self.key = key

    def transform(self, results: dict) -> dict:
        frames = results[self.key]
        if len(frames) % self.stride:
            raise ValueError(
                f'TemporalStrideViews: {len(frames)} frames of '
                f'{results.get("filename")} are not a multiple of '
                f'stride={self.stride}')
        for name, phases in self.views.items():
            order = [index for phase in phases
                     for index in range(phase, len(frames), self.stride)]
            results[name] = frames[order]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(views={self.views}, '
                f'stride={self.stride}, key={self.key!r})')
