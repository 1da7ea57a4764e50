"""Offline distillation from a packed store, without building the teacher."""
from typing import Dict, Iterable, List, Optional, Union

import torch
from mmengine.logging import print_log
from mmrazor.models.task_modules.recorder import ModuleOutputsRecorder
from mmrazor.registry import MODELS

from ...datasets.teacher_store import (AUTO, StoredTeacherError,
                                       check_teacher_record,
                                       resolve_fingerprint)
from ...utils.teacher_keys import view_key
from .video_distill import VideoDistill


class TeacherStandIn(torch.nn.Module):
    """Empty modules at the teacher recorders' dotted sources, in place of
    the teacher: the recorders hook them, and :meth:`StoredTeacherDistill.
    forward_teachers` fills their records. It has no weights and cannot
    run."""

    def __init__(self, sources: Iterable[str]) -> None:
        super().__init__()
        for source in sources:
            module = self
            for part in source.split('.'):
                if not hasattr(module, part):
                    module.add_module(part, torch.nn.Module())
                module = getattr(module, part)

    def forward(self, *args, **kwargs):
        """Refuse: the teacher of ``StoredTeacherDistill`` is not built."""
        raise StoredTeacherError(
            'StoredTeacherDistill has no teacher to run (its outputs come '
            "from the store): validate with val_cfg=dict(type='ValLoop') or "
            "evaluate_teacher='never'")


@MODELS.register_module()
class StoredTeacherDistill(VideoDistill):
    """:class:`VideoDistill` whose teacher outputs all come from a packed
    store; the teacher is neither built nor is its checkpoint read.

    Only :meth:`build_teacher` (a :class:`TeacherStandIn` instead of the
    teacher) and :meth:`forward_teachers` differ from the core. The
    pipeline's :class:`~mmrazor_video_kd.datasets.transforms.
    LoadTeacherOutputs` attaches each sample's stored outputs in the
    data-loader workers; :meth:`forward_teachers` only moves them into the
    distiller's teacher recorders (``ModuleOutputs`` recorders), as if the
    teacher had run.

    Which teacher: ``teacher_fingerprint`` selects the shards under
    ``store_root`` (``'auto'``: the root's one teacher); shards of any other
    fingerprint are never read. Since the weights are not read, a change of
    the configured ``teacher`` or ``teacher_ckpt`` is detected through the
    store's ``teacher.json`` (written by
    ``tools/precompute_teacher_outputs.py``): its fingerprint, teacher
    config (files named in it compared by content) and checkpoint path, size
    and modification time must equal this config's, else
    :class:`StoredTeacherError`. With an explicit fingerprint and no
    ``teacher.json`` a warning is logged instead. A checkpoint rewritten in
    place with the same size and modification time is not detected.

    Args:
        distiller (dict): A ``ConfigurableDistiller`` config.
        store_root (str): Root of the store (``--out`` of the precompute
            tool, which defaults to this key).
        teacher (dict, optional): The teacher's config (not built).
        teacher_ckpt (str, optional): The teacher's checkpoint (not read).
        teacher_fingerprint (str): The stored teacher's fingerprint, or
            ``'auto'``. Defaults to ``'auto'``.
        teacher_trainable (bool): Must be False.
        **kwargs: The other arguments of :class:`VideoDistill`.
    """

    def __init__(self,
                 distiller: dict,
                 store_root: str,
                 teacher: Optional[Dict] = None,
                 teacher_ckpt: Optional[str] = None,
                 teacher_fingerprint: str = AUTO,
                 teacher_trainable: bool = False,
                 **kwargs) -> None:
        if teacher_trainable:
            raise ValueError('StoredTeacherDistill needs a frozen teacher '
                             '(model.teacher_trainable=False)')
        super().__init__(distiller, teacher, teacher_ckpt, **kwargs)
        self.store_root = store_root
        self.teacher_fingerprint = resolve_fingerprint(store_root,
                                                       teacher_fingerprint)
        # teacher_record turns a ConfigDict into plain JSON itself
        missing = check_teacher_record(
            store_root, self.teacher_fingerprint, teacher, teacher_ckpt,
            required=teacher_fingerprint == AUTO)
        if missing:
            print_log(
                f'{missing} is missing: the stored outputs are trusted to be '
                f'those of teacher {self.teacher_fingerprint[:16]} '
                '(model.teacher_fingerprint); a changed teacher config or '
                'checkpoint is not detected', logger='current', level=30)

    def build_teacher(self, teacher: Union[Dict, None],
                      teacher_ckpt: Optional[str]) -> None:
        """A :class:`TeacherStandIn` at the teacher recorders' sources; the
        teacher config is not built and its checkpoint not read."""
        recorders = self.distiller.teacher_recorders.recorders
        for name, recorder in recorders.items():
            if type(recorder) is not ModuleOutputsRecorder:
                raise TypeError(f'teacher recorder {name!r} is a '
                                f'{type(recorder).__name__}; the store '
                                'supports ModuleOutputs recorders')
        if self.distiller.deliveries.deliveries:
            raise ValueError('StoredTeacherDistill: deliveries need the '
                             'teacher to run; remove distiller.'
                             'teacher_deliveries / deliveries')
        self.teacher = TeacherStandIn(r.source for r in recorders.values())

    def forward_teachers(self, batch_inputs: torch.Tensor,
                         data_samples: List) -> dict:
        """Fill the teacher recorders from each sample's attached
        ``teacher_outputs``."""
        per_clip = []
        for sample in data_samples:
            attached = sample.get('teacher_outputs')
            if attached is None:
                raise StoredTeacherError(
                    f'data sample of {sample.metainfo.get("filename")!r} '
                    'carries no teacher_outputs: add LoadTeacherOutputs '
                    "before PackActionInputs(algorithm_keys="
                    "('teacher_outputs',)) in the training pipeline")
            key = view_key(sample.metainfo)
            if attached['view_key'] != key:
                raise StoredTeacherError(
                    f'{sample.metainfo.get("filename")!r}: teacher outputs '
                    f'of view {attached["view_key"]} attached to view {key}; '
                    'LoadTeacherOutputs(meta_keys=...) must equal '
                    'PackActionInputs(meta_keys=...)')
            per_clip.append(attached['outputs'])
        for name in self.distiller.teacher_recorders.recorders:
            if name not in per_clip[0]:
                raise StoredTeacherError(
                    f'teacher recorder {name!r} is not in the store '
                    f'(stored: {sorted(per_clip[0])})')
        self.set_teacher_records(per_clip, batch_inputs.device)
        return {}
