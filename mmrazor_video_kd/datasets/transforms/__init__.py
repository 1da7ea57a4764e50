"""Transforms, registered in ``mmaction.registry.TRANSFORMS``."""
from .fixed_views import FixedViews
from .temporal_stride_views import TemporalStrideViews

__all__ = ['FixedViews', 'TemporalStrideViews']
