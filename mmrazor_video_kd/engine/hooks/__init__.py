"""Hooks, registered in MMEngine's root ``HOOKS`` registry (visible from
every OpenMMLab scope)."""
from .channels_last_hook import ChannelsLastHook, to_channels_last
from .epoch_seed_hook import EpochSeedHook
from .finite_loss_hook import FiniteLossHook
from .pretrained_weights_hook import PretrainedWeightsHook

__all__ = ['ChannelsLastHook', 'EpochSeedHook', 'FiniteLossHook',
           'PretrainedWeightsHook', 'to_channels_last']
