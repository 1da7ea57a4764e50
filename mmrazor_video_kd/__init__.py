"""mmrazor-video-kd: video knowledge distillation for MMRazor and MMAction2.

Importing the package (e.g. through a config's ``custom_imports``) installs
the :mod:`~mmrazor_video_kd.compat` fixes, if the start-up hook has not yet,
and registers the package's modules in the OpenMMLab registries.
"""
from . import compat
from .version import __version__

compat.install()

from . import datasets, engine, evaluation, models, utils  # noqa: E402,F401

__all__ = [
    '__version__', 'compat', 'datasets', 'engine', 'evaluation', 'models',
    'utils'
]
