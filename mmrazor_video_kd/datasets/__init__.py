"""Datasets, registered in ``mmaction.registry.DATASETS``."""
from .checked_video_dataset import CheckedVideoDataset

__all__ = ['CheckedVideoDataset']
