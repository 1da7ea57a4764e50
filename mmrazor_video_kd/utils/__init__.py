"""Utilities of mmrazor_video_kd."""
from .checkpoints import (CONFIG_KEY, CheckpointFormatError,
                          TeacherCheckpointError, atomic_torch_save,
                          atomic_write_bytes, interpolate_pos_embed,
                          load_teacher_checkpoint, read_state_dict,
                          strip_prefix)
from .kd_checkpoint import NotADistillationCheckpoint, student_checkpoint
from .logits_classes import check_logits_classes

__all__ = [
    'CONFIG_KEY', 'CheckpointFormatError', 'NotADistillationCheckpoint',
    'TeacherCheckpointError', 'atomic_torch_save', 'atomic_write_bytes',
    'check_logits_classes', 'interpolate_pos_embed',
    'load_teacher_checkpoint', 'read_state_dict', 'strip_prefix',
    'student_checkpoint'
]
