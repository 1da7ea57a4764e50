"""Fix 4: ``--launcher pytorch`` / ``--launcher slurm`` on CPU-only nodes:
real 2-process gloo groups through MMEngine's ``init_dist`` and DDP."""
import pytest
import torch
from conftest import run_python, run_tool

if torch.cuda.is_available():
    pytest.skip('the fix only acts without CUDA', allow_module_level=True)

# Each rank: init through MMEngine, wrap a CPU model in MMEngine's DDP
# wrapper the way Runner.wrap_model does, all-reduce, and check the sum.
WORKER = '''
import os, sys, torch
from mmengine.dist import init_dist, all_reduce, get_rank, get_world_size
from mmengine.model import MMDistributedDataParallel
init_dist(sys.argv[1], backend='nccl')
model = MMDistributedDataParallel(
    module=torch.nn.Linear(2, 2), device_ids=[int(os.environ['LOCAL_RANK'])])
x = torch.tensor([get_rank() + 1.0])
all_reduce(x)
print(f'rank {get_rank()}/{get_world_size()} sum {x.item()}', flush=True)
'''


@pytest.fixture
def worker(tmp_path):
    path = tmp_path / 'worker.py'
    path.write_text(WORKER)
    return str(path)


def torchrun(worker, env=None):
    return run_tool('torchrun', [
        '--nproc_per_node=2', '--master_port=29561', worker, 'pytorch'
    ], env=env, timeout=300)


def test_pytorch_launcher_fails_without_fix(worker):
    result = torchrun(worker, env={'MMRAZOR_VIDEO_KD_COMPAT': '-cpu_launchers'})
    assert result.returncode != 0
    assert 'sum 3.0' not in result.stdout


def test_pytorch_launcher_runs_two_gloo_ranks_with_fix(worker):
    result = torchrun(worker)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'rank 0/2 sum 3.0' in result.stdout
    assert 'rank 1/2 sum 3.0' in result.stdout


def slurm_env(proc_id):
    return {'SLURM_PROCID': str(proc_id), 'SLURM_NTASKS': '2',
            'SLURM_LOCALID': str(proc_id), 'SLURM_NODELIST': 'localhost',
            'MASTER_ADDR': '127.0.0.1', 'MASTER_PORT': '29563'}


def test_slurm_launcher_runs_two_gloo_ranks_with_fix(worker):
    """The environment srun gives each task, for two tasks on one node."""
    import subprocess
    import sys
    procs = [subprocess.Popen(
        [sys.executable, worker, 'slurm'], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
        env={**__import__('os').environ, **slurm_env(rank)})
        for rank in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err[-3000:]
    assert 'rank 0/2 sum 3.0' in outputs[0][0]
    assert 'rank 1/2 sum 3.0' in outputs[1][0]


def test_slurm_launcher_fails_without_fix(worker):
    result = run_python(args=[worker, 'slurm'], env={
        **slurm_env(0), 'SLURM_NTASKS': '1',
        'MMRAZOR_VIDEO_KD_COMPAT': '-cpu_launchers'}, timeout=120)
    assert result.returncode != 0
    assert 'sum' not in result.stdout
