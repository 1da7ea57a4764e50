"""Kernel maximum mean discrepancy distillation."""
from typing import Optional, Sequence

import torch
from mmrazor.registry import MODELS

from .video_feature_loss import VideoFeatureLoss


@MODELS.register_module()
class MMDLoss(VideoFeatureLoss):
    """Squared maximum mean discrepancy between student and teacher features.

    The student's and the teacher's features are two samples ``X`` (n
    vectors) and ``Y`` (m vectors); the loss is the kernel two-sample
    statistic of Gretton et al. (JMLR 2012), with a multi-bandwidth
    Gaussian kernel ``k(a, b) = mean_s exp(-|a - b|^2 / (2 s^2))``:

    - ``estimator='unbiased'`` (default): the U-statistic
      ``sum_{i!=j} k(x_i, x_j) / (n(n-1)) + sum_{i!=j} k(y_i, y_j) / (m(m-1))
      - 2 sum_{i,j} k(x_i, y_j) / (nm)``; its expectation is MMD^2 (it can be
      slightly negative).
    - ``estimator='biased'``: the V-statistic (diagonals included), >= 0.

    Both compare the two *sets*: this is not a kernel of paired
    student/teacher differences. Samples are formed by
    :func:`~mmrazor_video_kd.models.utils.to_sample_sets`: by default the
    clip vectors of a batch (time and space pooled); with
    ``sample_axes=('time', 'space')`` and ``pool_axes=()`` one MMD per clip
    over its positions, averaged over clips.

    Args:
        sample_axes (Sequence[str]): Defaults to ``('batch', )``.
        pool_axes (Sequence[str]): Defaults to ``('time', 'space')``.
        bandwidths (Sequence[float], optional): Kernel widths ``s``. If None,
            ``s^2 = median squared distance of the pooled samples (detached)
            * m`` for ``m`` in ``bandwidth_multipliers``.
        bandwidth_multipliers (Sequence[float]): Defaults to
            ``(0.25, 0.5, 1, 2, 4)``.
        estimator (str): ``'unbiased'`` or ``'biased'``.
        **kwargs: Layouts, ``teacher_detach`` and ``loss_weight``, see
            :class:`VideoFeatureLoss`.
    """

    def __init__(self,
                 sample_axes: Sequence[str] = ('batch', ),
                 pool_axes: Sequence[str] = ('time', 'space'),
                 bandwidths: Optional[Sequence[float]] = None,
                 bandwidth_multipliers: Sequence[float] = (0.25, 0.5, 1, 2,
                                                           4),
                 estimator: str = 'unbiased',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if estimator not in ('unbiased', 'biased'):
            raise ValueError(f"estimator must be 'unbiased' or 'biased'; got "
                             f'{estimator!r}')
        self.sample_axes = tuple(sample_axes)
        self.pool_axes = tuple(pool_axes)
        self.bandwidths = bandwidths
        self.bandwidth_multipliers = tuple(bandwidth_multipliers)
        self.estimator = estimator

    def squared_bandwidths(self, sq_dist: torch.Tensor) -> torch.Tensor:
        """``s^2`` of each kernel, for pooled squared distances."""
        if self.bandwidths is not None:
            return sq_dist.new_tensor(self.bandwidths).pow(2)
        n = sq_dist.shape[-1]
        off_diag = sq_dist.detach()[..., ~torch.eye(
            n, dtype=torch.bool, device=sq_dist.device)]
        median = off_diag.median().clamp_min(1e-12)
        return median * sq_dist.new_tensor(self.bandwidth_multipliers)

    def mmd2(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """MMD^2 estimate between sample sets ``x`` (G, n, C) and ``y``
        (G, m, C); returns (G, )."""
        n, m = x.shape[1], y.shape[1]
        if self.estimator == 'unbiased' and min(n, m) < 2:
            raise ValueError('the unbiased MMD needs at least 2 samples per '
                             f'set; got {n} and {m}')
        z = torch.cat([x, y], dim=1)
        sq_dist = torch.cdist(z, z).pow(2)
        sigma2 = self.squared_bandwidths(sq_dist)
        kernel = torch.exp(-sq_dist[..., None] / (2 * sigma2)).mean(-1)
        k_xx, k_yy, k_xy = kernel[:, :n, :n], kernel[:, n:, n:], kernel[:, :n,
                                                                         n:]
        if self.estimator == 'biased':
            return k_xx.mean((1, 2)) + k_yy.mean((1, 2)) - 2 * k_xy.mean(
                (1, 2))
        diag_xx = k_xx.diagonal(dim1=1, dim2=2).sum(-1)
        diag_yy = k_yy.diagonal(dim1=1, dim2=2).sum(-1)
        return ((k_xx.sum((1, 2)) - diag_xx) / (n * (n - 1)) +
                (k_yy.sum((1, 2)) - diag_yy) / (m * (m - 1)) -
                2 * k_xy.mean((1, 2)))

    def forward(self, preds_S: torch.Tensor,
                preds_T: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            preds_S (Tensor): Student feature.
            preds_T (Tensor): Teacher feature, same channel count.
        """
        x, y = self.sample_sets(preds_S, preds_T, self.sample_axes,
                                self.pool_axes)
        return self.loss_weight * self.mmd2(x, y).mean()
