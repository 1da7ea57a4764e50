"""Interpreter start-up hook of mmrazor-video-kd.

Run by ``mmrazor_video_kd_startup.pth`` in site-packages. It installs the
lazy import hooks of :mod:`mmrazor_video_kd.compat` without importing
``mmrazor_video_kd`` itself (whose ``__init__`` imports MMRazor): the
``compat`` package is loaded from its file under its real name. Only the
standard library is imported here.
"""
import importlib.util
import os
import sys


def _load_compat():
    name = 'mmrazor_video_kd.compat'
    if name in sys.modules:
        return sys.modules[name]
    package = importlib.util.find_spec('mmrazor_video_kd')
    if package is None or not package.submodule_search_locations:
        return None
    init = os.path.join(list(package.submodule_search_locations)[0],
                        'compat', '__init__.py')
    spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[os.path.dirname(init)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def main():
    """Install the compat hooks; warn instead of breaking the interpreter."""
    try:
        compat = _load_compat()
        if compat is not None:
            compat.install()
    except Exception as error:  # noqa: B902
        sys.stderr.write(f'mmrazor_video_kd: compat hooks not installed: '
                         f'{type(error).__name__}: {error}\n')


main()
