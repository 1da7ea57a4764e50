"""View keys and teacher fingerprints do not depend on how paths are
spelled, and do depend on what the paths hold."""
import os
import os.path as osp

import numpy as np
import torch

from mmrazor_video_kd.utils import teacher_fingerprint, view_key


def meta(filename, **kwargs):
    return dict(filename=filename, frame_inds=np.arange(8), **kwargs)


def test_view_key_ignores_the_spelling_of_the_clip_path(tmp_path,
                                                        monkeypatch):
    (tmp_path / 'data').mkdir()
    clip = tmp_path / 'data' / 'a.mp4'
    clip.write_bytes(b'')
    os.symlink(tmp_path / 'data', tmp_path / 'link')
    monkeypatch.chdir(tmp_path)
    spellings = [str(clip), 'data/a.mp4', './data//a.mp4',
                 'link/../data/a.mp4', str(tmp_path / 'link' / 'a.mp4')]
    assert len({view_key(meta(s)) for s in spellings}) == 1
    # another file, another view of the same file: other keys
    assert view_key(meta('data/b.mp4')) != view_key(meta('data/a.mp4'))
    assert view_key(meta('data/a.mp4', flip=True)) != view_key(
        meta('data/a.mp4'))


def test_fingerprint_hashes_the_config_file_not_its_path(tmp_path):
    torch.manual_seed(0)
    teacher = torch.nn.Linear(3, 2)
    for folder in ('one', 'two'):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / 'teacher.py').write_text('model = 1\n')
    same = [
        teacher_fingerprint(teacher, dict(
            type='model_from_config', config=str(tmp_path / f / 'teacher.py')))
        for f in ('one', 'two')
    ]
    assert same[0] == same[1]
    (tmp_path / 'two' / 'teacher.py').write_text('model = 2\n')
    edited = teacher_fingerprint(teacher, dict(
        type='model_from_config', config=str(tmp_path / 'two' / 'teacher.py')))
    assert edited != same[0]
    # a string that names no file is hashed as it is
    assert teacher_fingerprint(teacher, dict(config='x.py')) != \
        teacher_fingerprint(teacher, dict(config='y.py'))
    # and the weights count
    with torch.no_grad():
        teacher.weight[0, 0] += 1
    assert teacher_fingerprint(teacher, dict(
        type='model_from_config',
        config=str(tmp_path / 'one' / 'teacher.py'))) != same[0]
    assert osp.isfile(tmp_path / 'one' / 'teacher.py')
