"""Utilities of mmrazor_video_kd."""
from .kd_checkpoint import NotADistillationCheckpoint, student_checkpoint

__all__ = ['NotADistillationCheckpoint', 'student_checkpoint']
