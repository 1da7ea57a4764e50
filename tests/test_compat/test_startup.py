"""The compat layer is active from interpreter start, and cheap there."""
from conftest import run_python

LIST_MODULES = 'import sys, json; print(json.dumps(sorted(sys.modules)))'


def test_startup_hook_installs_fixes_without_heavy_imports():
    result = run_python(LIST_MODULES)
    assert result.returncode == 0, result.stderr
    modules = set(eval(result.stdout))
    assert 'mmrazor_video_kd_startup' in modules
    assert 'mmrazor_video_kd.compat.safe_checkpoint' in modules
    heavy = {'torch', 'numpy', 'mmengine', 'mmrazor', 'mmaction',
             'mmrazor_video_kd'} & modules
    assert not heavy, f'start-up imported {heavy}'


def test_switching_off_installs_nothing():
    result = run_python(LIST_MODULES, env={'MMRAZOR_VIDEO_KD_COMPAT': '0'})
    assert 'mmrazor_video_kd.compat.safe_checkpoint' not in result.stdout


def test_all_upstream_entry_points_import():
    result = run_python(
        'import mmrazor.models, mmrazor.engine, mmaction.models\n'
        'from mmaction.utils import register_all_modules\n'
        'register_all_modules()\n'
        'from mmrazor.models import (SingleTeacherDistill, '
        'ConfigurableDistiller, KLDivergence, DISTLoss, ConvModuleConnector)\n'
        'from mmrazor.engine import (SingleTeacherDistillValLoop, '
        'StopDistillHook)\n'
        'from mmrazor.models.task_modules import ModuleOutputsRecorder\n'
        'print("ok")')
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith('ok')


def test_unknown_fix_name_is_reported():
    result = run_python('import mmrazor_video_kd',
                        env={'MMRAZOR_VIDEO_KD_COMPAT': '-no_such_fix'})
    assert 'no_such_fix' in result.stderr
