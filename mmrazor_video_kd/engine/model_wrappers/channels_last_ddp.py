"""Distributed data parallel over a model converted to channels-last."""
import torch
from mmengine.model import MMDistributedDataParallel
from mmengine.registry import MODEL_WRAPPERS

from ..hooks.channels_last_hook import to_channels_last


@MODEL_WRAPPERS.register_module()
class ChannelsLastDistributedDataParallel(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` that converts the model to channels-last
    before wrapping it.

    DDP lays out its gradient buckets with the strides the parameters have
    when it wraps them; converting them afterwards (as ``ChannelsLastHook``
    would in ``before_train``) makes PyTorch warn "Grad strides do not match
    bucket view strides" and copy every gradient at every step. This
    wrapper applies :func:`~mmrazor_video_kd.engine.hooks.to_channels_last`
    (4-D tensors to channels-last, 5-D ones to channels-last-3d) to the
    whole model (student, teachers, connectors) first. Select it with
    ``model_wrapper_cfg = dict(type='ChannelsLastDistributedDataParallel')``;
    MMEngine's ``Runner`` only uses ``model_wrapper_cfg`` in distributed runs,
    so keep ``ChannelsLastHook`` in ``custom_hooks`` for single-process ones.

    Args:
        module (torch.nn.Module): The model to convert and wrap.
        broadcast_buffers (bool): Whether DDP broadcasts buffers at every
            forward. Defaults to False, as in the runner's default wrapper.
        **kwargs: Other arguments of ``MMDistributedDataParallel``, e.g.
            ``find_unused_parameters``. The runner reads the config's
            top-level ``find_unused_parameters`` only when
            ``model_wrapper_cfg`` is not set: give it here instead.
    """

    def __init__(self,
                 module: torch.nn.Module,
                 broadcast_buffers: bool = False,
                 **kwargs) -> None:
        to_channels_last(module)
        super().__init__(
            module=module, broadcast_buffers=broadcast_buffers, **kwargs)
