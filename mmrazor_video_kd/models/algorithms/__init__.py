"""Distillation algorithms, registered in ``mmrazor.registry.MODELS``."""
from .cached_teacher_distill import CachedTeacherDistill
from .multi_teacher_distill import MultiTeacherDistill
from .multi_view_data_preprocessor import (MultiViewDataPreprocessor,
                                           select_view)
from .stored_teacher_distill import StoredTeacherDistill, TeacherStandIn
from .teacher_output_cache import TeacherOutputCache, view_key
from .video_distill import (StudentCheckpointError, VideoDistill,
                            load_student_checkpoint)

__all__ = [
    'CachedTeacherDistill', 'MultiTeacherDistill',
    'MultiViewDataPreprocessor', 'StoredTeacherDistill',
    'StudentCheckpointError', 'TeacherOutputCache', 'TeacherStandIn',
    'VideoDistill', 'load_student_checkpoint', 'select_view', 'view_key'
]
