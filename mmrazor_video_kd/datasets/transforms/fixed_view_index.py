"""View ``v`` of a clip exactly as :class:`FixedViews` draws it."""
import hashlib
import random

import numpy as np

from .fixed_views import FixedViews


def fixed_view_seed(filename, view: int) -> int:
    """The seed :class:`FixedViews` uses for view ``view`` of ``filename``."""
    return int.from_bytes(
        hashlib.sha256(f'{filename}|{view}'.encode()).digest()[:4], 'little')


def apply_fixed_view(fixed_views: FixedViews, results: dict,
                     view: int) -> dict:
    """Run ``fixed_views`` as view ``view`` instead of a random one.

    The output (frames, crop, flip, ``view_index``) is what
    ``fixed_views(results)`` returns when it draws ``view``; the global
    ``random`` and NumPy states are left unchanged.

    Args:
        fixed_views (FixedViews): The transform of the training pipeline.
        results (dict): Its input.
        view (int): The view index, in ``[0, fixed_views.num_views)``.

    Returns:
        dict: The transformed results, or None if a transform dropped them.
    """
    if not 0 <= view < fixed_views.num_views:
        raise ValueError(f'view {view} is outside [0, {fixed_views.num_views})'
                         f' of {type(fixed_views).__name__}')
    seed = fixed_view_seed(results.get('filename'), view)
    np_state, py_state = np.random.get_state(), random.getstate()
    np.random.seed(seed)
    random.seed(seed)
    try:
        results = fixed_views.transforms(results)
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)
    if results is not None:
        results['view_index'] = view
    return results
