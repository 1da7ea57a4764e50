"""Fix: a process killed while saving a checkpoint leaves the previous
complete checkpoint, not a truncated file."""
import signal

import torch
from conftest import run_python

# Saves a good checkpoint, then makes every binary write die half-way
# (SIGKILL) and saves again over it.
KILLED_WHILE_SAVING = '''
import builtins, os, signal, sys, torch
from mmengine.runner.checkpoint import save_checkpoint
path = sys.argv[1]
save_checkpoint({'state_dict': {'w': torch.zeros(100000)}}, path)

class DiesHalfWay:
    def __init__(self, f):
        self.f = f
    def __enter__(self):
        return self
    def __exit__(self, *args):
        self.f.close()
    def write(self, data):
        self.f.write(data[:len(data) // 2])
        self.f.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    def __getattr__(self, name):
        return getattr(self.f, name)

def dying(opener):
    def wrapped(target, mode='r', *args, **kwargs):
        f = opener(target, mode, *args, **kwargs)
        return DiesHalfWay(f) if 'w' in mode and 'b' in mode else f
    return wrapped

builtins.open, os.fdopen = dying(builtins.open), dying(os.fdopen)
save_checkpoint({'state_dict': {'w': torch.ones(100000)}}, path)
'''


def kill_while_saving(tmp_path, env=None):
    path = str(tmp_path / 'epoch_1.pth')
    result = run_python(args=['-c', KILLED_WHILE_SAVING, path], env=env)
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    return path


def test_truncated_without_fix(tmp_path):
    path = kill_while_saving(
        tmp_path, env={'MMRAZOR_VIDEO_KD_COMPAT': '-atomic_checkpoint'})
    try:
        torch.load(path)
    except Exception:  # noqa: B902
        return
    raise AssertionError('expected a truncated, unreadable checkpoint')


def test_previous_checkpoint_kept_with_fix(tmp_path):
    path = kill_while_saving(tmp_path)
    assert torch.equal(torch.load(path)['state_dict']['w'],
                       torch.zeros(100000))


def test_patched_writes_do_not_import_the_package(tmp_path):
    # The writer lives in mmrazor_video_kd.utils; an MMEngine-only process
    # must not import mmrazor_video_kd (and with it MMRazor) to use it.
    result = run_python(
        'import sys, torch\n'
        'from mmengine.runner.checkpoint import save_checkpoint\n'
        'from mmengine.fileio.backends.local_backend import LocalBackend\n'
        'save_checkpoint({"w": torch.ones(3)}, sys.argv[1])\n'
        'print(LocalBackend.put._mmrazor_video_kd,\n'
        '      sorted(m for m in sys.modules\n'
        '             if m.split(".")[0] in ("mmrazor", "mmrazor_video_kd")\n'
        '             and not m.startswith("mmrazor_video_kd.compat")))\n',
        args=[str(tmp_path / 'a.pth')])
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == 'True []'
    assert torch.equal(torch.load(tmp_path / 'a.pth')['w'], torch.ones(3))
