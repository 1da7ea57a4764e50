"""tools/analysis/speaker_intensity.py on the AVLetters videos (one clip per
speaker): per-speaker statistics equal a direct computation, and Bill, the
development speaker, is the darkest (docs/benchmark_protocol.md)."""
import os.path as osp

import numpy as np
import pytest
from conftest import load_script

tool = load_script('tools/analysis/speaker_intensity.py')


def test_statistics_per_speaker(avletters):
    stats = tool.speaker_intensity(avletters, clips=1)
    assert set(stats) == {'Anya', 'Bill', 'Faye', 'John', 'Kate', 'Nicola',
                          'Steve'}
    frames = tool.read_frames(osp.join(avletters, 'videos', 'A1_Bill.mp4'))
    assert frames.ndim == 4 and frames.shape[1:] == (60, 80, 3)
    assert stats['Bill']['mean'] == pytest.approx(frames.mean())
    assert stats['Bill']['std'] == pytest.approx(frames.astype(float).std())
    assert stats['Bill']['frames'] == len(frames)
    assert min(stats, key=lambda s: stats[s]['mean']) == 'Bill'


def test_undecodable_video(tmp_path):
    (tmp_path / 'videos').mkdir()
    (tmp_path / 'videos' / 'A1_Zed.mp4').write_bytes(b'not a video')
    with pytest.raises(ValueError, match='A1_Zed.mp4: no frame'):
        tool.speaker_intensity(str(tmp_path))
    np.testing.assert_equal(tool.CLIP.match('B2_Kate.mp4')['speaker'],
                            'Kate')
