"""Datasets, registered in ``mmaction.registry.DATASETS``."""
from .checked_video_dataset import CheckedVideoDataset
from .csv_video_dataset import CSVVideoDataset
from .label_check import LabelOutOfRangeError, check_label
from .msr_action3d_dataset import MSRAction3DDataset
from .transforms import (FixedViews, LoadFlowFrames, LoadSkeletonHeatmaps,
                         TemporalStrideViews)

__all__ = [
    'CheckedVideoDataset', 'CSVVideoDataset', 'FixedViews',
    'LabelOutOfRangeError', 'LoadFlowFrames', 'LoadSkeletonHeatmaps',
    'MSRAction3DDataset', 'TemporalStrideViews', 'check_label'
]
