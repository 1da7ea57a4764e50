"""View ``v`` of a clip exactly as :class:`FixedViews` draws it."""
from .fixed_views import FixedViews


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
    return fixed_views.apply_view(results, view)
