"""Fix: a training step under bf16 autocast works in MMAction2 heads."""
from conftest import run_python

CHECK = '''
import torch
from mmengine.registry import init_default_scope
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
import mmrazor_video_kd
from mmrazor_video_kd.models.builders import model_from_config
model = model_from_config(
    'configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py')
x = torch.randn(2, 8, 3, 32, 32)
samples = [ActionDataSample().set_gt_label(i) for i in (0, 1)]
try:
    with torch.autocast('cpu', dtype=torch.bfloat16):
        losses = model(x, samples, mode='loss')
    losses['loss_cls'].backward()
    print('loss', losses['loss_cls'].dtype, float(losses['loss_cls']))
except TypeError as error:
    print('error', error)
'''


def test_bf16_step_fails_without_fix():
    result = run_python(CHECK, env={
        'MMRAZOR_VIDEO_KD_COMPAT': '-bf16_head_metrics'})
    assert 'error Got unsupported ScalarType BFloat16' in result.stdout, \
        result.stdout + result.stderr[-2000:]


def test_bf16_step_works_with_fix():
    result = run_python(CHECK)
    assert 'loss torch.float32' in result.stdout, \
        result.stdout + result.stderr[-2000:]
