"""Fix: ``import mmrazor.models`` fails on torch >= 2.0.

``mmrazor.structures.quantization`` builds tables from torch quantization
internals that newer torch releases removed (``reverse2``,
``backend_config.utils``, ``nnqr.Conv1d`` ...), and ``mmrazor.structures``
imports it unconditionally, so every ``mmrazor.models`` import fails.
Distillation never uses quantization. When the real module fails to import,
it is replaced by a stand-in whose names raise a clear ``ImportError`` when
used. Upstream: open-mmlab/mmrazor issues 615, 632, 652.
"""
import types

MODULE = 'mmrazor.structures.quantization'


class _Unavailable:
    """Placeholder for a name of the unavailable quantization module."""

    def __init__(self, name: str, reason: str):
        self._name = name
        self._reason = reason

    def __call__(self, *args, **kwargs):
        raise ImportError(
            f'{MODULE}.{self._name} is unavailable with this torch release '
            f'({self._reason}); MMRazor quantization needs torch < 2.0. '
            'Distillation does not use it.')

    def __getattr__(self, attr):
        if attr.startswith('__'):
            raise AttributeError(attr)
        self()


def make_stand_in(name: str, error: BaseException) -> types.ModuleType:
    """Build the stand-in module for ``mmrazor.structures.quantization``."""
    module = types.ModuleType(name)
    reason = f'{type(error).__name__}: {error}'
    module.__all__ = []
    module.__path__ = []
    module.IMPORT_ERROR = reason

    def __getattr__(attr):
        if attr.startswith('__'):
            raise AttributeError(attr)
        return _Unavailable(attr, reason)

    module.__getattr__ = __getattr__
    return module


def install(hooks) -> None:
    """Register the stand-in with the import hooks."""
    hooks.fallback_module(MODULE, make_stand_in)
