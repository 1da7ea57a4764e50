"""Fix 3: MMEngine checkpoints under ``weights_only=True``, and refusal of
checkpoints that smuggle callables."""
import os.path as osp
import pickle

import pytest
from conftest import run_python

# Writes an MMEngine-style checkpoint: a real MessageHub state (HistoryBuffer
# with numpy arrays, pickled statistics methods) and numpy scalars.
WRITE = '''
import sys, numpy as np, torch
from mmengine.logging import MessageHub
hub = MessageHub.get_instance('t')
for i in range(3):
    hub.update_scalar('train/loss', float(i))
torch.save({'meta': {'epoch': 1, 'seed': np.int64(3), 'lr': np.float32(0.5),
                     'dtype': np.dtype('float32')},
            'message_hub': hub.state_dict(),
            'state_dict': {'w': torch.ones(2)}}, sys.argv[1])
'''
LOAD = '''
import sys, torch
ckpt = torch.load(sys.argv[1])
print('loaded', ckpt['message_hub']['log_scalars']['train/loss'].mean())
'''


@pytest.fixture
def mmengine_ckpt(tmp_path):
    path = str(tmp_path / 'epoch_1.pth')
    result = run_python(args=['-c', WRITE, path])
    assert result.returncode == 0, result.stderr[-2000:]
    return path


def test_mmengine_checkpoint_fails_without_fix(mmengine_ckpt):
    result = run_python(args=['-c', LOAD, mmengine_ckpt],
                        env={'MMRAZOR_VIDEO_KD_COMPAT': '-safe_checkpoint'})
    assert result.returncode != 0
    assert 'Weights only load failed' in result.stderr


def test_mmengine_checkpoint_loads_with_fix(mmengine_ckpt):
    result = run_python(args=['-c', LOAD, mmengine_ckpt])
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'loaded 1.0' in result.stdout


class _RunsShell:
    """Unpickling this calls ``os.system``."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        import os
        return os.system, (self.command, )


class _WalksGetattr:
    """Unpickling this calls ``getattr(HistoryBuffer, '__init__')``."""

    def __reduce__(self):
        from mmengine.logging import HistoryBuffer
        return getattr, (HistoryBuffer, '__init__')


@pytest.mark.parametrize('payload', ['system', 'getattr'])
def test_smuggled_callable_is_refused(tmp_path, payload):
    import torch
    marker = tmp_path / 'pwned'
    evil = (_RunsShell(f'touch {marker}')
            if payload == 'system' else _WalksGetattr())
    path = str(tmp_path / 'evil.pth')
    with open(path, 'wb') as f:
        torch.save({'state_dict': {}, 'x': evil}, f, pickle_module=pickle)
    result = run_python(args=['-c', LOAD, path])
    assert result.returncode != 0
    assert f'Refused to load checkpoint {path!r}' in result.stderr
    assert not osp.exists(marker)


def test_restricted_getattr_only_answers_history_buffer_statistics():
    from mmengine.logging import HistoryBuffer

    from mmrazor_video_kd.compat.safe_checkpoint import restricted_getattr
    assert restricted_getattr(HistoryBuffer, 'mean') is HistoryBuffer.mean
    for obj, name in [(HistoryBuffer, '__init__'), (HistoryBuffer, 'update'),
                      (osp, 'join'), (HistoryBuffer.mean, '__globals__')]:
        with pytest.raises(pickle.UnpicklingError, match='allow-list'):
            restricted_getattr(obj, name)
