"""load_package_module: a stdlib-only module of the package, loaded without
importing the package (as the compat layer does at start-up)."""
import sys

import pytest
from conftest import run_python

from mmrazor_video_kd.compat.import_hooks import load_package_module

WRITER = 'mmrazor_video_kd.utils.checkpoints.atomic_save'


def test_returns_the_imported_module():
    import mmrazor_video_kd.utils.checkpoints.atomic_save as imported
    assert load_package_module(WRITER) is sys.modules[WRITER] is imported


def test_loads_a_private_copy_without_the_package():
    result = run_python(
        'import sys\n'
        '# loaded at start-up without mmrazor_video_kd/__init__.py\n'
        'hooks = sys.modules["mmrazor_video_kd.compat"].import_hooks\n'
        f'module = hooks.load_package_module({WRITER!r})\n'
        'print(module.atomic_write_bytes.__name__,\n'
        '      sorted(m for m in sys.modules\n'
        '             if m.split(".")[0] in ("mmrazor", "mmrazor_video_kd")\n'
        '             and not m.startswith("mmrazor_video_kd.compat")))\n')
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == 'atomic_write_bytes []'


@pytest.mark.parametrize('name', ['mmengine.fileio', 'mmrazor_video_kd'])
def test_refuses_other_packages(name):
    with pytest.raises(ValueError, match='is not a module of'):
        load_package_module(name)
