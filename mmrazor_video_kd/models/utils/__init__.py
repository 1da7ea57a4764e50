"""Helpers shared by losses and connectors."""
from .feature_layout import (AXES, LAYOUTS, from_ncthw, pool_clip,
                             to_ncthw, to_sample_sets)

__all__ = [
    'AXES', 'LAYOUTS', 'to_ncthw', 'from_ncthw', 'pool_clip', 'to_sample_sets'
]
