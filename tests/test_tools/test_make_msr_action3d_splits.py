"""tools/data/make_msr_action3d_splits.py: subject-disjoint development
lists inside the MSR Action3D training subjects."""
import os.path as osp

import pytest
from conftest import SHARED_DATA, load_script, run_python

tool = load_script('tools/data/make_msr_action3d_splits.py')


def test_dev_subject_is_held_out_and_lines_are_kept(tmp_path):
    (tmp_path / 'train_list.txt').write_text(
        'a01_s01_e01_skeleton3D.txt 0\na02_s05_e01_skeleton3D.txt 1\n'
        '\na01_s03_e02_skeleton3D.txt 0\na20_s05_e03_skeleton3D.txt 19\n')
    train, dev = tool.split(str(tmp_path), 5)
    assert train == ['a01_s01_e01_skeleton3D.txt 0\n',
                     'a01_s03_e02_skeleton3D.txt 0\n']
    assert dev == ['a02_s05_e01_skeleton3D.txt 1\n',
                   'a20_s05_e03_skeleton3D.txt 19\n']
    with pytest.raises(tool.SplitError,
                       match='subject 2 is not in .*subjects: 1, 3, 5'):
        tool.split(str(tmp_path), 2)


def test_bad_line_names_file_and_line(tmp_path):
    (tmp_path / 'train_list.txt').write_text(
        'a01_s01_e01_skeleton3D.txt 0\nclip.mp4 3\n')
    with pytest.raises(tool.SplitError, match=r"train_list.txt, line 2: "
                       r"cannot read the subject of 'clip.mp4 3'"):
        tool.split(str(tmp_path), 1)


def test_real_lists_cli(tmp_path):
    msr_action3d = osp.join(SHARED_DATA, 'msr_action3d')
    result = run_python(args=['tools/data/make_msr_action3d_splits.py',
                              msr_action3d, '--out-dir', str(tmp_path)])
    assert result.returncode == 0, result.stderr
    train = (tmp_path / 'dev_train_list.txt').read_text().splitlines()
    dev = (tmp_path / 'dev_val_list.txt').read_text().splitlines()
    with open(f'{msr_action3d}/train_list.txt') as file:
        lines = file.read().splitlines()
    assert sorted(train + dev) == sorted(lines)
    assert dev and all('_s05_' in line for line in dev)
    assert not any('_s05_' in line for line in train)
