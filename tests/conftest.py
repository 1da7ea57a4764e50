"""Shared fixtures: paths, and running code in a fresh interpreter."""
import importlib.util
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED_DATA = osp.join(osp.dirname(REPO), 'shared', 'data')
AVLETTERS = osp.join(SHARED_DATA, 'avletters')


def load_script(path):
    """A script of the repository (``path`` relative to it) as a module."""
    name = osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, osp.join(REPO, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_python(code=None, args=(), env=None, cwd=REPO, timeout=600):
    """Run ``python -c code`` (or ``python *args``) in a new interpreter of
    this environment, so start-up hooks and environment switches apply."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    command = [sys.executable] + (['-c', code] if code else []) + list(args)
    return subprocess.run(command, cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def run_tool(tool, args=(), env=None, timeout=900):
    """Run an executable of this environment's ``bin`` (e.g. ``mim``)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    command = [osp.join(osp.dirname(sys.executable), tool)] + list(args)
    return subprocess.run(command, cwd=REPO, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope='session')
def avletters():
    """Path of the real AVLetters videos beside the repository."""
    if not osp.isdir(AVLETTERS):
        pytest.fail(f'real test data missing: {AVLETTERS}')
    return AVLETTERS


def mim(*args):
    """``mim ARGS --gpus 0`` (CPU); fails the test with the output's tail.
    Returns stdout + stderr."""
    result = run_tool('mim', [*args, '--gpus', '0'])
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout + result.stderr


RANDOM_RECOGNIZER_CKPT = '''
import sys, torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
import mmrazor_video_kd
from mmaction.registry import MODELS
init_default_scope('mmaction')
torch.manual_seed(0)
cfg = Config.fromfile(sys.argv[1])
torch.save({'state_dict': MODELS.build(cfg.model).state_dict()}, sys.argv[2])
'''


def save_random_recognizer(config, path):
    """Save the recognizer of ``config`` (seed 0, random init) as a
    checkpoint at ``path``, in a new interpreter."""
    result = run_python(code=RANDOM_RECOGNIZER_CKPT, args=[config, path])
    assert result.returncode == 0, result.stderr[-3000:]


#: ``--cfg-options`` for a short real run: 16 training and 8 validation
#: samples, batches of 8, no workers, no best-checkpoint tracking.
SHORT_DATA = [
    'train_dataloader.dataset.indices=16', 'val_dataloader.dataset.indices=8',
    'train_dataloader.batch_size=8', 'val_dataloader.batch_size=8',
    'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'val_dataloader.persistent_workers=False',
    'default_hooks.checkpoint.save_best=None'
]


def epochs(n):
    """``--cfg-options`` for ``n`` epochs of the cosine schedule."""
    return [f'train_cfg.max_epochs={n}', f'param_scheduler.0.T_max={n}',
            f'param_scheduler.0.end={n}']


def free_port():
    """A TCP port of this machine that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def spawn_ranks(run_rank, tmp_dir, nprocs=2):
    """Run ``run_rank(rank, port, tmp_dir)`` in ``nprocs`` processes (one
    gloo process group on a free port) and return what each saved with
    ``torch.save(result, osp.join(tmp_dir, f'{rank}.pt'))``."""
    import torch
    import torch.multiprocessing as mp
    mp.spawn(run_rank, args=(free_port(), tmp_dir), nprocs=nprocs)
    return [torch.load(osp.join(tmp_dir, f'{rank}.pt'))
            for rank in range(nprocs)]
