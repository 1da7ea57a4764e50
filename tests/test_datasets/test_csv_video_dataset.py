"""CSVVideoDataset: split files with string labels, on real AVLetters
videos."""
import os.path as osp

import pytest
import torch
from mmaction.registry import DATASETS
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmrazor_video_kd.datasets.csv_video_dataset import CSVVideoDataset

PIPELINE = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, num_clips=4, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs'),
]
# train labels on purpose out of order, with a header and a blank line
TRAIN = 'path label\nC1_Anya.mp4 C\n\nA1_Anya.mp4 A\nB1_Bill.mp4 B\n' \
        'A2_Faye.mp4 A\n'


def write(path, text):
    path.write_text(text)
    return str(path)


@pytest.fixture
def splits(tmp_path, avletters):
    """``(root, data_root)``: a split directory with ``train.csv`` and a
    ``val.csv``, and the real video directory."""
    write(tmp_path / 'train.csv', TRAIN)
    write(tmp_path / 'val.csv', 'B2_Kate.mp4 B\nC2_John.mp4 C\n')
    return tmp_path, osp.join(avletters, 'videos')


def build(ann_file, data_root, pipeline=(), **kwargs):
    return CSVVideoDataset(ann_file=str(ann_file), data_root=data_root,
                           pipeline=list(pipeline), **kwargs)


def test_mapping_is_sorted_train_labels(splits):
    root, data_root = splits
    train = build(root / 'train.csv', data_root)
    val = build(root / 'val.csv', data_root, test_mode=True)
    assert train.classes == ['A', 'B', 'C']
    assert val.classes == train.classes
    assert val.metainfo['classes'] == ['A', 'B', 'C']
    assert [train.get_data_info(i)['label'] for i in range(4)] == \
        [2, 0, 1, 0]
    assert [val.get_data_info(i)['label'] for i in range(2)] == [1, 2]
    assert train.get_data_info(1)['filename'] == \
        osp.join(data_root, 'A1_Anya.mp4')
    # the helper writes a file that label_map reads back
    CSVVideoDataset.save_label_map(train.classes, str(root / 'classes.txt'))
    assert (root / 'classes.txt').read_text() == 'A\nB\nC\n'


def test_label_outside_train_names_file_line_and_label(splits):
    root, data_root = splits
    val = write(root / 'val.csv', 'B2_Kate.mp4 B\n\nD1_John.mp4 D\n')
    with pytest.raises(ValueError, match=f"{val}:3: label 'D'"):
        build(val, data_root, test_mode=True)


def test_explicit_label_map(splits):
    root, data_root = splits
    label_map = write(root / 'classes.txt', 'D\nC\n\nB\nA\n')
    val = write(root / 'val.csv', 'D1_John.mp4 D\nA1_Kate.mp4 A\n')
    for mapping in (label_map, ['D', 'C', 'B', 'A']):
        dataset = build(val, data_root, label_map=mapping)
        assert dataset.classes == ['D', 'C', 'B', 'A']
        assert [dataset.get_data_info(i)['label'] for i in range(2)] == \
            [0, 3]
    # train_csv picks the split that defines the mapping
    other = write(root / 'other.csv', 'A1_Anya.mp4 A\nD1_Anya.mp4 D\n')
    dataset = build(val, data_root, train_csv=other)
    assert dataset.classes == ['A', 'D']
    with pytest.raises(ValueError, match='duplicates'):
        build(val, data_root, label_map=['A', 'D', 'A'])


def test_malformed_line_names_file_and_line(splits):
    root, data_root = splits
    val = write(root / 'val.csv', 'B2_Kate.mp4 B\nC2_John.mp4 C extra\n')
    with pytest.raises(ValueError, match=f'{val}:2: expected 2 fields'):
        build(val, data_root)
    train = write(root / 'train.csv', 'A1_Anya.mp4\n')
    with pytest.raises(ValueError, match=f'{train}:1: expected 2 fields'):
        build(root / 'val.csv', data_root)


def test_missing_train_csv_is_reported(tmp_path, avletters):
    val = write(tmp_path / 'val.csv', 'A1_Anya.mp4 A\n')
    with pytest.raises(FileNotFoundError, match='train.csv'):
        build(val, osp.join(avletters, 'videos'))


def test_real_videos_decode_with_the_right_label(splits):
    init_default_scope('mmaction')
    root, data_root = splits
    dataset = build(root / 'val.csv', data_root, pipeline=PIPELINE,
                    test_mode=True)
    sample = dataset[1]
    assert sample['inputs'].shape == (4, 3, 32, 32)
    assert int(sample['data_samples'].gt_label) == 2  # 'C'


def test_runner_builds_a_dataloader(splits):
    init_default_scope('mmaction')
    root, data_root = splits
    assert DATASETS.get('CSVVideoDataset') is CSVVideoDataset
    loader = Runner.build_dataloader(dict(
        batch_size=2, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(type='CSVVideoDataset', ann_file=str(root / 'val.csv'),
                     data_root=data_root, pipeline=PIPELINE,
                     test_mode=True)))
    batch = next(iter(loader))
    assert [tuple(x.shape) for x in batch['inputs']] == [(4, 3, 32, 32)] * 2
    labels = torch.cat([s.gt_label for s in batch['data_samples']])
    assert labels.tolist() == [1, 2]
    assert loader.dataset.metainfo['classes'] == ['A', 'B', 'C']
