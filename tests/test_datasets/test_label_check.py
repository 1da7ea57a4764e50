"""Labels of annotation lists are checked against ``num_classes`` when a
dataset is built: the error names the list, the line and the bound."""
import os.path as osp

import pytest
from conftest import SHARED_DATA

from mmrazor_video_kd.datasets import (CheckedVideoDataset, CSVVideoDataset,
                                       LabelOutOfRangeError,
                                       MSRAction3DDataset)

SKELETONS = osp.join(SHARED_DATA, 'msr_action3d', 'skeletons')


def write(path, text):
    path.write_text(text)
    return str(path)


def video_list(tmp_path, labels):
    """A video list with one line per label (videos need not exist to
    build the dataset)."""
    lines = [f'clip{i}.mp4 {label}' for i, label in enumerate(labels)]
    return write(tmp_path / 'list.txt', '\n'.join(lines) + '\n')


@pytest.mark.parametrize('label', [26, 99, -1, -3])
def test_video_label_out_of_range_names_file_line_and_bound(tmp_path, label):
    ann_file = video_list(tmp_path, [0, 25, label, 3])
    with pytest.raises(LabelOutOfRangeError) as error:
        CheckedVideoDataset(ann_file=ann_file, pipeline=[], num_classes=26)
    message = str(error.value)
    assert f'{ann_file}:3: label {label} ' in message
    assert 'num_classes=26' in message and '0 to 25' in message


def test_video_labels_in_range_pass(tmp_path):
    ann_file = video_list(tmp_path, [0, 25, 7])
    dataset = CheckedVideoDataset(ann_file=ann_file, pipeline=[],
                                  num_classes=26)
    assert [dataset.get_data_info(i)['label'] for i in range(3)] == [0, 25, 7]


def test_unlabelled_lines_and_no_num_classes_are_not_checked(tmp_path):
    # an inference list without labels (VideoDataset gives them label -1)
    ann_file = write(tmp_path / 'list.txt', 'a.mp4\nb.mp4\n')
    dataset = CheckedVideoDataset(ann_file=ann_file, pipeline=[],
                                  num_classes=26)
    assert dataset.get_data_info(0)['label'] == -1
    # without num_classes, VideoDataset's behaviour: nothing is checked
    ann_file = video_list(tmp_path, [0, 99])
    assert len(CheckedVideoDataset(ann_file=ann_file, pipeline=[])) == 2


def test_multi_label_line_is_checked(tmp_path):
    ann_file = write(tmp_path / 'list.txt', 'a.mp4 0 2\nb.mp4 1 4\n')
    with pytest.raises(LabelOutOfRangeError, match=':2: label 4 .*'
                       'num_classes=4'):
        CheckedVideoDataset(ann_file=ann_file, pipeline=[], multi_class=True,
                            num_classes=4)


def test_real_avletters_lists_fit_26_classes(avletters):
    for name in ('train_list.txt', 'val_list.txt'):
        dataset = CheckedVideoDataset(ann_file=osp.join(avletters, name),
                                      pipeline=[], num_classes=26)
        assert len(dataset) > 0


def test_csv_class_id_out_of_range_names_the_label(tmp_path):
    write(tmp_path / 'train.csv', 'a.mp4 cat\nb.mp4 dog\nc.mp4 emu\n')
    ann_file = write(tmp_path / 'val.csv', 'd.mp4 dog\n\ne.mp4 emu\n')
    with pytest.raises(LabelOutOfRangeError) as error:
        CSVVideoDataset(ann_file=ann_file, pipeline=[], num_classes=2)
    assert f"{ann_file}:3: label 'emu' (class id 2)" in str(error.value)
    assert 'num_classes=2' in str(error.value)
    dataset = CSVVideoDataset(ann_file=ann_file, pipeline=[], num_classes=3)
    assert dataset.get_data_info(1)['label'] == 2


def test_skeleton_label_out_of_range(tmp_path):
    lines = 'a01_s02_e01_skeleton3D.txt 0\n\na02_s02_e01_skeleton3D.txt 20\n'
    ann_file = write(tmp_path / 'list.txt', lines)
    with pytest.raises(LabelOutOfRangeError,
                       match=f'{ann_file}:3: label 20 .*num_classes=20'):
        MSRAction3DDataset(ann_file=ann_file, pipeline=[], num_classes=20,
                           data_prefix=dict(skeleton=SKELETONS))
    ann_file = write(tmp_path / 'list.txt', lines.replace(' 20', ' 1'))
    dataset = MSRAction3DDataset(ann_file=ann_file, pipeline=[],
                                 num_classes=20,
                                 data_prefix=dict(skeleton=SKELETONS))
    assert [dataset.get_data_info(i)['label'] for i in range(2)] == [0, 1]
