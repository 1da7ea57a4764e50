"""Make a resumed run draw the same random numbers as an uninterrupted one."""
import random

import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.registry import HOOKS

from mmrazor_video_kd.datasets import SeededSampleSampler


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Re-seed ``random``, NumPy and torch at the start of every training
    epoch from the run's seed and the epoch.

    MMEngine seeds once per process and does not store random states in
    checkpoints, so a run resumed from an epoch checkpoint continues with
    other random numbers (dropout masks, augmentation in the main process,
    data-loader seeds) than the run that was interrupted. With this hook the
    random stream of epoch ``e`` depends only on ``(seed, e)``: with
    ``randomness.deterministic=True`` and data-loader workers that are not
    persistent (or none), a resumed run reaches the same weights as an
    uninterrupted one. Checkpoints taken in the middle of an epoch are not
    covered. Does nothing when the run has no seed.

    With persistent workers, seed the samples one by one
    (:class:`~mmrazor_video_kd.datasets.SeededSampleSampler`): the hook then
    gives the training data loader a generator of its own, because a loader
    draws its workers' base seed from the main stream when it starts, which
    a resumed run does once more than an uninterrupted one (whose persistent
    workers start once), and dropout would then differ.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        loader = runner.train_loop.dataloader
        if (isinstance(getattr(loader, 'sampler', None), SeededSampleSampler)
                and loader.generator is None):
            loader.generator = torch.Generator()
            loader.generator.manual_seed(runner.seed or 0)

    def before_train_epoch(self, runner) -> None:
        if runner.seed is None:
            return
        seed = (runner.seed + 1_000_003 * (runner.epoch + 1)) % 2**31
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
