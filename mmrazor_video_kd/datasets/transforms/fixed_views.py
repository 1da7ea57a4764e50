"""K fixed random views per clip, for caching teacher outputs."""
import hashlib
import random
from typing import List

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform, Compose


@TRANSFORMS.register_module()
class FixedViews(BaseTransform):
    """Run random transforms as one of ``num_views`` fixed views of a clip.

    Each call draws a view index ``v`` in ``[0, num_views)`` from the global
    random state, then runs ``transforms`` with ``random`` and NumPy seeded
    from ``(filename, v)``, and restores the global random state. A clip so
    shows at most ``num_views`` different views (frame offsets, crops,
    flips), each reproducible, which lets
    :class:`~mmrazor_video_kd.models.algorithms.CachedTeacherDistill` reuse
    teacher outputs across epochs: with K views, after about K epochs (more
    precisely, once every view of a clip has been drawn) every batch is
    served from the cache. K trades augmentation variety for cache hits.

    Args:
        transforms (list[dict]): The random transforms (e.g.
            ``SampleFrames``, ``DecordDecode``, ``RandomCrop``, ``Flip``).
        num_views (int): Views per clip. Defaults to 4.
    """

    def __init__(self, transforms: List[dict], num_views: int = 4) -> None:
        if num_views < 1:
            raise ValueError(f'num_views must be >= 1; got {num_views}')
        self.transforms = Compose(transforms)
        self.num_views = num_views

    @staticmethod
    def view_seed(filename, view: int) -> int:
        """The seed of view ``view`` of the clip ``filename``."""
        return int.from_bytes(
            hashlib.sha256(f'{filename}|{view}'.encode()).digest()[:4],
            'little')

    def apply_view(self, results: dict, view: int) -> dict:
        """Run the transforms as view ``view`` of the clip; the global
        ``random`` and NumPy states are left unchanged.

        Returns:
            dict: The transformed results (with ``view_index``), or None if
            a transform dropped them.
        """
        seed = self.view_seed(results.get('filename'), view)
        np_state, py_state = np.random.get_state(), random.getstate()
        np.random.seed(seed)
        random.seed(seed)
        try:
            results = self.transforms(results)
        finally:
            np.random.set_state(np_state)
            random.setstate(py_state)
        if results is not None:
            results['view_index'] = view
        return results

    def transform(self, results: dict) -> dict:
        return self.apply_view(results, int(np.random.randint(self.num_views)))

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_views={self.num_views}, '
                f'transforms={self.transforms})')
