"""Datasets, registered in ``mmaction.registry.DATASETS``."""
from .checked_video_dataset import CheckedVideoDataset
from .csv_video_dataset import CSVVideoDataset
from .transforms import FixedViews, LoadFlowFrames, TemporalStrideViews

__all__ = [
    'CheckedVideoDataset', 'CSVVideoDataset', 'FixedViews', 'LoadFlowFrames',
    'TemporalStrideViews'
]
