"""Fix: ``mmaction.utils.register_all_modules()`` fails with mmaction2 1.2.0.

The wheel and sdist on the package index lack
``mmaction/models/localizers/drn/``, which ``mmaction.models.localizers``
imports, so ``import mmaction.models`` raises ``ModuleNotFoundError``. A
stand-in package provides ``DRN``, registered under its name, that raises a
clear error if someone builds it; every other model works.
"""
import types

PACKAGE = 'mmaction.models.localizers.drn'
MODULE = PACKAGE + '.drn'


def make_package(name: str, error: BaseException) -> types.ModuleType:
    """Empty package standing in for ``mmaction.models.localizers.drn``."""
    module = types.ModuleType(name)
    module.__path__ = []
    return module


def make_drn_module(name: str, error: BaseException) -> types.ModuleType:
    """Module providing a placeholder ``DRN`` class."""
    from mmaction.registry import MODELS

    class DRN:
        """Placeholder for MMAction2's DRN localizer, absent from the
        mmaction2 1.2.0 release files."""

        def __init__(self, *args, **kwargs):
            raise ImportError(
                'DRN is not available: the mmaction2 1.2.0 release on the '
                'package index lacks mmaction/models/localizers/drn/. '
                'Install mmaction2 from source to use DRN.')

    module = types.ModuleType(name)
    module.DRN = MODELS.register_module(name='DRN', module=DRN)
    return module


def install(hooks) -> None:
    """Register the stand-ins with the import hooks."""
    hooks.fallback_module(PACKAGE, make_package)
    hooks.fallback_module(MODULE, make_drn_module)
