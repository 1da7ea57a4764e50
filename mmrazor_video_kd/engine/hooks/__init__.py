"""Hooks, registered in MMEngine's root ``HOOKS`` registry (visible from
every OpenMMLab scope)."""
from .epoch_seed_hook import EpochSeedHook
from .finite_loss_hook import FiniteLossHook

__all__ = ['EpochSeedHook', 'FiniteLossHook']
