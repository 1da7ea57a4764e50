"""Hooks, registered in MMEngine's root ``HOOKS`` registry (visible from
every OpenMMLab scope)."""
from .finite_loss_hook import FiniteLossHook

__all__ = ['FiniteLossHook']
