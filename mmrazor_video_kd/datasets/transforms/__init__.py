"""Transforms, registered in ``mmaction.registry.TRANSFORMS``."""
from .fixed_views import FixedViews

__all__ = ['FixedViews']
