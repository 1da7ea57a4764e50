"""MMRazor's own distillation unit tests in this environment (see
docs/compatibility.md): with the compat layer on, only the documented
upstream failure remains; off, MMRazor does not import.

Needs a local git directory of open-mmlab/mmrazor in ``MMRAZOR_GIT_DIR``
(nothing is downloaded); skipped without one.
"""
import os
import os.path as osp
import subprocess

import pytest
from conftest import REPO

GIT_DIR = os.environ.get('MMRAZOR_GIT_DIR', '')
SCRIPT = osp.join(REPO, 'tools', 'analysis', 'run_mmrazor_tests.sh')

pytestmark = pytest.mark.skipif(
    not osp.isdir(GIT_DIR),
    reason='MMRAZOR_GIT_DIR names no git directory of open-mmlab/mmrazor')


def test_only_the_documented_upstream_failure_remains(tmp_path):
    result = subprocess.run(['bash', SCRIPT, GIT_DIR, 'v1.0.0',
                             str(tmp_path)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    on, off = result.stdout.split('== MMRAZOR_VIDEO_KD_COMPAT=0')
    failed = sorted(line.split()[-1] for line in on.splitlines()
                    if ' FAILED ' in line or ' ERROR ' in line)
    assert failed == [
        'tests/test_models/test_losses/test_distillation_losses.py'
        '::TestLosses::test_dafl_loss'
    ], on
    assert ' 40 passed' in on, on
    assert '15 errors' in off and 'torch>=1.13' in off, off
