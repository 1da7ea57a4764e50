"""Fix: a process killed while saving leaves a truncated checkpoint.

MMEngine writes checkpoints to local disk with ``LocalBackend.put``, which
opens the final path and writes into it: a kill (SIGKILL, out of memory, a
pre-empted node) during the write leaves a truncated file where a good
checkpoint may have been. With this fix local writes go to a temporary file
in the same directory, are flushed to disk, and are renamed over the target
in one step (``os.replace``), so the path holds either the old or the new
complete file.
"""
import functools
import os
import os.path as osp
import tempfile

MODULE = 'mmengine.fileio.backends.local_backend'


def atomic_write_bytes(data: bytes, path: str) -> None:
    """Write ``data`` to ``path`` atomically."""
    directory = osp.dirname(osp.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=osp.basename(path) + '.', suffix='.tmp',
                               dir=directory)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def atomic_torch_save(obj, path: str) -> None:
    """``torch.save`` to ``path`` atomically (see
    :func:`atomic_write_bytes`)."""
    import io

    import torch
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    atomic_write_bytes(buffer.getvalue(), path)


def patch_local_backend(module) -> None:
    """Make ``LocalBackend.put`` atomic."""
    cls = module.LocalBackend
    if getattr(cls.put, '_mmrazor_video_kd', False):
        return

    @functools.wraps(cls.put)
    def put(self, obj: bytes, filepath) -> None:
        atomic_write_bytes(obj, str(filepath))

    put._mmrazor_video_kd = True
    cls.put = put


def install(hooks) -> None:
    """Patch the backend once it is imported."""
    hooks.when_imported(MODULE, patch_local_backend)
