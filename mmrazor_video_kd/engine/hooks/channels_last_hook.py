"""Channels-last memory format for every model of a run."""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS
from torch.nn.parallel import DistributedDataParallel

WRAPPER_CFG = ("model_wrapper_cfg = "
               "dict(type='ChannelsLastDistributedDataParallel')")


def _channels_last_strides(tensor: torch.Tensor) -> Optional[tuple]:
    """The channels-last (4-D) or channels-last-3d (5-D) strides of a tensor
    of this shape; None for other ranks."""
    memory_format = {4: torch.channels_last,
                     5: torch.channels_last_3d}.get(tensor.dim())
    if memory_format is None:
        return None
    return torch.empty_like(
        tensor, device='meta', memory_format=memory_format).stride()


def to_channels_last(model: torch.nn.Module) -> torch.nn.Module:
    """Put the 4-D parameters and buffers of ``model`` in channels-last and
    the 5-D ones in channels-last-3d format, in place; others are kept.

    ``model.to(memory_format=torch.channels_last)`` cannot do this for video
    models: PyTorch applies the 2-D format to 5-D tensors too and raises
    ``required rank 4 tensor to use channels_last format`` on the first
    ``Conv3d`` (3D CNNs, ViT patch embeddings, 3-D connectors). Parameters
    keep their identity, so an optimizer built before still holds them.

    Tensors get exactly the channels-last strides, also where a size-1
    dimension makes the contiguous ones count as channels-last too
    (depthwise ``(C, 1, k, k)`` and ``1x1`` weights, which
    ``Tensor.contiguous`` leaves alone): convolutions return gradients with
    the exact strides, and DDP copies every gradient whose strides differ
    from its parameter's.
    """
    def convert(tensor):
        strides = _channels_last_strides(tensor)
        if strides is None or tensor.stride() == strides:
            return tensor
        return torch.empty_strided(
            tensor.shape, strides, dtype=tensor.dtype,
            device=tensor.device).copy_(tensor)

    return model._apply(convert)


def _not_channels_last(ddp: DistributedDataParallel) -> Optional[str]:
    """Name of a parameter that ``ddp`` reduces (one that requires grad)
    and :func:`to_channels_last` would still convert, if any."""
    for name, param in ddp.module.named_parameters():
        strides = _channels_last_strides(param)
        if param.requires_grad and strides is not None and \
                param.stride() != strides:
            return name
    return None


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Convert the whole model (student, teachers, connectors) to the
    channels-last memory format before training, validation and testing.

    On GPUs with tensor cores, convolutions in channels-last (NHWC) layout
    avoid layout transposes, notably under mixed precision (``--amp``).
    4-D weights are converted to channels-last, 5-D ones (``Conv3d``) to
    channels-last-3d (see :func:`to_channels_last`); a convolution with a
    channels-last weight returns channels-last outputs, so inputs need no
    change. Models that
    reshape features (TSM's temporal shift) fall back to copies where a
    view is impossible, which can cost more than it saves: measure with
    ``tools/analysis/benchmark_kd.py --channels-last``. Add it with
    ``custom_hooks = [..., dict(type='ChannelsLastHook')]``.

    The hook runs after the runner has wrapped the model: in distributed
    runs the conversion must happen before, when DDP lays out its gradient
    buckets, so set ``model_wrapper_cfg = dict(type=
    'ChannelsLastDistributedDataParallel')`` too. The hook then finds the
    model converted; it raises an error when DDP wrapped an unconverted
    model.
    """

    priority = 'VERY_HIGH'

    def _convert(self, runner) -> None:
        for module in runner.model.modules():
            if isinstance(module, DistributedDataParallel):
                self._check_wrapped_model(module,
                                          getattr(runner, 'cfg', None))
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        to_channels_last(model)

    @staticmethod
    def _check_wrapped_model(ddp: DistributedDataParallel, cfg) -> None:
        """Raise if DDP wrapped ``ddp.module`` before its conversion, or if
        ``model_wrapper_cfg`` made the runner drop the config's top-level
        ``find_unused_parameters=True``."""
        name = _not_channels_last(ddp)
        if name is not None:
            raise RuntimeError(
                f'ChannelsLastHook: the model was wrapped in '
                f'{type(ddp).__name__} before its conversion to channels-last '
                f'(parameter {name!r}); DDP keeps its gradient buckets in the '
                'old layout and copies every gradient at every step ("Grad '
                'strides do not match bucket view strides"). Set '
                f'`{WRAPPER_CFG}` in the config: it converts the model '
                'before wrapping it.')
        wrapper_cfg = cfg.get('model_wrapper_cfg') if cfg else None
        if wrapper_cfg is not None and cfg.get('find_unused_parameters') \
                and 'find_unused_parameters' not in wrapper_cfg \
                and not ddp.find_unused_parameters:
            raise ValueError(
                'The config sets find_unused_parameters=True, which MMEngine '
                'ignores once model_wrapper_cfg is set; add '
                'find_unused_parameters=True to model_wrapper_cfg.')

    def before_train(self, runner) -> None:
        self._convert(runner)

    def before_val(self, runner) -> None:
        self._convert(runner)

    def before_test(self, runner) -> None:
        self._convert(runner)
