"""SeededSampleSampler + SeededSampleDataset: a sample's random draws in an
epoch depend on (seed, epoch, index) only, so a loader started at a later
epoch (a resumed run) draws what an uninterrupted one drew, with persistent
workers too; without them it does not."""
import random

import numpy as np
import pytest
import torch
from mmengine.dataset import DefaultSampler
from torch.utils.data import DataLoader

from mmrazor_video_kd.datasets import (SeededSampleDataset,
                                       SeededSampleSampler, sample_seed)


class RandomDraws:
    """Each sample is its index and one draw from each random stream, as a
    random crop (NumPy), a random flip (random) or a dropout mask (torch)
    would draw them."""
    metainfo = dict(classes=('a', 'b'))

    def __len__(self):
        return 6

    def __getitem__(self, index):
        return (index, float(np.random.rand()), random.random(),
                float(torch.rand(1)))


def draws(sampler_type, epochs, workers, persistent, first_epoch=0):
    """{(epoch, index): draws} of a loader run from ``first_epoch`` (a run
    resumed there starts a new process: new loader, new workers)."""
    dataset = RandomDraws()
    if sampler_type is SeededSampleSampler:
        dataset = SeededSampleDataset(dataset)
    sampler = sampler_type(dataset, shuffle=True, seed=7)
    loader = DataLoader(dataset, batch_size=2, sampler=sampler,
                        num_workers=workers, persistent_workers=persistent,
                        collate_fn=lambda batch: batch)
    seen = {}
    torch.manual_seed(0)  # the main process, as MMEngine seeds it
    for epoch in range(first_epoch, epochs):
        sampler.set_epoch(epoch)
        for batch in loader:
            for index, *values in batch:
                seen[epoch, index] = tuple(values)
    return seen


def test_a_resumed_loader_draws_what_an_uninterrupted_one_drew():
    straight = draws(SeededSampleSampler, 3, workers=2, persistent=True)
    assert len(straight) == 18
    resumed = draws(SeededSampleSampler, 3, workers=2, persistent=True,
                    first_epoch=2)
    assert {key: straight[key] for key in resumed} == resumed
    # whichever worker loads a sample, or none
    assert draws(SeededSampleSampler, 3, workers=0, persistent=False) == \
        straight
    # each draw is the one seeded by (seed, epoch, index)
    np.random.seed(sample_seed(7, 1, 4))
    assert straight[1, 4][0] == float(np.random.rand())
    # another epoch, another augmentation of the same sample
    assert straight[0, 4] != straight[1, 4]


def test_persistent_workers_alone_draw_otherwise_after_a_resume():
    """The problem the pair solves: MMEngine's DefaultSampler with persistent
    workers gives a resumed epoch other draws than the uninterrupted run."""
    straight = draws(DefaultSampler, 3, workers=2, persistent=True)
    resumed = draws(DefaultSampler, 3, workers=2, persistent=True,
                    first_epoch=2)
    assert {key: straight[key] for key in resumed} != resumed


def test_the_order_is_the_default_samplers():
    wrapped = SeededSampleDataset(RandomDraws())
    seeded = SeededSampleSampler(wrapped, shuffle=True, seed=3)
    plain = DefaultSampler(RandomDraws(), shuffle=True, seed=3)
    for epoch in (0, 5):
        seeded.set_epoch(epoch)
        plain.set_epoch(epoch)
        assert [index for index, _ in seeded] == list(plain)
        assert [seed for _, seed in seeded] == [
            sample_seed(3, epoch, index) for index in plain]


def test_the_wrapper_is_the_dataset_without_a_seed():
    inner = RandomDraws()
    wrapped = SeededSampleDataset(inner)
    assert len(wrapped) == 6 and wrapped.metainfo == inner.metainfo
    def seed_all(seed):
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)

    seed_all(1)
    unseeded = wrapped[2]
    seed_all(1)
    assert unseeded == inner[2]  # draws from the streams as they are
    assert wrapped[(2, 5)] == wrapped[(2, 5)]
    with pytest.raises(AttributeError):
        wrapped.no_such_attribute


def test_the_sampler_needs_the_wrapper():
    with pytest.raises(TypeError, match='SeededSampleDataset.*RandomDraws'):
        SeededSampleSampler(RandomDraws(), shuffle=True, seed=0)


def test_built_from_configs_in_the_mmaction_scope(tmp_path):
    from mmengine.registry import DATA_SAMPLERS, init_default_scope
    from mmaction.registry import DATASETS
    init_default_scope('mmaction')
    (tmp_path / 'list.txt').write_text('a.mp4 0\nb.mp4 1\n')
    dataset = DATASETS.build(dict(
        type='SeededSampleDataset',
        dataset=dict(type='VideoDataset', ann_file=str(tmp_path / 'list.txt'),
                     pipeline=[])))
    assert len(dataset) == 2
    assert dataset.get_data_info(1)['label'] == 1
    sampler = DATA_SAMPLERS.build(
        dict(type='SeededSampleSampler', shuffle=False, seed=0),
        default_args=dict(dataset=dataset))
    assert list(sampler) == [(0, sample_seed(0, 0, 0)),
                             (1, sample_seed(0, 0, 1))]
