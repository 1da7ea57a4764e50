"""Recognizers registered in ``mmaction.registry.MODELS``."""
from .ensemble_recognizer import EnsembleRecognizer

__all__ = ['EnsembleRecognizer']
