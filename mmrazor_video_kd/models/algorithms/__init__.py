"""Distillation algorithms, registered in ``mmrazor.registry.MODELS``."""
from .cached_teacher_distill import CachedTeacherDistill
from .teacher_output_cache import TeacherOutputCache, view_key

__all__ = ['CachedTeacherDistill', 'TeacherOutputCache', 'view_key']
