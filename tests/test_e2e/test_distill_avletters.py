"""The user journey on real video (AVLetters mp4), through the real entry
points: ``mim train mmaction`` (teacher), ``mim train mmrazor`` (distill),
``--resume``, both converters, and ``mim test mmaction`` on the student.

Runs are shortened with ``--cfg-options`` (dataset ``indices``, epochs), never
by editing the configs.
"""
import glob
import json
import os.path as osp

import pytest
import torch
from conftest import SHORT_DATA, epochs, mim, run_python

CFG = 'configs/recognition/tsm/'
TEACHER_CFG = CFG + 'tsm_r50_1x1x8_40e_avletters-rgb.py'
STUDENT_CFG = CFG + 'tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py'
KD_CFG = ('configs/distill/logits_kd/'
          'kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py')
SMALL = SHORT_DATA


@pytest.fixture(scope='module')
def runs(tmp_path_factory, avletters):
    """Train a teacher, distill for 1 epoch, resume to 2 epochs."""
    root = tmp_path_factory.mktemp('e2e')
    teacher_dir, kd_dir = str(root / 'teacher'), str(root / 'kd')
    mim('train', 'mmaction', TEACHER_CFG, '--work-dir', teacher_dir,
        '--cfg-options', *SMALL, *epochs(1))
    teacher_ckpt = osp.join(teacher_dir, 'epoch_1.pth')
    first = mim('train', 'mmrazor', KD_CFG, '--work-dir', kd_dir,
                '--cfg-options', *SMALL, *epochs(1),
                f'model.teacher_ckpt={teacher_ckpt}')
    resumed = mim('train', 'mmrazor', KD_CFG, '--work-dir', kd_dir,
                  '--resume', '--cfg-options', *SMALL, *epochs(2),
                  f'model.teacher_ckpt={teacher_ckpt}')
    return dict(root=root, teacher_ckpt=teacher_ckpt, kd_dir=kd_dir,
                first=first, resumed=resumed)


def test_distillation_trains_with_teacher_weights(runs):
    assert 'distill.loss_kl' in runs['first']
    assert 'teacher.acc/top1' in runs['first']
    kd = torch.load(osp.join(runs['kd_dir'], 'epoch_1.pth'))['state_dict']
    teacher = torch.load(runs['teacher_ckpt'])['state_dict']
    assert any(k.startswith('architecture.') for k in kd)
    for key, value in teacher.items():
        assert torch.equal(kd[f'teacher.{key}'], value), key


def test_resume_continues_from_last_checkpoint(runs):
    assert 'resumed epoch: 1, iter: 2' in runs['resumed']
    assert osp.isfile(osp.join(runs['kd_dir'], 'epoch_2.pth'))


def test_convert_then_mim_test_mmaction(runs):
    student = str(runs['root'] / 'student.pth')
    result = run_python(args=[
        'tools/convert_kd_ckpt_to_student.py',
        osp.join(runs['kd_dir'], 'epoch_2.pth'), '--out', student,
        '--verify', STUDENT_CFG
    ])
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'dropped: teacher' in result.stdout
    test_dir = str(runs['root'] / 'test')
    mim('test', 'mmaction', STUDENT_CFG, '--checkpoint', student,
        '--work-dir', test_dir, '--cfg-options',
        'test_dataloader.dataset.indices=8', 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False')
    [metrics_file] = glob.glob(osp.join(test_dir, '*', '*.json'))
    with open(metrics_file) as f:
        metrics = json.loads(f.readline())
    assert 0.0 <= metrics['acc/top1'] <= 1.0


def test_upstream_mmrazor_converter_works_under_compat(runs):
    import mmrazor
    tool = osp.join(osp.dirname(mmrazor.__file__), '.mim', 'tools',
                    'model_converters', 'convert_kd_ckpt_to_student.py')
    out_dir = runs['root'] / 'upstream'
    out_dir.mkdir()
    result = run_python(args=[
        tool, osp.join(runs['kd_dir'], 'epoch_2.pth'), '--out-path',
        str(out_dir)])
    assert result.returncode == 0, result.stderr[-3000:]
    state = torch.load(out_dir / 'epoch_2_student.pth')['state_dict']
    assert state and not any(k.startswith('teacher') for k in state)
