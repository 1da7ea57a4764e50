"""Models registered in ``mmrazor.registry.MODELS`` (recognizers: in
``mmaction.registry.MODELS``)."""
from .algorithms import *  # noqa: F401,F403
from .builders import *  # noqa: F401,F403
from .connectors import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .recognizers import *  # noqa: F401,F403
