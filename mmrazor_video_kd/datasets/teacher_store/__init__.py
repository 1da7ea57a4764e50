"""Packed teacher-output store: a few large shard files of teacher outputs
keyed by view and teacher fingerprint (see ``docs/offline_distillation.md``).
"""
from ...utils.teacher_keys import teacher_fingerprint, view_key
from .packed_teacher_store import PackedTeacherStore
from .shard_format import ShardFormatError, read_shard
from .shard_writer import TeacherStoreWriter, store_directory
from .teacher_record import (AUTO, TEACHER_RECORD, StoredTeacherError,
                             check_teacher_record, resolve_fingerprint,
                             teacher_record, write_teacher_record)
from .tensor_storage import TensorStorage
from .topk_soft_labels import (decode_topk, encode_topk, topk_kd_loss_bound,
                               topk_tail_mass)

__all__ = [
    'AUTO', 'PackedTeacherStore', 'ShardFormatError', 'StoredTeacherError',
    'TEACHER_RECORD', 'TeacherStoreWriter', 'TensorStorage',
    'check_teacher_record', 'decode_topk', 'encode_topk', 'read_shard',
    'resolve_fingerprint', 'store_directory', 'teacher_fingerprint',
    'teacher_record', 'topk_kd_loss_bound', 'topk_tail_mass', 'view_key',
    'write_teacher_record'
]
