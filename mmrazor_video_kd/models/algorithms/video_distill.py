"""The distillation core: one training loop, one teacher step to override."""
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel
from mmrazor.models.algorithms import BaseAlgorithm, SingleTeacherDistill
from mmrazor.models.utils import add_prefix
from mmrazor.registry import MODELS

from ...utils import (TeacherCheckpointError, check_logits_classes,
                      load_teacher_checkpoint)


class StudentCheckpointError(TeacherCheckpointError):
    """The student checkpoint cannot be read or does not fit the student."""


def load_student_checkpoint(student: torch.nn.Module, filename: str) -> None:
    """Load a plain checkpoint of the student strictly into it.

    Raises:
        StudentCheckpointError: If the file cannot be read, or its keys do
            not fit the student (``model.student_ckpt`` is named).
    """
    try:
        load_teacher_checkpoint(student, filename,
                                config_key='model.student_ckpt')
    except TeacherCheckpointError as error:
        message = str(error).replace(
            'the teacher built', 'the student built').replace(
                'initialised teacher', 'initialised student')
        raise StudentCheckpointError(message) from error
    student._is_init = True  # init_weights must not overwrite it


@MODELS.register_module()
class VideoDistill(SingleTeacherDistill):
    """Distillation core of every algorithm of this package.

    :meth:`loss` is the whole training computation, reached through
    ``forward(mode='loss')`` by ``BaseModel.train_step`` and by
    ``MMDistributedDataParallel.train_step`` alike:

    1. :meth:`forward_teachers` fills the distiller's teacher recorders (and
       deliveries), under ``torch.no_grad()`` for a frozen teacher;
    2. the student runs on :meth:`student_inputs` under its recorders and the
       deliveries, with its own loss (``calculate_student_loss=True``) or,
       label-free, in ``predict`` mode;
    3. the distillation losses are added unless ``distillation_stopped``
       (set by MMRazor's ``StopDistillHook``).

    Subclasses override only :meth:`forward_teachers` (and, for inputs with
    several views, :meth:`student_inputs` and the data preprocessor), e.g.
    ``MultiTeacherDistill`` and ``CachedTeacherDistill``. Compared with
    MMRazor's ``SingleTeacherDistill``, a frozen teacher is always in eval
    mode (no dropout), the teacher checkpoint loads strictly with errors
    naming ``model.teacher_ckpt``, logits of heads with different class
    counts are refused, and a plain student checkpoint can be loaded.

    Args:
        distiller (dict): A ``ConfigurableDistiller`` config.
        teacher (dict | BaseModel): The teacher or its config.
        teacher_ckpt (str, optional): Teacher checkpoint, loaded strictly.
        student_ckpt (str, optional): A plain checkpoint of the student
            (e.g. an MMAction2 recognizer pretrained on ImageNet or
            Kinetics), loaded strictly into ``architecture``. ``--resume``
            loads the whole algorithm afterwards and overrides it.
        teacher_trainable (bool): Train the teacher too. Defaults to False.
        teacher_norm_eval (bool): BatchNorm of a trainable teacher in eval
            mode. Defaults to True.
        student_trainable (bool): Defaults to True.
        calculate_student_loss (bool): Add the student's own loss; False
            trains on the distillation losses only, without labels.
            Defaults to True.
        teacher_module_inplace (bool): Keep in-place activations of the
            teacher (recorded outputs may then be overwritten). Defaults to
            False.
        **kwargs: ``architecture``, ``data_preprocessor``, ``init_cfg`` and
            ``module_inplace`` of ``BaseAlgorithm``.
    """

    def __init__(self,
                 distiller: dict,
                 teacher: Union[BaseModel, Dict],
                 teacher_ckpt: Optional[str] = None,
                 student_ckpt: Optional[str] = None,
                 teacher_trainable: bool = False,
                 teacher_norm_eval: bool = True,
                 student_trainable: bool = True,
                 calculate_student_loss: bool = True,
                 teacher_module_inplace: bool = False,
                 **kwargs) -> None:
        # SingleTeacherDistill.__init__ would load teacher_ckpt non-strictly
        # and accepts one teacher only: its attributes are set here.
        BaseAlgorithm.__init__(self, **kwargs)
        if student_ckpt:
            load_student_checkpoint(self.architecture, student_ckpt)
        self.distiller = MODELS.build(distiller)
        self.teacher_trainable = teacher_trainable
        self.teacher_norm_eval = teacher_norm_eval
        self.student_trainable = student_trainable
        self.calculate_student_loss = calculate_student_loss
        self.teacher_module_inplace = teacher_module_inplace
        self.build_teacher(teacher, teacher_ckpt)
        if not teacher_module_inplace:
            self.set_module_inplace_false(self.teacher, 'self.teacher')
        if not teacher_trainable:
            self.teacher.requires_grad_(False)
        self.distiller.prepare_from_student(self.student)
        self.distiller.prepare_from_teacher(self.teacher)
        # set by MMRazor's StopDistillHook
        self.distillation_stopped = False
        check_logits_classes(self)

    def set_module_inplace_false(self, module: torch.nn.Module,
                                 varstr: str = '') -> None:
        """Switch off ``inplace`` in every submodule of ``module`` that has
        the attribute, so in-place activations cannot overwrite recorded
        outputs.

        MMRazor's version walks ``_modules`` only if it is an
        ``OrderedDict``, which it no longer is in current PyTorch, and
        stops at the first module with the attribute (a ``ConvModule``,
        whose activation keeps ``inplace=True``).
        """
        for submodule in module.modules():
            if hasattr(submodule, 'inplace'):
                submodule.inplace = False

    def build_teacher(self, teacher: Union[BaseModel, Dict],
                      teacher_ckpt: Optional[str]) -> None:
        """Build ``self.teacher`` and load its checkpoint strictly."""
        if isinstance(teacher, dict):
            teacher = MODELS.build(teacher)
        if not isinstance(teacher, BaseModel):
            raise TypeError('model.teacher should be a dict or a BaseModel, '
                            f'got {type(teacher).__name__}')
        self.teacher = teacher
        if teacher_ckpt:
            load_teacher_checkpoint(teacher, teacher_ckpt)
            teacher._is_init = True  # init_weights must not overwrite it

    def forward_teachers(self, batch_inputs, data_samples: List) -> dict:
        """Run the teacher(s) so that the teacher recorders hold this
        batch's outputs.

        Called by :meth:`loss` inside the teacher recorders and the
        deliveries (recording), under ``torch.no_grad()`` unless
        ``teacher_trainable``.

        Returns:
            dict: Losses of a trainable teacher (added with the prefix
            ``teacher.``); empty for a frozen one.
        """
        if self.teacher_trainable:
            return self.teacher(batch_inputs, data_samples, mode='loss')
        # label-free training has no labels for the teacher's loss
        mode = 'loss' if self.calculate_student_loss else 'predict'
        self.teacher(batch_inputs, data_samples, mode=mode)
        return {}

    def set_teacher_records(self, per_clip: List[dict], device) -> None:
        """Fill the teacher recorders with outputs recorded elsewhere (a
        cache or a store), as if the teacher had run on the batch.

        Args:
            per_clip (list[dict]): For each clip of the batch, its recorded
                tensors by teacher recorder name.
            device: Where the batch is.
        """
        for name, recorder in self.distiller.teacher_recorders.recorders.items(
        ):
            recorder.reset_data_buffer()
            recorder.data_buffer.append(
                torch.cat([clip[name] for clip in per_clip]).to(device))

    def student_inputs(self, batch_inputs):
        """The student's part of preprocessed ``batch_inputs``."""
        return batch_inputs

    def loss(self, batch_inputs, data_samples: Optional[List] = None) -> dict:
        """Teacher step, student step and distillation losses of a batch."""
        losses = dict()
        # deliveries record in the teacher step, replay in the student step
        self.distiller.set_deliveries_override(False)
        with self.distiller.teacher_recorders, self.distiller.deliveries:
            if self.teacher_trainable:
                losses.update(add_prefix(
                    self.forward_teachers(batch_inputs, data_samples),
                    'teacher'))
            else:
                with torch.no_grad():
                    self.forward_teachers(batch_inputs, data_samples)
        self.distiller.set_deliveries_override(True)
        inputs = self.student_inputs(batch_inputs)
        with self.distiller.student_recorders, self.distiller.deliveries:
            if self.calculate_student_loss:
                losses.update(add_prefix(
                    self.student(inputs, data_samples, mode='loss'),
                    'student'))
            else:
                with torch.set_grad_enabled(self.student_trainable and
                                            torch.is_grad_enabled()):
                    self.student(inputs, data_samples, mode='predict')
        if not self.distillation_stopped:
            losses.update(add_prefix(self.distiller.compute_distill_losses(),
                                     'distill'))
        return losses

    def forward(self, inputs, data_samples=None, mode: str = 'tensor'):
        """``loss``: :meth:`loss`; ``predict`` and ``tensor``: the student
        on its inputs."""
        if mode != 'loss':
            inputs = self.student_inputs(inputs)
        return super().forward(inputs, data_samples, mode)

    def train(self, mode: bool = True) -> 'VideoDistill':
        """Set the mode; a frozen teacher always stays in eval mode."""
        super().train(mode)
        if not self.teacher_trainable:
            self.teacher.eval()
        return self
