"""Train a model or a distillation config: MMRazor's ``tools/train.py``
(the script ``mim train mmrazor`` runs), with this package imported first.

Takes the same arguments, e.g.::

    python tools/train.py CONFIG --work-dir WORK_DIR [--resume] \
        [--launcher pytorch|slurm] [--cfg-options KEY=VALUE ...]
"""
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


def main():
    import mmrazor_video_kd  # noqa: F401  (compat fixes, registrations)
    script = upstream_script('mmrazor', 'train.py')
    sys.argv[0] = script
    runpy.run_path(script, run_name='__main__')


if __name__ == '__main__':
    main()
