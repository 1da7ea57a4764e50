"""Fix 2: ``register_all_modules()`` with the mmaction2 1.2.0 wheel."""
from conftest import run_python

REGISTER = ('from mmaction.utils import register_all_modules\n'
            'register_all_modules(); print("registered")')


def test_fails_without_fix():
    result = run_python(
        REGISTER, env={'MMRAZOR_VIDEO_KD_COMPAT': '-mmaction_drn'})
    assert result.returncode != 0
    assert "No module named 'mmaction.models.localizers.drn'" in result.stderr


def test_registers_with_fix_and_drn_fails_clearly():
    result = run_python(
        REGISTER + '\nfrom mmaction.registry import MODELS\n'
        'try:\n'
        '    MODELS.build(dict(type="DRN"))\n'
        'except ImportError as e:\n'
        '    print("ERR", e)\n'
        'print(MODELS.get("TSN") is None, MODELS.get("Recognizer2D"))')
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'registered' in result.stdout
    assert 'ERR DRN is not available' in result.stdout
    assert 'Recognizer2D' in result.stdout
