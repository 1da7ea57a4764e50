"""Datasets, registered in ``mmaction.registry.DATASETS``."""
from .checked_video_dataset import CheckedVideoDataset
from .csv_video_dataset import CSVVideoDataset
from .label_check import LabelOutOfRangeError, check_label
from .msr_action3d_dataset import MSRAction3DDataset
from .seeded_sample_dataset import SeededSampleDataset
from .seeded_sample_sampler import SeededSampleSampler, sample_seed
from .transforms import (FixedViews, LoadFlowFrames, LoadSkeletonHeatmaps,
                         TemporalStrideViews)

__all__ = [
    'CheckedVideoDataset', 'CSVVideoDataset', 'FixedViews',
    'LabelOutOfRangeError', 'LoadFlowFrames', 'LoadSkeletonHeatmaps',
    'MSRAction3DDataset', 'SeededSampleDataset', 'SeededSampleSampler',
    'TemporalStrideViews', 'check_label', 'sample_seed'
]
