"""Utilities of mmrazor_video_kd."""
from .checkpoints import (CONFIG_KEY, CheckpointFormatError,
                          TeacherCheckpointError, atomic_torch_save,
                          atomic_write_bytes, interpolate_pos_embed,
                          load_teacher_checkpoint, read_state_dict,
                          strip_prefix)
from .kd_checkpoint import NotADistillationCheckpoint, student_checkpoint
from .logits_classes import check_logits_classes
from .teacher_keys import (VIEW_KEYS, path_independent, teacher_fingerprint,
                           view_key)

__all__ = [
    'CONFIG_KEY', 'VIEW_KEYS', 'CheckpointFormatError',
    'NotADistillationCheckpoint', 'TeacherCheckpointError', 'atomic_torch_save', 'atomic_write_bytes',
    'check_logits_classes', 'interpolate_pos_embed',
    'load_teacher_checkpoint', 'read_state_dict', 'strip_prefix',
    'path_independent', 'student_checkpoint', 'teacher_fingerprint',
    'view_key'
]
