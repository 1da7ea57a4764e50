"""Fix: a frozen teacher runs in train mode during distillation.

MMRazor's ``SingleTeacherDistill.train()`` puts the whole model, teacher
included, in train mode and only returns the teacher's BatchNorm layers to
eval mode (``teacher_norm_eval``). Dropout and drop-path of a frozen teacher
stay active, so its logits and features are randomly perturbed at every step
(and differ between processes). With this fix a teacher that is not
trainable (``teacher_trainable=False``, the default) is always in eval mode.
"""
import functools

MODULE = 'mmrazor.models.algorithms.distill.configurable.single_teacher_distill'


def patch_train(module) -> None:
    """Keep a frozen teacher in eval mode."""
    cls = module.SingleTeacherDistill
    train = cls.train
    if getattr(train, '_mmrazor_video_kd', False):
        return

    @functools.wraps(train)
    def train_with_frozen_teacher(self, mode: bool = True):
        train(self, mode)
        if not self.teacher_trainable:
            self.teacher.eval()
        return self  # nn.Module.train returns self; MMRazor's returned None

    train_with_frozen_teacher._mmrazor_video_kd = True
    cls.train = train_with_frozen_teacher


def install(hooks) -> None:
    """Patch ``SingleTeacherDistill`` once it is imported."""
    hooks.when_imported(MODULE, patch_train)
