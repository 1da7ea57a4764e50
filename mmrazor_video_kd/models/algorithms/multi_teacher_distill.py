"""Distillation from several frozen teachers, each with its own input."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
from mmrazor.models.algorithms.base import BaseAlgorithm
from mmrazor.models.utils import add_prefix
from mmrazor.registry import MODELS

from ...utils.checkpoints import load_teacher_checkpoint

TEACHER_KEYS = ('model', 'ckpt', 'view', 'forward_kwargs')


@MODELS.register_module()
class MultiTeacherDistill(BaseAlgorithm):
    """Distil any number of named, frozen teachers into one student.

    Teachers live in ``self.teachers`` (an ``nn.ModuleDict``), so teacher
    recorder sources start with the teacher's name, e.g.
    ``dict(type='ModuleOutputs', source='assistant.cls_head')``, and the
    loss mappings name the teacher through their recorders. Per-teacher
    loss weights are the ``loss_weight`` of each teacher's losses.

    A sample's input may hold several views of one clip, ``{view: tensor}``
    (e.g. 16 frames for a teacher and 8 for the student, or flow for a flow
    teacher); each teacher and the student take the view named in their
    spec, through their own data preprocessor. Plain tensors go to every
    model. With ``calculate_student_loss=False`` training uses only the
    distillation losses and needs no labels.

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
        calculate_student_loss (bool): Add the student's own loss.
            Defaults to True.
        **kwargs: ``data_preprocessor`` and ``init_cfg`` of
            ``BaseAlgorithm``.
    """

    def __init__(self,
                 architecture,
                 teachers: Dict[str, dict],
                 distiller: dict,
                 student_view: Optional[str] = None,
                 calculate_student_loss: bool = True,
                 **kwargs) -> None:
        super().__init__(architecture, **kwargs)
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
                load_teacher_checkpoint(teacher, spec['ckpt'],
                                        config_key=f'model.teachers.{name}.ckpt')
            teacher.requires_grad_(False)
            self.teachers[name] = teacher
            self.teacher_views[name] = spec.get('view')
            self.teacher_forward_kwargs[name] = dict(
                spec.get('forward_kwargs') or dict(mode='predict'))
        self.student_view = student_view
        self.calculate_student_loss = calculate_student_loss
        self.distiller = MODELS.build(distiller)
        self.distiller.prepare_from_student(self.student)
        self.distiller.prepare_from_teacher(self.teachers)

    @property
    def student(self) -> nn.Module:
        """The student (``architecture``)."""
        return self.architecture

    def train(self, mode: bool = True):
        """Set the student's mode; teachers always stay in eval mode."""
        super().train(mode)
        self.teachers.eval()
        return self

    @staticmethod
    def select_view(data: dict, view: Optional[str], owner: str) -> dict:
        """The batch with each sample's input reduced to ``view``.

        Inputs may be collated as ``{view: [tensor, ...]}`` (MMEngine's
        ``pseudo_collate``) or be a list of ``{view: tensor}`` dicts.
        """
        inputs = data['inputs']
        if isinstance(inputs, dict):
            views = inputs
        elif inputs and isinstance(inputs[0], dict):
            views = {key: [sample[key] for sample in inputs]
                     for key in inputs[0]}
        else:
            return data
        if view is None or view not in views:
            raise KeyError(f'{owner} takes view {view!r}; the samples have '
                           f'views {sorted(views)}')
        return dict(data, inputs=views[view])

    def teacher_batch(self, name: str, data: dict) -> dict:
        """Raw ``data`` reduced to teacher ``name``'s view, preprocessed."""
        return self.teachers[name].data_preprocessor(
            self.select_view(data, self.teacher_views[name],
                             f'teacher {name!r}'), False)

    def forward_teachers(self, data: dict) -> None:
        """Every teacher on its view of raw ``data``, with its forward
        arguments; outputs reach the distiller through its recorders (the
        caller opens them and disables autograd)."""
        for name, teacher in self.teachers.items():
            batch = self.teacher_batch(name, data)
            teacher(batch['inputs'], batch['data_samples'],
                    **self.teacher_forward_kwargs[name])

    def distill_losses(self, data: dict) -> dict:
        """All losses of one batch of raw (not preprocessed) data."""
        losses = dict()
        self.distiller.set_deliveries_override(False)
        with self.distiller.teacher_recorders, self.distiller.deliveries, \
                torch.no_grad():
            self.forward_teachers(data)
        self.distiller.set_deliveries_override(True)
        batch = self.data_preprocessor(
            self.select_view(data, self.student_view, 'the student'), True)
        with self.distiller.student_recorders, self.distiller.deliveries:
            if self.calculate_student_loss:
                losses.update(add_prefix(
                    self.student(batch['inputs'], batch['data_samples'],
                                 mode='loss'), 'student'))
            else:
                self.student(batch['inputs'], batch['data_samples'],
                             mode='predict')
        losses.update(add_prefix(self.distiller.compute_distill_losses(),
                                 'distill'))
        return losses

    def train_step(self, data: dict, optim_wrapper) -> Dict[str, torch.Tensor]:
        """One optimisation step on raw data with per-model views."""
        with optim_wrapper.optim_context(self):
            losses = self.distill_losses(data)
        parsed_losses, log_vars = self.parse_losses(losses)
        optim_wrapper.update_params(parsed_losses)
        return log_vars

    def val_step(self, data: dict) -> List:
        """Predictions of the student on its view."""
        return self.test_step(data)

    def test_step(self, data: dict) -> List:
        """Predictions of the student on its view."""
        data = self.data_preprocessor(
            self.select_view(data, self.student_view, 'the student'), False)
        return self.student(data['inputs'], data['data_samples'],
                            mode='predict')

    def teacher_predict(self, name: str, data: dict) -> List:
        """Predictions of teacher ``name`` on its view of raw data."""
        if name not in self.teachers:
            raise KeyError(f'no teacher {name!r}; teachers: '
                           f'{sorted(self.teachers)}')
        batch = self.teacher_batch(name, data)
        return self.teachers[name](batch['inputs'], batch['data_samples'],
                                   mode='predict')

    def forward(self, inputs, data_samples=None, mode: str = 'tensor'):
        """The student's forward (inputs already preprocessed)."""
        return self.student(inputs, data_samples, mode=mode)
