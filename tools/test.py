"""Test a (student) model: MMAction2's ``tools/test.py`` (the script
``mim test mmaction`` runs), with this package imported first.

Takes the same arguments, e.g.::

    python tools/test.py STUDENT_CONFIG STUDENT_CKPT [--launcher ...]
"""
import os.path as osp
import runpy
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from train import upstream_script  # noqa: E402


def main():
    import mmrazor_video_kd  # noqa: F401
    script = upstream_script('mmaction', 'test.py')
    sys.argv[0] = script
    runpy.run_path(script, run_name='__main__')


if __name__ == '__main__':
    main()
