"""Tri-model distillation on real video (AVLetters), through the real entry
points: a ViT teacher and an assistant trained with ``mim train mmaction``
(different seeds), ``mim train mmrazor`` with both frozen and the asymmetric
term, validation of all three models, conversion to a student checkpoint and
``mim test mmaction`` on it. Shortened with ``--cfg-options`` only."""
import os.path as osp

import torch
from conftest import SHORT_DATA, epochs, mim, run_python

TEACHER_CFG = 'configs/recognition/videomae/vit-tiny-p16_8x2x1_40e_avletters-rgb.py'
STUDENT_CFG = 'configs/recognition/videomae/vit-micro-p16_8x2x1_40e_avletters-rgb.py'
TRI_CFG = ('configs/distill/tri_model/'
           'tri-model_vit-tiny_vit-tiny_vit-micro_8x2x1_40e_avletters-rgb.py')
SMALL = SHORT_DATA + epochs(1)


def test_tri_model_journey(tmp_path, avletters):
    ckpts = {}
    for name, seed in (('teacher', 0), ('assistant', 1)):
        mim('train', 'mmaction', TEACHER_CFG, '--work-dir',
            str(tmp_path / name), '--cfg-options', *SMALL,
            f'randomness.seed={seed}')
        ckpts[name] = str(tmp_path / name / 'epoch_1.pth')
    kd_dir = tmp_path / 'tri'
    log = mim('train', 'mmrazor', TRI_CFG, '--work-dir', str(kd_dir),
              '--cfg-options', *SMALL,
              *[f'model.teachers.{n}.ckpt={c}' for n, c in ckpts.items()])
    for term in ('distill.loss_asymmetric', 'distill.loss_teacher_soft',
                 'distill.loss_assistant_attn3', 'distill.loss_teacher_feat1'):
        assert term in log, term
    assert 'teacher.acc/top1' in log and 'assistant.acc/top1' in log

    state = torch.load(kd_dir / 'epoch_1.pth')['state_dict']
    for name, path in ckpts.items():  # both frozen: saved weights unchanged
        for key, value in torch.load(path)['state_dict'].items():
            assert torch.equal(state[f'teachers.{name}.{key}'], value), key

    student = str(tmp_path / 'student.pth')
    result = run_python(args=[
        'tools/convert_kd_ckpt_to_student.py', str(kd_dir / 'epoch_1.pth'),
        '--out', student, '--verify', STUDENT_CFG])
    assert result.returncode == 0, result.stdout + result.stderr
    kept = torch.load(student)['state_dict']
    assert kept and not any(k.startswith(('teachers.', 'distiller.'))
                            for k in kept)
    log = mim('test', 'mmaction', STUDENT_CFG, '--checkpoint', student,
              '--work-dir', str(tmp_path / 'test'), '--cfg-options',
              'test_dataloader.dataset.indices=8',
              'test_dataloader.num_workers=0',
              'test_dataloader.persistent_workers=False')
    assert 'acc/top1' in log
    assert osp.isfile(student)
