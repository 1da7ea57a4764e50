"""Evaluation metrics, registered in ``mmaction.registry.METRICS``."""
from .metrics import *  # noqa: F401,F403
