"""A dataset wrapper that seeds every sample before loading it."""
import random
from typing import Union

import numpy as np
import torch
from mmaction.registry import DATASETS


@DATASETS.register_module()
class SeededSampleDataset:
    """Wraps a dataset; ``dataset[(index, seed)]`` seeds ``random``, NumPy
    and torch with ``seed``, then returns ``dataset[index]``, so the sample's
    random augmentation depends on ``seed`` alone. ``dataset[index]`` (no
    seed: validation and test) is the wrapped dataset's sample.

    The seeds come from :class:`SeededSampleSampler`; together they make a
    resumed run draw the same augmentations as an uninterrupted one, with
    persistent data-loader workers too. Attributes other than ``dataset``
    (``metainfo``, ``get_data_info``, ...) are the wrapped dataset's.

    Args:
        dataset (dict | Dataset): The dataset, or its config (built from
            ``mmaction``'s ``DATASETS``).
    """

    def __init__(self, dataset: Union[dict, object]) -> None:
        self.dataset = (DATASETS.build(dataset) if isinstance(dataset, dict)
                        else dataset)

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, key):
        if isinstance(key, tuple):
            index, seed = key
            random.seed(seed)
            np.random.seed(seed)
            torch.manual_seed(seed)
            return self.dataset[index]
        return self.dataset[key]

    def __getattr__(self, name):
        # only reached for attributes this wrapper does not have; `dataset`
        # itself is missing while unpickling, before __init__'s state is set
        if name == 'dataset':
            raise AttributeError(name)
        return getattr(self.dataset, name)
