"""Offline distillation from a packed store, without building the teacher."""
import json
import os
import os.path as osp
from typing import Dict, Iterable, List, Optional, Union

import torch
from mmengine.logging import print_log
from mmrazor.models.algorithms import BaseAlgorithm
from mmrazor.models.task_modules.recorder import ModuleOutputsRecorder
from mmrazor.registry import MODELS

from .teacher_output_cache import view_key
from .video_distill import VideoDistill, load_student_checkpoint

#: File of a store directory that records which teacher filled it.
TEACHER_RECORD = 'teacher.json'


class StoredTeacherError(RuntimeError):
    """The stored teacher outputs do not fit the configured teacher."""


def teacher_record(teacher: Union[dict, None],
                   teacher_ckpt: Optional[str]) -> dict:
    """What identifies a teacher without reading its weights: its config
    and the path, size and modification time of its checkpoint."""
    record = dict(teacher=json.loads(json.dumps(
        teacher, sort_keys=True, default=str)), teacher_ckpt=None)
    if teacher_ckpt:
        stat = os.stat(teacher_ckpt)
        record['teacher_ckpt'] = dict(path=osp.abspath(teacher_ckpt),
                                      size=stat.st_size,
                                      mtime_ns=stat.st_mtime_ns)
    return record


def write_teacher_record(directory: str, fingerprint: str,
                         teacher: Union[dict, None],
                         teacher_ckpt: Optional[str]) -> str:
    """Write ``teacher.json`` (fingerprint and :func:`teacher_record`) into
    a store directory (``store_directory(root, fingerprint)``); the producer
    of the store calls it. Returns the file's path."""
    os.makedirs(directory, exist_ok=True)
    path = osp.join(directory, TEACHER_RECORD)
    tmp = f'{path}.{os.getpid()}.tmp'
    with open(tmp, 'w') as file:
        json.dump(dict(fingerprint=fingerprint,
                       **teacher_record(teacher, teacher_ckpt)), file,
                  indent=1, sort_keys=True)
    os.replace(tmp, path)
    return path


def source_stand_ins(sources: Iterable[str]) -> torch.nn.Module:
    """An empty module with an empty submodule at each dotted source."""
    root = torch.nn.Module()
    for source in sources:
        module = root
        for part in source.split('.'):
            if not hasattr(module, part):
                module.add_module(part, torch.nn.Module())
            module = getattr(module, part)
    return root


@MODELS.register_module()
class StoredTeacherDistill(VideoDistill):
    """:class:`VideoDistill` whose teacher outputs all come from a packed
    store; the teacher is neither built nor is its checkpoint read.

    The pipeline's :class:`~mmrazor_video_kd.datasets.transforms.
    LoadTeacherOutputs` attaches each sample's stored outputs in the
    data-loader workers; :meth:`forward_teachers` only moves them into the
    distiller's teacher recorders (``ModuleOutputs`` recorders, tensors whose
    first dimension is ``N`` or ``N * T``), as if the teacher had run.

    Which teacher: ``teacher_fingerprint`` (``teacher_fingerprint`` of the
    teacher config and weights, printed when the store is filled) selects
    the shards; shards of any other fingerprint are never read. Since the
    weights are not read, a change of the configured ``teacher`` or
    ``teacher_ckpt`` is detected through the store's ``teacher.json``
    (:func:`write_teacher_record`): its fingerprint, teacher config and
    checkpoint path, size and modification time must equal this config's,
    else :class:`StoredTeacherError`. Without ``teacher.json`` a warning is
    logged and the explicit fingerprint is the only guarantee. A checkpoint
    rewritten in place with the same size and modification time is not
    detected.

    There is no teacher module (``teacher`` is None): validate the student
    with ``val_cfg=dict(type='ValLoop')`` (or ``evaluate_teacher='never'``);
    the teacher-validating loops cannot run.

    Args:
        distiller (dict): A ``ConfigurableDistiller`` config.
        teacher_fingerprint (str): Fingerprint of the stored teacher.
        store_root (str, optional): Root of the store, to check its
            ``teacher.json``. Defaults to None (no check, a warning).
        teacher (dict, optional): The teacher's config (not built).
        teacher_ckpt (str, optional): The teacher's checkpoint (not read;
            only its size and modification time are compared).
        student_ckpt (str, optional): See :class:`VideoDistill`.
        student_trainable (bool): Defaults to True.
        calculate_student_loss (bool): Defaults to True.
        teacher_trainable (bool): Must be False.
        **kwargs: ``architecture``, ``data_preprocessor``, ``init_cfg`` and
            ``module_inplace`` of ``BaseAlgorithm``; ``teacher_norm_eval``
            and ``teacher_module_inplace`` are accepted and ignored.
    """

    def __init__(self,
                 distiller: dict,
                 teacher_fingerprint: str,
                 store_root: Optional[str] = None,
                 teacher: Optional[Dict] = None,
                 teacher_ckpt: Optional[str] = None,
                 student_ckpt: Optional[str] = None,
                 student_trainable: bool = True,
                 calculate_student_loss: bool = True,
                 teacher_trainable: bool = False,
                 **kwargs) -> None:
        kwargs.pop('teacher_norm_eval', None)
        kwargs.pop('teacher_module_inplace', None)
        if teacher_trainable:
            raise ValueError('StoredTeacherDistill needs a frozen teacher '
                             '(teacher_trainable=False)')
        if not teacher_fingerprint:
            raise ValueError('StoredTeacherDistill: teacher_fingerprint is '
                             'required')
        BaseAlgorithm.__init__(self, **kwargs)
        if student_ckpt:
            load_student_checkpoint(self.architecture, student_ckpt)
        self.distiller = MODELS.build(distiller)
        self.teacher_trainable = False
        self.teacher_norm_eval = True
        self.student_trainable = student_trainable
        self.calculate_student_loss = calculate_student_loss
        self.teacher_module_inplace = False
        self.teacher_fingerprint = teacher_fingerprint
        self.teacher = None  # neither built nor loaded
        self.distiller.prepare_from_student(self.student)
        for name, recorder in self.distiller.teacher_recorders.recorders.items(
        ):
            if type(recorder) is not ModuleOutputsRecorder:
                raise TypeError(f'teacher recorder {name!r} is a '
                                f'{type(recorder).__name__}; the store '
                                'supports ModuleOutputs recorders')
        if self.distiller.deliveries.deliveries:
            raise ValueError('StoredTeacherDistill: deliveries need the '
                             'teacher to run; remove distiller.'
                             'teacher_deliveries / deliveries')
        # the recorders hook empty stand-ins of their source modules, which
        # never run: their data is filled by forward_teachers
        self.distiller.prepare_from_teacher(source_stand_ins(
            r.source
            for r in self.distiller.teacher_recorders.recorders.values()))
        self.distillation_stopped = False
        if store_root is not None:
            self.check_teacher_record(store_root, teacher, teacher_ckpt)

    def check_teacher_record(self, store_root: str, teacher: Optional[Dict],
                             teacher_ckpt: Optional[str]) -> None:
        """Compare the store's ``teacher.json`` with this config's teacher.

        Raises:
            StoredTeacherError: naming the file and what differs.
        """
        # the store's directory of this teacher (``store_directory``)
        path = osp.join(store_root, self.teacher_fingerprint[:16],
                        TEACHER_RECORD)
        if not osp.isfile(path):
            print_log(
                f'{path} is missing: the stored outputs are trusted to be '
                f'those of teacher {self.teacher_fingerprint[:16]} '
                '(model.teacher_fingerprint); a changed teacher config or '
                'checkpoint is not detected', logger='current', level=30)
            return
        with open(path) as file:
            stored = json.load(file)
        current = dict(fingerprint=self.teacher_fingerprint,
                       **teacher_record(teacher, teacher_ckpt))
        differ = sorted(k for k in current if stored.get(k) != current[k])
        if differ:
            raise StoredTeacherError(
                f'{path} was written for another teacher: {differ} differ '
                f'(stored {[stored.get(k) for k in differ]}, configured '
                f'{[current[k] for k in differ]}); refill the store with '
                'tools/precompute_teacher_outputs.py and set '
                'model.teacher_fingerprint to the printed fingerprint')

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

    def train(self, mode: bool = True) -> 'StoredTeacherDistill':
        """Set the mode (there is no teacher)."""
        BaseAlgorithm.train(self, mode)
        return self
