"""Datasets, registered in ``mmaction.registry.DATASETS``."""
from .checked_video_dataset import CheckedVideoDataset
from .csv_video_dataset import CSVVideoDataset
from .msr_action3d_dataset import MSRAction3DDataset
from .transforms import (FixedViews, LoadFlowFrames, LoadSkeletonHeatmaps,
                         TemporalStrideViews)

__all__ = [
    'CheckedVideoDataset', 'CSVVideoDataset', 'FixedViews', 'LoadFlowFrames',
    'LoadSkeletonHeatmaps', 'MSRAction3DDataset', 'TemporalStrideViews'
]
