"""Temperature-scaled soft-label distillation."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.registry import MODELS


@MODELS.register_module()
class SoftLabelDistillLoss(nn.Module):
    """Soft cross-entropy or KL divergence to the teacher's softened logits
    (Hinton et al., 2015).

    With ``p_T = softmax(logits_T / T)`` and
    ``log_p_S = log_softmax(logits_S / T)``, per clip:

    - ``'kl'``: ``sum p_T * (log p_T - log_p_S)``
    - ``'soft_ce'``: ``-sum p_T * log_p_S`` (KL plus the teacher's entropy,
      which has no gradient for the student)

    averaged over clips and multiplied by ``T^2`` (so gradients keep their
    scale across temperatures) when ``scale_by_temperature``. The hard-label
    term is the student's own classification loss, which
    ``SingleTeacherDistill`` adds; weight it with the student's
    ``cls_head.loss_cls.loss_weight`` (see
    ``configs/distill/soft_label_kd/``, which sets ``hard_label_weight``,
    ``soft_label_weight`` and ``output_feature_loss_weight`` in one place).

    Args:
        temperature (float): Defaults to 4.0.
        soft_loss (str): ``'kl'`` or ``'soft_ce'``. Defaults to ``'kl'``.
        scale_by_temperature (bool): Multiply by ``T^2``. Defaults to True.
        teacher_detach (bool): Defaults to True.
        loss_weight (float): The soft-label weight. Defaults to 1.0.
    """

    def __init__(self,
                 temperature: float = 4.0,
                 soft_loss: str = 'kl',
                 scale_by_temperature: bool = True,
                 teacher_detach: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if soft_loss not in ('kl', 'soft_ce'):
            raise ValueError(f"soft_loss must be 'kl' or 'soft_ce'; got "
                             f'{soft_loss!r}')
        self.temperature = temperature
        self.soft_loss = soft_loss
        self.scale_by_temperature = scale_by_temperature
        self.teacher_detach = teacher_detach
        self.loss_weight = loss_weight

    def forward(self, logits_S: torch.Tensor,
                logits_T: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            logits_S (Tensor): ``(N, K)`` student logits.
            logits_T (Tensor): ``(N, K)`` teacher logits.
        """
        if logits_S.shape != logits_T.shape:
            raise ValueError(
                f'student logits {tuple(logits_S.shape)} and teacher logits '
                f'{tuple(logits_T.shape)} differ: teacher and student must '
                'predict the same classes')
        if self.teacher_detach:
            logits_T = logits_T.detach()
        t = self.temperature
        log_p_S = F.log_softmax(logits_S / t, dim=-1)
        log_p_T = F.log_softmax(logits_T / t, dim=-1)
        per_clip = -(log_p_T.exp() * log_p_S).sum(-1)
        if self.soft_loss == 'kl':
            per_clip = per_clip + (log_p_T.exp() * log_p_T).sum(-1)
        loss = per_clip.mean()
        if self.scale_by_temperature:
            loss = loss * t * t
        return self.loss_weight * loss
