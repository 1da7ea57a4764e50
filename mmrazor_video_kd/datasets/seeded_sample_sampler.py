"""A sampler that gives every sample of an epoch a seed of its own."""
from typing import Iterator, Tuple

import numpy as np
from mmengine.dataset import DefaultSampler
from mmengine.registry import DATA_SAMPLERS

from .seeded_sample_dataset import SeededSampleDataset


def sample_seed(seed: int, epoch: int, index: int) -> int:
    """The seed of sample ``index`` in epoch ``epoch`` of a run seeded with
    ``seed``: a 32-bit integer that depends on nothing else."""
    state = np.random.SeedSequence([seed, epoch, index]).generate_state(1)
    return int(state[0])


@DATA_SAMPLERS.register_module()
class SeededSampleSampler(DefaultSampler):
    """MMEngine's ``DefaultSampler`` whose indices carry the seed their
    sample's augmentation is drawn with: it yields ``(index, seed)`` pairs,
    ``seed = sample_seed(sampler seed, epoch, index)``, for a
    :class:`SeededSampleDataset`, which seeds ``random``, NumPy and torch
    with it before loading the sample.

    Data-loader workers draw augmentations from random streams that MMEngine
    seeds once per worker; persistent workers carry those streams over epochs
    and a resumed process restarts them, so ``--resume`` gives other
    augmentations than the uninterrupted run. With per-sample seeds the
    augmentation of a sample in an epoch is the same whichever worker loads
    it, with or without persistent workers, in any number of processes, and
    before or after a resume. The order is ``DefaultSampler``'s (shuffled
    from the sampler's seed and the epoch, which ``DistSamplerSeedHook``
    sets). A sample repeated to round the epoch up to the number of
    processes gets the same seed both times.

    Use it with the dataset wrapped::

        train_dataloader = dict(
            sampler=dict(type='SeededSampleSampler', shuffle=True),
            dataset=dict(type='SeededSampleDataset',
                         dataset=dict(type='VideoDataset', ...)))

    Args:
        dataset: The dataset; it must be a ``SeededSampleDataset`` (its
            samples are fetched by ``(index, seed)``).
        **kwargs: ``DefaultSampler``'s (``shuffle``, ``seed``,
            ``round_up``).

    Raises:
        TypeError: ``dataset`` is not a ``SeededSampleDataset``.
    """

    def __init__(self, dataset, **kwargs) -> None:
        if not isinstance(dataset, SeededSampleDataset):
            raise TypeError(
                'SeededSampleSampler yields (index, seed) pairs that only a '
                "SeededSampleDataset reads; set the dataloader's dataset to "
                "dict(type='SeededSampleDataset', dataset=<the dataset>), "
                f'not {type(dataset).__name__}')
        super().__init__(dataset, **kwargs)

    def __iter__(self) -> Iterator[Tuple[int, int]]:
        """Iterate ``(index, seed)`` pairs in ``DefaultSampler``'s order."""
        for index in super().__iter__():
            yield index, sample_seed(self.seed, self.epoch, index)
