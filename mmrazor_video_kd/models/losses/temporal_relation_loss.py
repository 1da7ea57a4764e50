"""Temporal relation distillation."""
import torch
import torch.nn.functional as F
from mmrazor.registry import MODELS

from .video_feature_loss import VideoFeatureLoss


@MODELS.register_module()
class TemporalRelationLoss(VideoFeatureLoss):
    """Match each clip's frame-to-frame similarity matrix (T x T).

    Each frame's feature is averaged over space; ``R[i, j]`` is the cosine
    similarity of frames i and j of a clip. The loss is the mean squared
    difference between the student's and the teacher's ``R``. It depends on
    neither side's channel width (no connector needed): a student whose
    features are any orthogonal map of the teacher's has zero loss. If the
    teacher sees more frames than the student (fewer-frames distillation),
    its ``R`` is resized to the student's T by bilinear interpolation.

    Args:
        **kwargs: Layouts, ``teacher_detach`` and ``loss_weight``, see
            :class:`VideoFeatureLoss`.
    """

    @staticmethod
    def relation(feature: torch.Tensor) -> torch.Tensor:
        """``(N, T, T)`` cosine similarities of an ``(N, C, T, H, W)``
        feature's frames."""
        frames = F.normalize(feature.mean(dim=(3, 4)).transpose(1, 2), dim=-1)
        return frames @ frames.transpose(1, 2)

    def forward(self, preds_S: torch.Tensor,
                preds_T: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            preds_S (Tensor): Student feature.
            preds_T (Tensor): Teacher feature (any channel count).
        """
        feat_S, feat_T = self.canonical(preds_S, preds_T)
        rel_S, rel_T = self.relation(feat_S), self.relation(feat_T)
        if rel_S.shape[0] != rel_T.shape[0]:
            raise ValueError(f'student has {rel_S.shape[0]} clips, teacher '
                             f'{rel_T.shape[0]}')
        if rel_T.shape[-1] != rel_S.shape[-1]:
            rel_T = F.interpolate(
                rel_T[:, None], size=rel_S.shape[-2:], mode='bilinear',
                align_corners=True)[:, 0]
        return self.loss_weight * F.mse_loss(rel_S, rel_T)
