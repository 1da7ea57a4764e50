"""Distillation algorithms, registered in ``mmrazor.registry.MODELS``."""
from .cached_teacher_distill import CachedTeacherDistill
from .multi_teacher_distill import MultiTeacherDistill
from .teacher_output_cache import TeacherOutputCache, view_key

__all__ = [
    'CachedTeacherDistill', 'MultiTeacherDistill', 'TeacherOutputCache',
    'view_key'
]
