"""Named views of one sample made of some of its feature channels."""
from typing import Dict, Sequence

from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class ChannelViews(BaseTransform):
    """Copy some channels (last axis) of one input into named views.

    For a teacher that sees more features than its student: with skeleton
    features merged as ``[joints, bones, joint motion, bone motion]`` (12
    channels of 3D joints) in ``keypoint``, ``views=dict(student=[0, 1,
    2])`` puts the joints alone in ``student``, and
    ``PackActionInputs(collect_keys=('student', 'keypoint'))`` makes the
    sample's input ``{'student': ..., 'keypoint': ...}`` for
    :class:`~mmrazor_video_kd.models.algorithms.MultiTeacherDistill`
    (``student_view='student'``, the teacher's ``view='keypoint'``). Put it
    after every transform that changes the sampled frames (both views are
    the same frames).

    Args:
        views (dict[str, Sequence[int]]): Channel indices of each view.
        key (str): Key of the input in the results. Defaults to
            ``'keypoint'``.
    """

    def __init__(self, views: Dict[str, Sequence[int]],
                 key: str = 'keypoint') -> None:
        for name, channels in views.items():
            if not channels or min(channels) < 0:
                raise ValueError(
                    f'ChannelViews: view {name!r} needs channel indices '
                    f'>= 0; got {list(channels)}')
        self.views = {name: list(channels) for name, channels in views.items()}
        self.key = key

    def transform(self, results: Dict) -> Dict:
        data = results[self.key]
        for name, channels in self.views.items():
            if max(channels) >= data.shape[-1]:
                raise ValueError(
                    f'ChannelViews: view {name!r} asks for channel '
                    f'{max(channels)} of {self.key!r} in '
                    f'{results.get("frame_dir", "the sample")}, which has '
                    f'{data.shape[-1]} channels')
            results[name] = data[..., channels].copy()
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(views={self.views}, key={self.key!r})'
