"""Fix: checkpoints fail to load under torch's ``weights_only=True`` default.

torch >= 2.6 unpickles with ``weights_only=True``. MMEngine 0.10.7
checkpoints hold ``mmengine.logging.HistoryBuffer``, numpy arrays, scalars
and dtypes, and ``builtins.getattr`` (HistoryBuffer's statistics methods are
pickled as ``getattr(HistoryBuffer, 'min')``), so ``--resume``,
``load_from``, teacher checkpoints and MMRazor's converter fail.

This module keeps ``weights_only=True`` and allow-lists exactly those types.
``getattr`` is answered by :func:`restricted_getattr`, which only resolves
the (class, attribute) pairs MMEngine pickles: the real ``getattr`` would let
a crafted file reach ``__globals__`` and run code. A checkpoint that names
anything else (``os.system``, say) is refused with an error naming the file.
"""
import functools
import pickle

#: Attributes of HistoryBuffer that MMEngine pickles through ``getattr``.
HISTORY_BUFFER_METHODS = frozenset({'min', 'max', 'mean', 'current'})

_REGISTERED = False


def restricted_getattr(obj, name):
    """``getattr`` limited to the statistics methods of ``HistoryBuffer``.

    Args:
        obj: The object named by the checkpoint.
        name (str): The attribute name.

    Raises:
        pickle.UnpicklingError: For any other (object, attribute) pair.
    """
    from mmengine.logging import HistoryBuffer
    if obj is HistoryBuffer and name in HISTORY_BUFFER_METHODS:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'checkpoint asks for getattr({obj!r}, {name!r}), which is not on '
        'the allow-list of mmrazor_video_kd.compat.safe_checkpoint')


def safe_globals() -> list:
    """The globals MMEngine checkpoints need, for ``add_safe_globals``."""
    import numpy as np
    multiarray = getattr(np, '_core', None) or np.core
    allowed = [np.ndarray, np.dtype, multiarray.multiarray._reconstruct,
               multiarray.multiarray.scalar,
               (restricted_getattr, 'builtins.getattr')]
    allowed += [cls for cls in vars(np.dtypes).values()
                if isinstance(cls, type) and issubclass(cls, np.dtype)]
    import codecs
    allowed.append((codecs.encode, '_codecs.encode'))
    try:
        from mmengine.logging import HistoryBuffer
        allowed.append(HistoryBuffer)
    except ImportError:
        pass
    return allowed


def register_safe_globals() -> None:
    """Add :func:`safe_globals` to torch's allow-list (once)."""
    global _REGISTERED
    if not _REGISTERED:
        import torch
        torch.serialization.add_safe_globals(safe_globals())
        _REGISTERED = True


def _describe(f) -> str:
    return repr(str(f)) if isinstance(f, (str, bytes)) or hasattr(
        f, '__fspath__') else type(f).__name__


def wrap_load(load):
    """Wrap ``torch.load``: allow-list on first use, name the file on refusal.

    Args:
        load (callable): The original ``torch.load``.
    """
    if getattr(load, '_mmrazor_video_kd', False):
        return load

    @functools.wraps(load)
    def safe_load(f, *args, **kwargs):
        register_safe_globals()
        try:
            return load(f, *args, **kwargs)
        except pickle.UnpicklingError as error:
            raise pickle.UnpicklingError(
                f'Refused to load checkpoint {_describe(f)}: it asks for a '
                'Python object that is not on the weights_only allow-list '
                '(torch, numpy arrays and dtypes, mmengine HistoryBuffer). '
                'If you trust this file, load it yourself with '
                f'torch.load(..., weights_only=False). Detail: {error}'
            ) from error

    safe_load._mmrazor_video_kd = True
    return safe_load


def patch_torch(torch_module) -> None:
    """Replace ``torch.load`` by :func:`wrap_load` of itself."""
    torch_module.load = wrap_load(torch_module.load)
    torch_module.serialization.load = torch_module.load


def install(hooks) -> None:
    """Patch ``torch.load`` once torch is imported."""
    hooks.when_imported('torch', patch_torch)
