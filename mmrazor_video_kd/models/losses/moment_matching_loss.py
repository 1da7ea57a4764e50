"""Moment matching distillation."""
from typing import Optional, Sequence

import torch
from mmrazor.registry import MODELS

from .video_feature_loss import VideoFeatureLoss


@MODELS.register_module()
class MomentMatchingLoss(VideoFeatureLoss):
    """Match the first and second moments of student and teacher features.

    Features are turned into sets of C-dim vectors (see
    :func:`~mmrazor_video_kd.models.utils.to_sample_sets`): the statistics of
    each set are taken over ``sample_axes`` (e.g. all positions of a batch,
    or the frames and pixels of each clip when ``'batch'`` is not among
    them). With mean ``mu`` and second moment ``S`` of each set::

        loss = mean_weight * mean((mu_S - mu_T)^2)
             + moment_weight * mean((S_S - S_T)^2)

    averaged over entries and sets. ``second_moment='cov'`` uses the
    unbiased covariance (C x C), ``'var'`` the per-channel variance (for
    wide features), ``None`` only the means. Student and teacher must have
    the same channel count (use a connector otherwise). For a kernel
    two-sample distance between the sets, see :class:`MMDLoss`.

    Args:
        sample_axes (Sequence[str]): Axes the statistics are taken over.
            Defaults to ``('batch', 'time', 'space')``.
        pool_axes (Sequence[str]): Axes averaged first. Defaults to ``()``.
        second_moment (str, optional): ``'cov'``, ``'var'`` or None.
            Defaults to ``'cov'``.
        mean_weight (float): Weight of the mean term. Defaults to 1.0.
        moment_weight (float): Weight of the second-moment term.
            Defaults to 1.0.
        **kwargs: Layouts, ``teacher_detach`` and ``loss_weight``, see
            :class:`VideoFeatureLoss`.
    """

    def __init__(self,
                 sample_axes: Sequence[str] = ('batch', 'time', 'space'),
                 pool_axes: Sequence[str] = (),
                 second_moment: Optional[str] = 'cov',
                 mean_weight: float = 1.0,
                 moment_weight: float = 1.0,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if second_moment not in ('cov', 'var', None):
            raise ValueError(f"second_moment must be 'cov', 'var' or None; "
                             f'got {second_moment!r}')
        self.sample_axes = tuple(sample_axes)
        self.pool_axes = tuple(pool_axes)
        self.second_moment = second_moment
        self.mean_weight = mean_weight
        self.moment_weight = moment_weight

    def moments(self, samples: torch.Tensor):
        """Mean ``(G, C)`` and second moment of ``(G, S, C)`` sample sets."""
        mean = samples.mean(dim=1)
        if self.second_moment is None:
            return mean, None
        if samples.shape[1] < 2:
            raise ValueError('a second moment needs at least 2 samples per '
                             f'set; sample_axes={self.sample_axes} give '
                             f'{samples.shape[1]}')
        centred = samples - mean[:, None]
        if self.second_moment == 'var':
            return mean, centred.pow(2).sum(1) / (samples.shape[1] - 1)
        return mean, centred.transpose(1, 2) @ centred / (
            samples.shape[1] - 1)

    def forward(self, preds_S: torch.Tensor,
                preds_T: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            preds_S (Tensor): Student feature.
            preds_T (Tensor): Teacher feature, same channel count.
        """
        sets_S, sets_T = self.sample_sets(preds_S, preds_T, self.sample_axes,
                                          self.pool_axes)
        mean_S, moment_S = self.moments(sets_S)
        mean_T, moment_T = self.moments(sets_T)
        loss = self.mean_weight * (mean_S - mean_T).pow(2).mean()
        if moment_S is not None:
            loss = loss + self.moment_weight * (moment_S -
                                                moment_T).pow(2).mean()
        return self.loss_weight * loss
