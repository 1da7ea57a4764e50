"""Model wrappers, registered in MMEngine's root ``MODEL_WRAPPERS`` registry
(visible from every OpenMMLab scope)."""
from .channels_last_ddp import ChannelsLastDistributedDataParallel

__all__ = ['ChannelsLastDistributedDataParallel']
