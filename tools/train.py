"""Train a model or a distillation config: MMRazor's ``tools/train.py``
(the script ``mim train mmrazor`` runs), with this package imported first.

Takes the same arguments, e.g.::

    python tools/train.py CONFIG --work-dir WORK_DIR [--resume] [--amp] \
        [--launcher pytorch|slurm] [--cfg-options KEY=VALUE ...]

``--amp`` switches the config's ``OptimWrapper`` to MMEngine's
``AmpOptimWrapper`` (fp16 with dynamic loss scaling on a GPU, bf16 on a CPU)
for any form of ``optim_wrapper``: with an ``architecture`` sub-config
(MMRazor's form, ``DistillOptimWrapperConstructor``), with a top-level
``type`` or ``constructor``, or with neither (see docs/amp_and_optimizer.md).
"""
import argparse
import os.path as osp
import runpy
import sys


def upstream_script(package, *parts):
    """Path of a script that ``package`` ships under ``.mim/tools``."""
    module = __import__(package)
    path = osp.join(osp.dirname(module.__file__), '.mim', 'tools', *parts)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{package} does not ship {path}')
    return path


def amp_cfg_options(optim_wrapper) -> dict:
    """The ``--cfg-options`` that switch on mixed precision in an
    ``optim_wrapper`` config.

    The wrapper is ``optim_wrapper.architecture`` where there is one
    (MMRazor's form), otherwise ``optim_wrapper`` itself; its ``type``
    (default ``'OptimWrapper'``) becomes ``'AmpOptimWrapper'`` with
    ``loss_scale='dynamic'`` unless set.

    Args:
        optim_wrapper (dict): The config's ``optim_wrapper``.

    Returns:
        dict: Options to merge; empty if mixed precision is already on.
    """
    key = 'optim_wrapper'
    if 'architecture' in optim_wrapper:
        key, optim_wrapper = key + '.architecture', optim_wrapper.architecture
    wrapper_type = optim_wrapper.get('type', 'OptimWrapper')
    if wrapper_type == 'AmpOptimWrapper':
        return {}
    if wrapper_type != 'OptimWrapper':
        raise ValueError(f'--amp needs {key}.type to be OptimWrapper (or '
                         f'AmpOptimWrapper), but it is {wrapper_type!r}')
    options = {f'{key}.type': 'AmpOptimWrapper'}
    if 'loss_scale' not in optim_wrapper:
        options[f'{key}.loss_scale'] = 'dynamic'
    return options


def amp_to_cfg_options(argv):
    """``argv`` without ``--amp``, with ``--cfg-options`` that switch on
    mixed precision in the config (after its other ``--cfg-options``)."""
    from mmengine.config import Config, DictAction
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('config')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args, _ = parser.parse_known_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if 'optim_wrapper' not in cfg:
        raise KeyError(f'--amp: {args.config} has no optim_wrapper')
    options = amp_cfg_options(cfg.optim_wrapper)
    argv = [arg for arg in argv if arg != '--amp']
    if options:
        argv += ['--cfg-options'] + [f'{k}={v}' for k, v in options.items()]
    return argv


def main():
    import mmrazor_video_kd  # noqa: F401  (compat fixes, registrations)
    script = upstream_script('mmrazor', 'train.py')
    argv = sys.argv[1:]
    if '--amp' in argv:
        argv = amp_to_cfg_options(argv)
    sys.argv = [script] + argv
    runpy.run_path(script, run_name='__main__')


if __name__ == '__main__':
    main()
