"""Deliberate change: MMRazor's ``SingleTeacherDistill`` loads
``teacher_ckpt`` strictly and checks the class counts of logits losses.

MMRazor loads ``teacher_ckpt`` with ``strict=False``: a checkpoint of
another architecture only logs a warning and distillation runs from a
partly random teacher. With this patch ``SingleTeacherDistill`` loads it
with :func:`mmrazor_video_kd.utils.checkpoints.load_teacher_checkpoint`
(strict, errors naming ``model.teacher_ckpt``) and runs
:func:`mmrazor_video_kd.utils.logits_classes.check_logits_classes` after
``__init__``. The loading itself lives in ``utils``; this module only wires
it into MMRazor's class.
"""
import functools

MODULE = 'mmrazor.models.algorithms.distill.configurable.single_teacher_distill'


def load_teacher_checkpoint(*args, **kwargs):
    """:func:`mmrazor_video_kd.utils.checkpoints.load_teacher_checkpoint`,
    imported when first called (MMRazor is still importing when the patch
    is applied)."""
    from mmrazor_video_kd.utils.checkpoints import load_teacher_checkpoint
    return load_teacher_checkpoint(*args, **kwargs)


def patch_single_teacher_distill(module) -> None:
    """Strict, clear teacher loading and the class-count check."""
    module.load_checkpoint = load_teacher_checkpoint
    cls = module.SingleTeacherDistill
    init = cls.__init__
    if getattr(init, '_mmrazor_video_kd', False):
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        from mmrazor_video_kd.utils.logits_classes import check_logits_classes
        check_logits_classes(self)

    __init__._mmrazor_video_kd = True
    cls.__init__ = __init__


def install(hooks) -> None:
    """Patch ``SingleTeacherDistill`` once it is imported."""
    hooks.when_imported(MODULE, patch_single_teacher_distill)
