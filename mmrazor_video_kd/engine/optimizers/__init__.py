"""Optimizer wrapper constructors, registered in MMEngine's root
``OPTIM_WRAPPER_CONSTRUCTORS`` registry (visible from every scope)."""
from .distill_optim_wrapper_constructor import (DistillOptimWrapperConstructor,
                                                frozen_teachers)

__all__ = ['DistillOptimWrapperConstructor', 'frozen_teachers']
