"""Multi-modal, label-free distillation on real video (AVLetters): optical
flow from ``tools/data/compute_flow.py``, an RGB and a flow teacher trained
with ``mim train mmaction``, the RGB student distilled from both through the
cross-modal translator with ``mim train mmrazor`` (no labels), both teachers
validated, the student converted. Shortened with ``--cfg-options`` only."""
import torch
from conftest import SHORT_DATA, epochs, mim, run_python

RGB_CFG = 'configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py'
FLOW_CFG = ('configs/recognition/tsm/'
            'tsm_mobilenetv2-w0.5-flow_1x1x8_40e_avletters-flow.py')
XMT_CFG = ('configs/distill/cross_modal/xmt-rgb-flow_tsm-mobilenetv2-w0.5-'
           'rgb-flow_tsm-mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py')
SMALL = SHORT_DATA + epochs(1)


def test_rgb_and_flow_teachers_into_rgb_student(tmp_path, avletters):
    flow_dir = tmp_path / 'flow'
    result = run_python(args=[
        'tools/data/compute_flow.py', '--videos', f'{avletters}/videos',
        '--lists', f'{avletters}/train_list.txt', f'{avletters}/val_list.txt',
        '--out-dir', str(flow_dir)])
    assert result.returncode == 0, result.stdout + result.stderr
    flow = [f'{split}_dataloader.dataset.pipeline.5.flow_dir={flow_dir}'
            for split in ('train', 'val')]
    mim('train', 'mmaction', RGB_CFG, '--work-dir', str(tmp_path / 'rgb'),
        '--cfg-options', *SMALL)
    mim('train', 'mmaction', FLOW_CFG, '--work-dir', str(tmp_path / 'flow_t'),
        '--cfg-options', *SMALL, *flow)
    ckpts = dict(rgb=tmp_path / 'rgb' / 'epoch_1.pth',
                 flow=tmp_path / 'flow_t' / 'epoch_1.pth')
    log = mim('train', 'mmrazor', XMT_CFG, '--work-dir', str(tmp_path / 'xmt'),
              '--cfg-options', *SMALL, *flow,
              *[f'model.teachers.{n}.ckpt={c}' for n, c in ckpts.items()])
    assert 'distill.loss_xmt' in log
    assert 'student.loss_cls' not in log  # label-free
    assert 'rgb.acc/top1' in log and 'flow.acc/top1' in log

    state = torch.load(tmp_path / 'xmt' / 'epoch_1.pth')['state_dict']
    for name, path in ckpts.items():  # frozen teachers, saved unchanged
        for key, value in torch.load(path)['state_dict'].items():
            assert torch.equal(state[f'teachers.{name}.{key}'], value), key
    student = str(tmp_path / 'student.pth')
    result = run_python(args=[
        'tools/convert_kd_ckpt_to_student.py',
        str(tmp_path / 'xmt' / 'epoch_1.pth'), '--out', student, '--verify',
        RGB_CFG])
    assert result.returncode == 0, result.stdout + result.stderr
