"""Transforms, registered in ``mmaction.registry.TRANSFORMS``."""
from .channel_views import ChannelViews
from .fixed_views import FixedViews
from .joint_to_bone_by_pairs import JointToBoneByPairs
from .load_flow_frames import LoadFlowFrames
from .load_skeleton_heatmaps import LoadSkeletonHeatmaps
from .load_teacher_outputs import (LoadTeacherOutputs,
                                   TeacherOutputsMissingError)
from .resize_views import ResizeViews
from .standardize_clip_intensity import StandardizeClipIntensity
from .temporal_stride_views import TemporalStrideViews

__all__ = [
    'ChannelViews', 'FixedViews', 'JointToBoneByPairs', 'LoadFlowFrames',
    'LoadSkeletonHeatmaps', 'LoadTeacherOutputs', 'ResizeViews',
    'StandardizeClipIntensity', 'TeacherOutputsMissingError',
    'TemporalStrideViews'
]
