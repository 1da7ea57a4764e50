"""Loops registered in ``mmrazor.registry.LOOPS``."""
from .multi_teacher_val_loop import MultiTeacherValLoop
from .single_teacher_val_loop import SingleTeacherValLoop
from .teacher_evaluation import EVALUATE_TEACHER

__all__ = ['EVALUATE_TEACHER', 'MultiTeacherValLoop', 'SingleTeacherValLoop']
