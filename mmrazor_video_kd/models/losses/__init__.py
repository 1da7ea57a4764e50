"""Distillation losses, registered in ``mmrazor.registry.MODELS``."""
from .attention_distill_loss import AttentionDistillLoss
from .cross_modal_translation_loss import CrossModalTranslationLoss
from .feature_distill_loss import FeatureDistillLoss
from .mmd_loss import MMDLoss
from .moment_matching_loss import MomentMatchingLoss
from .soft_label_distill_loss import SoftLabelDistillLoss
from .teacher_anchored_hinge_loss import TeacherAnchoredHingeLoss
from .temporal_relation_loss import TemporalRelationLoss
from .video_feature_loss import VideoFeatureLoss

__all__ = [
    'AttentionDistillLoss', 'CrossModalTranslationLoss', 'FeatureDistillLoss',
    'MMDLoss', 'MomentMatchingLoss', 'SoftLabelDistillLoss',
    'TeacherAnchoredHingeLoss', 'TemporalRelationLoss', 'VideoFeatureLoss'
]
