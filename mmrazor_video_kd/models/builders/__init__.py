"""Registered functions that build models from other configs."""
from .model_from_config import model_from_config

__all__ = ['model_from_config']
