"""Fix 1: ``import mmrazor.models`` on torch >= 2.0."""
from conftest import run_python

IMPORT = 'import mmrazor.models; print("imported")'


def test_fails_without_fix():
    result = run_python(
        IMPORT, env={'MMRAZOR_VIDEO_KD_COMPAT': '-mmrazor_quantization'})
    assert result.returncode != 0
    assert 'ImportError' in result.stderr


def test_imports_with_fix():
    result = run_python(IMPORT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'imported' in result.stdout


def test_quantization_names_raise_a_clear_error_when_used():
    result = run_python(
        'import mmrazor.structures.quantization as q\n'
        'try:\n'
        '    q.QConfigHandler(dict())\n'
        'except ImportError as e:\n'
        '    print("ERR", e)\n')
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'ERR mmrazor.structures.quantization.QConfigHandler is ' \
        'unavailable' in result.stdout
    assert 'Distillation does not use it' in result.stdout
