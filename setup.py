"""Install mmrazor-video-kd.

Besides the package, the wheel carries ``mmrazor_video_kd_startup.pth``: a
one-line start-up file that installs the lazy compat import hooks in every
interpreter of the environment (see ``mmrazor_video_kd/compat``).
"""
import os.path as osp

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = osp.dirname(osp.abspath(__file__))
STARTUP_PTH = 'mmrazor_video_kd_startup.pth'


class BuildWithStartupHook(build_py):
    """``build_py`` that also puts the start-up ``.pth`` in the wheel root."""

    def run(self):
        super().run()
        self.copy_file(osp.join(HERE, STARTUP_PTH),
                       osp.join(self.build_lib, STARTUP_PTH),
                       preserve_mode=0)

    def get_outputs(self, include_bytecode=True):
        return super().get_outputs(include_bytecode) + [
            osp.join(self.build_lib, STARTUP_PTH)]

    def get_output_mapping(self):
        mapping = super().get_output_mapping()
        mapping[osp.join(self.build_lib, STARTUP_PTH)] = osp.join(
            HERE, STARTUP_PTH)
        return mapping


def read_requirements(name):
    """Requirement lines of ``requirements/<name>``.

    ``runtime.in`` and ``tests.in`` hold the tested version ranges that the
    wheel declares; ``runtime.txt`` and ``tests.txt`` the exact set that
    ``tools/setup_env.sh`` installs.
    """
    with open(osp.join(HERE, 'requirements', name)) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line]


def read_version():
    namespace = {}
    with open(osp.join(HERE, 'mmrazor_video_kd', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='mmrazor-video-kd',
    version=read_version(),
    description='Video knowledge distillation for MMRazor and MMAction2',
    long_description=open(osp.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    license='Apache License 2.0',
    python_requires='>=3.9',
    packages=find_packages(include=['mmrazor_video_kd*']),
    py_modules=['mmrazor_video_kd_startup'],
    install_requires=read_requirements('runtime.in'),
    extras_require=dict(tests=read_requirements('tests.in')),
    cmdclass=dict(build_py=BuildWithStartupHook),
    zip_safe=False,
)
