"""Fix: MMRazor's ``KDSoftCELoss`` needs ``mmcls``, which is now
``mmpretrain``.

``mmrazor/models/losses/kd_soft_ce_loss.py`` imports
``soft_cross_entropy`` from ``mmcls.models.losses.cross_entropy_loss``; with
only mmpretrain installed (MMClassification's new name) the import fails,
MMRazor substitutes a placeholder, and the loss fails at its first call
(``PlaceHolder.__init__() got an unexpected keyword argument
'reduction'``). With this fix, when ``mmcls`` is missing, stand-in packages
``mmcls``, ``mmcls.models``, ``mmcls.models.losses`` and the module
``mmcls.models.losses.cross_entropy_loss`` provide the loss functions of
mmpretrain's module of the same path. They import mmpretrain when first
called, so importing MMRazor stays as fast as before. Nothing else of
``mmcls`` is provided: MMRazor's image-classification parts still fall back
to their placeholders. An installed ``mmcls`` is used as it is.
"""
import functools
import importlib
import types

PACKAGES = ('mmcls', 'mmcls.models', 'mmcls.models.losses')
MODULE = 'mmcls.models.losses.cross_entropy_loss'
TARGET = 'mmpretrain.models.losses.cross_entropy_loss'
FUNCTIONS = ('cross_entropy', 'soft_cross_entropy', 'binary_cross_entropy')


def make_package(name: str, error: BaseException) -> types.ModuleType:
    """An empty package standing in for a part of ``mmcls``."""
    module = types.ModuleType(name)
    module.__path__ = []
    return module


def _forward_to_mmpretrain(name: str):
    """A function calling ``mmpretrain``'s function ``name``, imported on
    first call."""

    def function(*args, **kwargs):
        try:
            target = importlib.import_module(TARGET)
        except ImportError as error:
            raise ImportError(
                f'{MODULE}.{name} stands in for {TARGET}.{name}, but '
                f'mmpretrain cannot be imported ({error}); install '
                'mmpretrain (or mmcls)') from error
        return getattr(target, name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__module__ = MODULE
    function.__doc__ = f'``{TARGET}.{name}``, imported when first called.'
    return functools.update_wrapper(function, function)


def make_losses_module(name: str, error: BaseException) -> types.ModuleType:
    """``mmcls.models.losses.cross_entropy_loss`` forwarding its loss
    functions to mmpretrain."""
    module = types.ModuleType(name)
    for function in FUNCTIONS:
        setattr(module, function, _forward_to_mmpretrain(function))
    return module


def install(hooks) -> None:
    """Register the stand-ins with the import hooks."""
    for package in PACKAGES:
        hooks.fallback_module(package, make_package)
    hooks.fallback_module(MODULE, make_losses_module)
