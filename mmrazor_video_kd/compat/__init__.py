"""Fixes for upstream incompatibilities of MMRazor 1.0 / MMAction2 1.2 /
MMEngine 0.10 with current PyTorch, applied lazily through import hooks.

Each fix lives in its own module with an ``install(hooks)`` function:

=======================  ==================================================
``mmrazor_quantization``  ``import mmrazor.models`` fails on torch >= 2.0
``mmaction_drn``          mmaction2 1.2.0 wheel lacks ``localizers/drn``
``safe_checkpoint``       ``weights_only=True`` refuses MMEngine checkpoints
``cpu_launchers``         ``--launcher pytorch|slurm`` need CUDA
``recorder_sources``      deliberate change: a wrong recorder ``source``
                          names the closest modules (still an assert)
``atomic_checkpoint``     deliberate change: MMEngine's local checkpoint
                          writes are atomic
``bf16_head_metrics``     bf16 autocast fails in MMAction2 heads (NumPy)
``cpu_amp``               ``AmpOptimWrapper`` (``--amp``) asserts CUDA; bf16
                          autocast on CPUs
``mmcls_alias``           MMRazor's ``KDSoftCELoss`` needs ``mmcls`` (now
                          ``mmpretrain``)
``local_rank_arg``        ``mim train mmrazor --launcher pytorch``: MMRazor's
                          scripts refuse torch's ``--local-rank=N``
=======================  ==================================================

Fix modules import only the standard library until the module they patch is
imported; they may use the core (``mmrazor_video_kd.utils``), which never
imports this package (``tests/test_package_layering.py``).

The package installs ``mmrazor_video_kd_startup.pth``, which calls
:func:`install` at interpreter start, so the fixes are active before MMRazor's
own ``tools/train.py`` (run by ``mim train mmrazor``) imports anything. Only
the standard library is imported until a patched module is imported.

Set ``MMRAZOR_VIDEO_KD_COMPAT=0`` to switch every fix off, or
``MMRAZOR_VIDEO_KD_COMPAT=-safe_checkpoint,-cpu_launchers`` to switch off
some.
"""
import importlib
import os

# Not ``from . import import_hooks``: at start-up this package is loaded
# without its parent, and a relative import would import the parent
# (``mmrazor_video_kd``, which imports MMRazor). Fix modules take ``hooks`` as
# an argument for the same reason.
import_hooks = importlib.import_module(f'{__name__}.import_hooks')

FIXES = ('mmrazor_quantization', 'mmaction_drn', 'safe_checkpoint',
         'cpu_launchers', 'recorder_sources', 'atomic_checkpoint',
         'bf16_head_metrics', 'cpu_amp', 'mmcls_alias', 'local_rank_arg')
ENV_VAR = 'MMRAZOR_VIDEO_KD_COMPAT'

_installed = set()


def enabled_fixes(setting=None) -> tuple:
    """Fixes enabled by ``MMRAZOR_VIDEO_KD_COMPAT`` (all by default).

    Args:
        setting (str, optional): Value to parse instead of the environment.
    """
    setting = os.environ.get(ENV_VAR, '1') if setting is None else setting
    if setting.strip() in ('0', 'off', 'false'):
        return ()
    disabled = {item.strip()[1:] for item in setting.split(',')
                if item.strip().startswith('-')}
    unknown = disabled - set(FIXES)
    if unknown:
        raise ValueError(f'{ENV_VAR} names unknown fixes {sorted(unknown)}; '
                         f'known: {", ".join(FIXES)}')
    return tuple(fix for fix in FIXES if fix not in disabled)


def install(setting=None) -> tuple:
    """Install the enabled fixes (idempotent). Returns the installed names."""
    for name in enabled_fixes(setting):
        if name not in _installed:
            importlib.import_module(f'{__name__}.{name}').install(import_hooks)
            _installed.add(name)
    return tuple(sorted(_installed))
