"""A real single-node Slurm cluster (Debian's slurm-wlm + munge on
localhost, see tools/ci/slurm_cluster.sh): ``tools/slurm_train.sh`` trains a
distillation config with 2 tasks (gloo, no GPUs) through
``--launcher slurm``, then ``tools/slurm_test.sh`` tests the student."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest
from conftest import REPO

from test_training_runs import _logs, motions, override, student  # noqa: F401,E501

CLUSTER = osp.join(REPO, 'tools', 'ci', 'slurm_cluster.sh')


def sh(*args, env=None, timeout=600):
    return subprocess.run(['bash', *args], cwd=REPO, env=env, text=True,
                          capture_output=True, timeout=timeout)


@pytest.fixture(scope='module')
def slurm():
    """Install (as root), start, and afterwards stop the cluster."""
    if shutil.which('slurmctld') is None and os.geteuid() != 0:
        pytest.skip('Slurm is not installed and installing needs root')
    already_up = subprocess.run(['pgrep', '-x', 'slurmctld'],
                                capture_output=True).returncode == 0
    started = sh(CLUSTER, 'start')
    if started.returncode != 0:
        pytest.skip('could not install or start a local Slurm cluster: '
                    + (started.stdout + started.stderr)[-1000:])
    yield
    if not already_up:
        sh(CLUSTER, 'stop')


def test_slurm_train_two_tasks_then_test(slurm, tmp_path, motions):  # noqa: F811,E501
    env = dict(os.environ, GPUS='2', GPUS_PER_NODE='0', CPUS_PER_TASK='1',
               MASTER_ADDR='127.0.0.1', MASTER_PORT='29583',
               PATH=osp.dirname(sys.executable) + os.pathsep +
               os.environ['PATH'])
    work = str(tmp_path / 'slurm')
    cfg = override(tmp_path, motions, 'slurm', batch=4, epochs=1)
    result = sh('tools/slurm_train.sh', 'debug', 'kd-ci', cfg, work,
                env=env, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    [log] = list(_logs(work))
    text = open(log).read()
    assert 'Distributed launcher: slurm' in text
    assert 'Epoch(train) [1][4/4]' in text  # 32 clips / (2 tasks x 4)
    assert student(osp.join(work, 'epoch_1.pth'))

    converted = str(tmp_path / 'student.pth')
    subprocess.run([
        sys.executable, 'tools/convert_kd_ckpt_to_student.py',
        osp.join(work, 'epoch_1.pth'), '--out', converted
    ], cwd=REPO, check=True, capture_output=True)
    student_cfg = tmp_path / 'student_test.py'
    student_cfg.write_text(
        f"_base_ = [{osp.join(REPO, 'configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py')!r}]\n"  # noqa: E501
        f"test_dataloader = dict(num_workers=0, persistent_workers=False, "
        f"dataset=dict(ann_file={motions!r} + '/val_list.txt', "
        f"data_prefix=dict(video={motions!r})))\n")
    result = sh('tools/slurm_test.sh', 'debug', 'kd-ci-test',
                str(student_cfg), converted, '--work-dir',
                str(tmp_path / 'slurm_test'), env=env, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert 'acc/top1' in result.stdout + result.stderr
