"""The few-shot config evaluates a student checkpoint through
``tools/test.py`` on the AVLetters validation speakers."""
import os.path as osp
import re

import torch
from conftest import REPO, run_python

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.models.builders import model_from_config

CONFIG = ('configs/few_shot/'
          'few-shot-5way1shot_tsm-mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py')
STUDENT = ('configs/benchmark/avletters/'
           'tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py')


def test_few_shot_config_reports_accuracy_std_and_sem(tmp_path, avletters):
    torch.manual_seed(0)
    student = model_from_config(osp.join(REPO, STUDENT))
    checkpoint = tmp_path / 'student.pth'
    torch.save({'state_dict': student.state_dict()}, checkpoint)
    result = run_python(args=[
        'tools/test.py', CONFIG, str(checkpoint), '--work-dir',
        str(tmp_path / 'test'), '--cfg-options',
        f'test_dataloader.dataset.ann_file={avletters}/val_list.txt',
        f'test_dataloader.dataset.data_prefix.video={avletters}/videos',
        'test_evaluator.num_episodes=50'])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    found = dict(re.findall(r'few_shot/5way_1shot_(acc\w*): ([0-9.]+)',
                            output))
    assert set(found) == {'acc', 'acc_std', 'acc_sem'}
    acc, std, sem = (float(found[k]) for k in ('acc', 'acc_std', 'acc_sem'))
    assert 0 <= acc <= 1 and std > 0
    assert abs(sem - std / 50 ** 0.5) < 1e-3
