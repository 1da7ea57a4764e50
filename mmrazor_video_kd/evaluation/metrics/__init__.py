"""Metrics on recognizer outputs (e.g. student features)."""
from .few_shot_metric import FewShotMetric

__all__ = ['FewShotMetric']
