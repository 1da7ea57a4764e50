"""Registered functions that build models from other configs, and the
check of the pretrained weights they load."""
from .model_from_config import model_from_config
from .pretrained_weights import (PretrainedWeights, PretrainedWeightsError,
                                 check_pretrained_weights,
                                 find_pretrained_weights)

__all__ = [
    'PretrainedWeights', 'PretrainedWeightsError', 'check_pretrained_weights',
    'find_pretrained_weights', 'model_from_config'
]
