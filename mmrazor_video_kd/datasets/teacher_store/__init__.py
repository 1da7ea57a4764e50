"""Packed teacher-output store: a few large shard files of teacher outputs
keyed by view and teacher fingerprint (see ``docs/offline_distillation.md``).
"""
from ...models.algorithms.teacher_output_cache import (teacher_fingerprint,
                                                       view_key)
from .packed_teacher_store import PackedTeacherStore
from .shard_format import ShardFormatError, read_shard
from .shard_writer import TeacherStoreWriter, store_directory
from .tensor_storage import TensorStorage
from .topk_soft_labels import (decode_topk, encode_topk, topk_kd_loss_bound,
                               topk_tail_mass)

__all__ = [
    'PackedTeacherStore', 'ShardFormatError', 'TeacherStoreWriter',
    'TensorStorage', 'decode_topk', 'encode_topk', 'read_shard',
    'store_directory', 'teacher_fingerprint', 'topk_kd_loss_bound',
    'topk_tail_mass', 'view_key'
]
