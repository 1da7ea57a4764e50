"""Connectors, registered in ``mmrazor.registry.MODELS``."""
from .cross_modal_translator import CrossModalTranslator
from .spatio_temporal_adapter import SpatioTemporalAdapter

__all__ = ['CrossModalTranslator', 'SpatioTemporalAdapter']
