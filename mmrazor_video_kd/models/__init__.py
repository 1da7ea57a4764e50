"""Models registered in ``mmrazor.registry.MODELS``."""
from .builders import *  # noqa: F401,F403
