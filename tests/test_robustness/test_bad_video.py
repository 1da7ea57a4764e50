"""Unreadable videos: a clear error naming the file, or skipped and counted."""
import os.path as osp
import shutil

import pytest

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.datasets import CheckedVideoDataset
from mmrazor_video_kd.datasets.checked_video_dataset import BadVideoError

PIPELINE = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=2),
    dict(type='DecordDecode'),
]


@pytest.fixture
def videos(tmp_path, avletters):
    shutil.copy(osp.join(avletters, 'videos', 'A1_Anya.mp4'),
                tmp_path / 'good.mp4')
    (tmp_path / 'corrupt.mp4').write_bytes(b'\x00not a video' * 100)
    (tmp_path / 'list.txt').write_text(
        'good.mp4 0\ncorrupt.mp4 1\nmissing.mp4 2\n')
    return tmp_path


def dataset(root, **kwargs):
    return CheckedVideoDataset(
        ann_file=str(root / 'list.txt'), data_prefix=dict(video=str(root)),
        pipeline=PIPELINE, **kwargs)


@pytest.mark.parametrize('index,name', [(1, 'corrupt.mp4'),
                                        (2, 'missing.mp4')])
def test_bad_video_is_named(videos, index, name):
    with pytest.raises(BadVideoError, match=name) as info:
        dataset(videos)[index]
    assert 'skip_bad_videos' in str(info.value)
    assert dataset(videos)[0]['imgs'][0].shape == (60, 80, 3)


def test_skip_bad_videos_in_training_and_count(videos):
    data = dataset(videos, skip_bad_videos=True)
    for _ in range(3):
        assert data[1]['filename'].endswith('good.mp4')
    assert data.skipped_videos >= 3


def test_test_mode_always_raises(videos):
    with pytest.raises(BadVideoError, match='missing.mp4'):
        dataset(videos, skip_bad_videos=True, test_mode=True)[2]
