"""Checkpoint writes that leave either the old or the new complete file.

Only the standard library is imported at module level: the ``compat`` layer
loads this module at interpreter start-up to make MMEngine's local writes
atomic.
"""
import io
import os
import os.path as osp
import tempfile


def atomic_write_bytes(data: bytes, path: str) -> None:
    """Write ``data`` to ``path`` atomically.

    The bytes go to a temporary file in the same directory, are flushed to
    disk, and the file is renamed over ``path`` in one step
    (``os.replace``): a process killed while writing leaves the previous
    file, never a truncated one.

    Args:
        data (bytes): The content.
        path (str): The target file; its directory is created if missing.
    """
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
    """``torch.save(obj, path)`` atomically (see :func:`atomic_write_bytes`).

    Args:
        obj: What to save.
        path (str): The target file.
    """
    import torch
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    atomic_write_bytes(buffer.getvalue(), path)
