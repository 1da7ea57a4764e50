"""Fix: ``mim train mmrazor CONFIG --launcher pytorch`` (and ``mim test``)
fail with ``train.py: error: unrecognized arguments: --local-rank=0``.

MIM launches with ``python -m torch.distributed.launch``, which since
PyTorch 2.0 passes ``--local-rank=N`` to the script; MMRazor 1.0's
``tools/train.py``, ``test.py`` and ``ptq.py`` only accept ``--local_rank``
(PyTorch asks scripts to accept both). For a script file whose source
defines ``'--local_rank'`` but not ``'--local-rank'``, the launcher passes
``--local_rank=N`` instead, as PyTorch before 2.0 did. Scripts that accept
the dashed name, and ``torchrun`` (no such argument), are unchanged.
"""
import functools
import os.path as osp

DASHED = '--local-rank='
UNDERSCORED = '--local_rank='


def accepts_only_underscored(script: str) -> bool:
    """Whether the file ``script`` defines ``--local_rank`` only."""
    if not osp.isfile(script):
        return False
    try:
        with open(script, encoding='utf-8') as file:
            source = file.read()
    except (OSError, UnicodeDecodeError):
        return False
    return "'--local_rank'" in source and "'--local-rank'" not in source


def _legacy_local_rank(config_from_args):
    if getattr(config_from_args, '_mmrazor_video_kd', False):
        return config_from_args

    @functools.wraps(config_from_args)
    def wrapper(args):
        config, cmd, cmd_args = config_from_args(args)
        script = getattr(args, 'training_script', None)
        if (not getattr(args, 'module', False) and script
                and accepts_only_underscored(script)):
            cmd_args = [
                UNDERSCORED + a[len(DASHED):] if a.startswith(DASHED) else a
                for a in cmd_args
            ]
        return config, cmd, cmd_args

    wrapper._mmrazor_video_kd = True
    return wrapper


def patch_run(module) -> None:
    """Wrap ``torch.distributed.run.config_from_args``."""
    module.config_from_args = _legacy_local_rank(module.config_from_args)


def install(hooks) -> None:
    """Patch ``torch.distributed.run`` once it is imported."""
    hooks.when_imported('torch.distributed.run', patch_run)
