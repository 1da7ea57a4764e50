"""Fix: a frozen teacher stays in eval mode (no dropout) in training."""
from conftest import run_python

CHECK = '''
import os.path as osp
from mmengine.registry import init_default_scope
from mmrazor.registry import MODELS
import mmrazor_video_kd
cfg = 'configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py'
init_default_scope('mmaction')
model = MODELS.build(dict(
    _scope_='mmrazor', type='SingleTeacherDistill',
    architecture=dict(type='model_from_config', config=cfg),
    teacher=dict(type='model_from_config', config=cfg),
    distiller=dict(type='ConfigurableDistiller')))
model.train()
print('teacher dropout training:', model.teacher.cls_head.dropout.training)
print('student dropout training:', model.architecture.cls_head.dropout.training)
'''


def test_teacher_dropout_active_without_fix():
    result = run_python(CHECK, env={
        'MMRAZOR_VIDEO_KD_COMPAT': '-teacher_eval_mode'})
    assert 'teacher dropout training: True' in result.stdout, result.stderr


def test_teacher_in_eval_mode_with_fix():
    result = run_python(CHECK)
    assert 'teacher dropout training: False' in result.stdout, result.stderr
    assert 'student dropout training: True' in result.stdout
