"""The optimizer of a distillation: the student's own recipe, the
distiller's weights, and never a frozen teacher."""
from typing import List, Optional, Set

import torch.nn as nn
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapper
from mmengine.registry import (OPTIM_WRAPPER_CONSTRUCTORS, OPTIM_WRAPPERS,
                               OPTIMIZERS)

#: Top-level keys taken over into ``architecture`` (MMAction2's ``--amp``
#: sets ``optim_wrapper.type`` and ``optim_wrapper.loss_scale``).
AMP_KEYS = ('type', 'loss_scale', 'dtype')
WRAPPER_TYPES = ('OptimWrapper', 'AmpOptimWrapper')


def frozen_teachers(model: nn.Module) -> List[nn.Module]:
    """The teachers of a distillation algorithm that are not trained:
    ``teacher`` unless ``teacher_trainable`` (``SingleTeacherDistill`` and
    subclasses) and ``teachers`` (``MultiTeacherDistill``)."""
    teachers = []
    teacher = getattr(model, 'teacher', None)
    if (isinstance(teacher, nn.Module)
            and not getattr(model, 'teacher_trainable', False)):
        teachers.append(teacher)
    if isinstance(getattr(model, 'teachers', None), nn.Module):
        teachers.append(model.teachers)
    return teachers


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class DistillOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """Build the optimizer of a distillation algorithm, or of a recognizer.

    The student (``model.architecture``; for a model without one, the whole
    model) gets exactly the parameter groups of its own recipe: the
    constructor named in ``architecture.constructor`` (e.g. MMAction2's
    ``TSMOptimWrapperConstructor``, whose ``fc_lr5`` then boosts the
    *student's* classifier) applied to the student alone, with
    ``architecture.paramwise_cfg``. Every other trainable parameter
    (connectors, ...) follows in one last group at the base learning rate
    and weight decay. Frozen teachers (``teacher`` of a
    ``SingleTeacherDistill`` unless ``teacher_trainable``, every member of
    ``teachers`` of a ``MultiTeacherDistill``) and any parameter with
    ``requires_grad=False`` are left out.

    The config follows MMRazor's form, so that MMRazor's ``train.py --amp``
    (``mim train mmrazor``) turns ``architecture.type`` into
    ``AmpOptimWrapper``::

        optim_wrapper = dict(
            constructor='DistillOptimWrapperConstructor',
            architecture=dict(
                type='OptimWrapper',
                optimizer=dict(type='SGD', lr=0.01, momentum=0.9,
                               weight_decay=2e-5),
                clip_grad=dict(max_norm=20, norm_type=2),
                constructor='TSMOptimWrapperConstructor',
                paramwise_cfg=dict(fc_lr5=True)))

    A top-level ``type='AmpOptimWrapper'``, ``loss_scale`` or ``dtype`` (what
    MMAction2's ``train.py --amp`` sets) applies to ``architecture``.

    Args:
        optim_wrapper_cfg (dict): ``architecture``: an MMEngine
            ``optim_wrapper`` config for the student, with optional
            ``constructor`` (default ``'DefaultOptimWrapperConstructor'``)
            and ``paramwise_cfg``; and optionally the top-level
            :data:`AMP_KEYS`.
        paramwise_cfg (dict, optional): Must be None; the student's goes
            into ``architecture.paramwise_cfg``.
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None):
        if paramwise_cfg is not None:
            raise ValueError(
                'optim_wrapper.paramwise_cfg: DistillOptimWrapperConstructor '
                'takes the student\'s paramwise_cfg in '
                'optim_wrapper.architecture.paramwise_cfg')
        top = dict(optim_wrapper_cfg)
        if 'architecture' not in top:
            raise KeyError(
                'optim_wrapper.architecture is missing: '
                'DistillOptimWrapperConstructor needs the student\'s '
                'optim_wrapper (type, optimizer, clip_grad, ...) there')
        wrapper_cfg = dict(top.pop('architecture'))
        unknown = sorted(set(top) - set(AMP_KEYS))
        if unknown:
            raise KeyError(
                f'optim_wrapper.{unknown[0]}: with '
                f'DistillOptimWrapperConstructor set {unknown} in '
                f'optim_wrapper.architecture (top level takes only '
                f'{AMP_KEYS})')
        wrapper_type = top.pop('type', 'OptimWrapper')
        if wrapper_type not in WRAPPER_TYPES:
            raise ValueError(
                f'optim_wrapper.type={wrapper_type!r}: set other wrapper '
                'types in optim_wrapper.architecture.type')
        if wrapper_type == 'AmpOptimWrapper':
            wrapper_cfg['type'] = wrapper_type
        wrapper_cfg.update(top)
        wrapper_cfg.setdefault('type', 'OptimWrapper')
        constructor = wrapper_cfg.pop('constructor',
                                      'DefaultOptimWrapperConstructor')
        student_paramwise_cfg = wrapper_cfg.pop('paramwise_cfg', None)
        super().__init__(wrapper_cfg, student_paramwise_cfg)
        self.student_constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(
            dict(type=constructor, optim_wrapper_cfg=wrapper_cfg,
                 paramwise_cfg=student_paramwise_cfg))
        if not isinstance(self.student_constructor,
                          DefaultOptimWrapperConstructor):
            raise TypeError(
                f'optim_wrapper.architecture.constructor={constructor!r} is '
                'not a DefaultOptimWrapperConstructor (it must provide '
                'add_params)')

    def add_params(self, params: List[dict], module: nn.Module,
                   **kwargs) -> None:
        """Append the student's groups, then one group of the other
        trainable parameters, to ``params``.

        Args:
            params (list[dict]): Parameter groups to extend.
            module (nn.Module): The distillation algorithm or recognizer.
        """
        student = getattr(module, 'architecture', module)
        left_out: Set[int] = {
            id(p) for teacher in frozen_teachers(module)
            for p in teacher.parameters()}
        groups: List[dict] = []
        if self.student_constructor.paramwise_cfg:
            self.student_constructor.add_params(groups, student)
        else:  # as DefaultOptimWrapperConstructor: one group
            groups.append(dict(params=list(student.parameters())))
        for group in groups:
            kept = [p for p in group['params']
                    if p.requires_grad and id(p) not in left_out]
            if kept or not group['params']:  # keep the recipe's empty groups
                params.append(dict(group, params=kept))
        left_out.update(id(p) for p in student.parameters())
        others = [p for p in module.parameters()
                  if p.requires_grad and id(p) not in left_out]
        if others:
            params.append(dict(params=others))

    def __call__(self, model: nn.Module) -> OptimWrapper:
        """Build the optimizer wrapper of ``model``."""
        if hasattr(model, 'module'):  # DDP and other wrappers
            model = model.module
        params: List[dict] = []
        self.add_params(params, model)
        optimizer = OPTIMIZERS.build(dict(self.optimizer_cfg, params=params))
        return OPTIM_WRAPPERS.build(
            self.optim_wrapper_cfg, default_args=dict(optimizer=optimizer))
