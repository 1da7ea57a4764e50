"""Offline distillation: teacher outputs read from a disk cache."""
from typing import List

import torch
from mmrazor.models.task_modules.recorder import ModuleOutputsRecorder
from mmrazor.registry import MODELS

from .teacher_output_cache import (TeacherOutputCache, teacher_fingerprint,
                                   view_key)
from .video_distill import VideoDistill


@MODELS.register_module()
class CachedTeacherDistill(VideoDistill):
    """:class:`VideoDistill` whose teacher outputs come from a disk cache.

    The teacher runs only on the clips of a batch whose view is not cached
    yet, and each clip's recorded teacher tensors are stored; the recorded
    tensors of the whole batch, cached and fresh, are then handed to the
    distiller's teacher recorders, as if the teacher had run. Keys combine the
    clip's file, its exact view (frame indices, crop box, flip, size; see
    :func:`view_key`) and a fingerprint of the teacher's config and weights,
    so an output is never reused for another view or another teacher.

    With random augmentation every epoch shows new views and the cache only
    grows; wrap the random transforms in
    :class:`~mmrazor_video_kd.datasets.transforms.FixedViews` (K fixed
    views per clip, drawn at random each time) so that from about the
    K-th epoch on every view is cached. Teacher recorders must be
    ``ModuleOutputs`` recorders of tensors whose first dimension is the
    batch (``N``) or ``N * T``.

    Args:
        cache_dir (str): Cache directory (shared by runs; per-teacher
            subdirectories).
        **kwargs: Arguments of :class:`VideoDistill`.
    """

    def __init__(self, cache_dir: str, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.teacher_trainable:
            raise ValueError('CachedTeacherDistill needs a frozen teacher '
                             '(teacher_trainable=False)')
        recorders = self.distiller.teacher_recorders.recorders
        for name, recorder in recorders.items():
            if type(recorder) is not ModuleOutputsRecorder:
                raise TypeError(f'teacher recorder {name!r} is a '
                                f'{type(recorder).__name__}; the cache '
                                'supports ModuleOutputs recorders')
        teacher_cfg = kwargs.get('teacher')
        self.cache = TeacherOutputCache(
            cache_dir,
            teacher_fingerprint(
                self.teacher,
                dict(teacher_cfg) if isinstance(teacher_cfg, dict) else {}))

    def forward_teachers(self, batch_inputs: torch.Tensor,
                         data_samples: List) -> dict:
        """Fill the teacher recorders, from the cache where possible; the
        teacher runs only on the clips whose view is not cached."""
        recorders = self.distiller.teacher_recorders.recorders
        keys = [view_key(sample.metainfo) for sample in data_samples]
        per_clip = [self.cache.get(key) for key in keys]
        missing = [i for i, c in enumerate(per_clip) if c is None]
        if missing:
            super().forward_teachers(batch_inputs[missing],
                                     [data_samples[i] for i in missing])
            fresh = {}
            for name, recorder in recorders.items():
                data = recorder.get_record_data()
                if not torch.is_tensor(data):
                    raise TypeError(
                        f'teacher recorder {name!r} recorded a '
                        f'{type(data).__name__}; the cache stores '
                        'tensors only')
                fresh[name] = data.chunk(len(missing))
            for j, i in enumerate(missing):
                per_clip[i] = {name: chunks[j]
                               for name, chunks in fresh.items()}
                self.cache.put(keys[i], per_clip[i])
        self.set_teacher_records(per_clip, batch_inputs.device)
        return {}
