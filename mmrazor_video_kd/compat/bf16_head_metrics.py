"""Fix: bf16 mixed precision fails in every MMAction2 classification head.

``BaseHead.loss_by_feat`` computes the training top-k accuracy with
``cls_scores.detach().cpu().numpy()``; NumPy has no bfloat16, so a step under
``torch.autocast(dtype=torch.bfloat16)`` (``--amp`` with bf16, or bf16 on a
CPU) raises ``TypeError: Got unsupported ScalarType BFloat16``. The fix
casts bf16 scores to float32 before the head's loss (the cross-entropy runs
in float32 under autocast anyway); other dtypes are passed on unchanged.
"""
import functools

MODULE = 'mmaction.models.heads.base'


def patch_loss_by_feat(module) -> None:
    """Cast bf16 class scores to float32 in ``BaseHead.loss_by_feat``."""
    import torch
    cls = module.BaseHead
    loss_by_feat = cls.loss_by_feat
    if getattr(loss_by_feat, '_mmrazor_video_kd', False):
        return

    @functools.wraps(loss_by_feat)
    def loss_by_feat_any_dtype(self, cls_scores, data_samples):
        if cls_scores.dtype == torch.bfloat16:
            cls_scores = cls_scores.float()
        return loss_by_feat(self, cls_scores, data_samples)

    loss_by_feat_any_dtype._mmrazor_video_kd = True
    cls.loss_by_feat = loss_by_feat_any_dtype


def install(hooks) -> None:
    """Patch ``BaseHead`` once it is imported."""
    hooks.when_imported(MODULE, patch_loss_by_feat)
