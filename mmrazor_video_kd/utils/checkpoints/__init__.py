"""Reading teacher checkpoints (MMEngine, Lightning, DeepSpeed), resizing
their position embeddings, loading them strictly, and writing checkpoints
atomically."""
from .atomic_save import atomic_torch_save, atomic_write_bytes
from .errors import CONFIG_KEY, CheckpointFormatError, TeacherCheckpointError
from .pos_embed import interpolate_pos_embed, resize_pos_embed
from .reader import read_state_dict
from .state_dict import strip_prefix
from .teacher_checkpoint import load_teacher_checkpoint, read_remote

__all__ = [
    'CONFIG_KEY', 'CheckpointFormatError', 'TeacherCheckpointError',
    'atomic_torch_save', 'atomic_write_bytes', 'interpolate_pos_embed',
    'load_teacher_checkpoint', 'read_remote', 'read_state_dict',
    'resize_pos_embed', 'strip_prefix'
]
