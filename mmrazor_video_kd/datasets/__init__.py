"""Datasets, registered in ``mmaction.registry.DATASETS``."""
from .checked_video_dataset import CheckedVideoDataset
from .transforms import FixedViews

__all__ = ['CheckedVideoDataset', 'FixedViews']
