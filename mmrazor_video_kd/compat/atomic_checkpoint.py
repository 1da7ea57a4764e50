"""Deliberate change: MMEngine's local checkpoint writes become atomic.

MMEngine writes checkpoints to local disk with ``LocalBackend.put``, which
opens the final path and writes into it: a kill (SIGKILL, out of memory, a
pre-empted node) during the write leaves a truncated file where a good
checkpoint may have been. With this patch local writes go through
:func:`mmrazor_video_kd.utils.checkpoints.atomic_save.atomic_write_bytes`
(a temporary file in the same directory, flushed, then renamed over the
target), so the path holds either the old or the new complete file.
"""
import functools

MODULE = 'mmengine.fileio.backends.local_backend'
WRITER = 'mmrazor_video_kd.utils.checkpoints.atomic_save'


def patch_local_backend(module, hooks) -> None:
    """Make ``LocalBackend.put`` atomic."""
    cls = module.LocalBackend
    if getattr(cls.put, '_mmrazor_video_kd', False):
        return
    write = hooks.load_package_module(WRITER).atomic_write_bytes

    @functools.wraps(cls.put)
    def put(self, obj: bytes, filepath) -> None:
        write(obj, str(filepath))

    put._mmrazor_video_kd = True
    cls.put = put


def install(hooks) -> None:
    """Patch the backend once it is imported."""
    hooks.when_imported(MODULE,
                        functools.partial(patch_local_backend, hooks=hooks))
