"""The asymmetric teacher/assistant term of tri-model distillation."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.registry import MODELS


@MODELS.register_module()
class TeacherAnchoredHingeLoss(nn.Module):
    """Keep the student at least as close to the teacher as the assistant.

    With ``p_T, p_A, p_S`` the temperature-``T`` softmax of the teacher,
    assistant and student logits, per clip::

        d_S = KL(p_T || p_S),   d_A = KL(p_T || p_A)
        loss = T^2 * mean(max(0, d_S - d_A + margin))

    The teacher is the anchor and the assistant only sets the bar: the term
    is zero for clips where the student already agrees with the teacher at
    least as well as the assistant does, and pushes the student towards the
    *teacher* (never towards the assistant) where it lags behind. It is
    asymmetric in two ways: teacher and assistant play different roles
    (swapping them changes the loss), and only a student worse than the
    bar is penalised. Why: in tri-model distillation the student also fits
    the assistant (weight 0.8), whose knowledge (e.g. from another dataset)
    can pull it away from the teacher; this term bounds that drift. It is
    strongest where teacher and assistant agree (``d_A`` small: two
    independent models confirm the target) and fades where the assistant
    disagrees with the teacher (``d_A`` large: an uncertain target).

    Args:
        temperature (float): Softmax temperature ``T``. Defaults to 4.0.
        margin (float): How much closer than the assistant the student must
            get (0: as close). Defaults to 0.0.
        teacher_detach (bool): Detach teacher and assistant logits.
            Defaults to True.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 temperature: float = 4.0,
                 margin: float = 0.0,
                 teacher_detach: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.temperature = temperature
        self.margin = margin
        self.teacher_detach = teacher_detach
        self.loss_weight = loss_weight

    def forward(self, logits_S: torch.Tensor, logits_T: torch.Tensor,
                logits_A: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            logits_S (Tensor): ``(N, K)`` student logits.
            logits_T (Tensor): ``(N, K)`` teacher logits.
            logits_A (Tensor): ``(N, K)`` assistant logits.
        """
        if not logits_S.shape == logits_T.shape == logits_A.shape:
            raise ValueError(
                f'student {tuple(logits_S.shape)}, teacher '
                f'{tuple(logits_T.shape)} and assistant '
                f'{tuple(logits_A.shape)} logits differ: the three models '
                'must predict the same classes')
        if self.teacher_detach:
            logits_T, logits_A = logits_T.detach(), logits_A.detach()
        t = self.temperature
        log_p_T = F.log_softmax(logits_T / t, dim=-1)

        def kl_from_teacher(logits):
            log_p = F.log_softmax(logits / t, dim=-1)
            return (log_p_T.exp() * (log_p_T - log_p)).sum(-1)

        gap = kl_from_teacher(logits_S) - kl_from_teacher(logits_A)
        loss = F.relu(gap + self.margin).mean() * t * t
        return self.loss_weight * loss
