"""Distillation from several frozen teachers, each with its own input."""
from typing import Dict, List, Optional

import torch.nn as nn
from mmrazor.registry import MODELS

from ...utils import load_teacher_checkpoint
from .multi_view_data_preprocessor import MultiViewDataPreprocessor
from .multi_view_data_preprocessor import select_view as _select_view
from .video_distill import VideoDistill

TEACHER_KEYS = ('model', 'ckpt', 'view', 'forward_kwargs')


@MODELS.register_module()
class MultiTeacherDistill(VideoDistill):
    """Distil any number of named, frozen teachers into one student.

    Teachers live in ``self.teachers`` (an ``nn.ModuleDict``, also
    ``self.teacher``), so teacher recorder sources start with the teacher's
    name, e.g. ``dict(type='ModuleOutputs', source='assistant.cls_head')``,
    and the loss mappings name the teacher through their recorders.
    Per-teacher loss weights are the ``loss_weight`` of each teacher's
    losses.

    A sample's input may hold several views of one clip, ``{view: tensor}``
    (e.g. 16 frames for a teacher and 8 for the student, or flow for a flow
    teacher); each teacher and the student take the view named in their
    spec, through their own data preprocessor (see
    :class:`MultiViewDataPreprocessor`, the algorithm's data preprocessor).
    Plain tensors go to every model. Training is :meth:`VideoDistill.loss`;
    only the teacher step differs.

    Args:
        architecture (dict | BaseModel): The student.
        teachers (dict[str, dict]): Per teacher: ``model`` (a model config,
            e.g. ``dict(type='model_from_config', config=...)``), ``ckpt``
            (a checkpoint, loaded strictly; None for none), ``view`` (input
            view; None: the whole input) and ``forward_kwargs`` (default
            ``dict(mode='predict')``, which runs an MMAction2 recognizer
            through its head without labels; recorders see the raw
            outputs).
        distiller (dict): A ``ConfigurableDistiller`` config.
        student_view (str, optional): The student's input view.
        **kwargs: Other arguments of :class:`VideoDistill` (teachers are
            frozen: ``teacher_trainable`` must stay False).
    """

    def __init__(self,
                 architecture,
                 teachers: Dict[str, dict],
                 distiller: dict,
                 student_view: Optional[str] = None,
                 **kwargs) -> None:
        if kwargs.get('teacher_trainable'):
            raise ValueError('MultiTeacherDistill needs frozen teachers '
                             '(teacher_trainable=False)')
        super().__init__(architecture=architecture, teacher=teachers,
                         distiller=distiller, **kwargs)
        self.student_view = student_view
        self.data_preprocessor = MultiViewDataPreprocessor(
            student=(student_view, self.data_preprocessor),
            teachers={name: (self.teacher_views[name],
                             teacher.data_preprocessor)
                      for name, teacher in self.teachers.items()})

    @property
    def teacher(self) -> nn.ModuleDict:
        """All teachers, by name (``self.teachers``)."""
        return self.teachers

    def build_teacher(self, teachers: Dict[str, dict],
                      teacher_ckpt: Optional[str]) -> None:
        """Build ``self.teachers`` from their specs; checkpoints load
        strictly, errors name ``model.teachers.NAME.ckpt``."""
        if teacher_ckpt:
            raise KeyError('MultiTeacherDistill takes a checkpoint per '
                           'teacher: model.teachers.NAME.ckpt, not '
                           'model.teacher_ckpt')
        if not teachers:
            raise ValueError('MultiTeacherDistill needs at least one teacher')
        self.teachers = nn.ModuleDict()
        self.teacher_views: Dict[str, Optional[str]] = {}
        self.teacher_forward_kwargs: Dict[str, dict] = {}
        for name, spec in teachers.items():
            unknown = set(spec) - set(TEACHER_KEYS)
            if unknown or 'model' not in spec:
                raise KeyError(
                    f'model.teachers.{name} needs `model` and may have '
                    f'{TEACHER_KEYS}; unknown: {sorted(unknown)}')
            model = spec['model']
            teacher = MODELS.build(model) if isinstance(model, dict) else model
            if spec.get('ckpt'):
                load_teacher_checkpoint(
                    teacher, spec['ckpt'],
                    config_key=f'model.teachers.{name}.ckpt')
                teacher._is_init = True
            self.teachers[name] = teacher
            self.teacher_views[name] = spec.get('view')
            self.teacher_forward_kwargs[name] = dict(
                spec.get('forward_kwargs') or dict(mode='predict'))

    select_view = staticmethod(_select_view)

    def forward_teachers(self, batch_inputs: dict,
                         data_samples: List) -> dict:
        """Every teacher on its view, with its forward arguments."""
        for name, teacher in self.teachers.items():
            teacher(batch_inputs['teachers'][name], data_samples,
                    **self.teacher_forward_kwargs[name])
        return {}

    def student_inputs(self, batch_inputs: dict):
        """The student's view."""
        return batch_inputs['student']

    def teacher_predict(self, name: str, data: dict) -> List:
        """Predictions of teacher ``name`` on its view of raw data."""
        if name not in self.teachers:
            raise KeyError(f'no teacher {name!r}; teachers: '
                           f'{sorted(self.teachers)}')
        teacher = self.teachers[name]
        batch = teacher.data_preprocessor(
            self.select_view(data, self.teacher_views[name],
                             f'teacher {name!r}'), False)
        return teacher(batch['inputs'], batch['data_samples'],
                       mode='predict')
