"""Channels-last memory format for every model of a run."""
import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS


def to_channels_last(model: torch.nn.Module) -> torch.nn.Module:
    """Put the 4-D parameters and buffers of ``model`` in channels-last and
    the 5-D ones in channels-last-3d format, in place; others are kept.

    ``model.to(memory_format=torch.channels_last)`` cannot do this for video
    models: PyTorch applies the 2-D format to 5-D tensors too and raises
    ``required rank 4 tensor to use channels_last format`` on the first
    ``Conv3d`` (3D CNNs, ViT patch embeddings, 3-D connectors). Parameters
    keep their identity, so an optimizer built before still holds them.
    """
    def convert(tensor):
        if tensor.dim() == 4:
            return tensor.contiguous(memory_format=torch.channels_last)
        if tensor.dim() == 5:
            return tensor.contiguous(memory_format=torch.channels_last_3d)
        return tensor

    return model._apply(convert)


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
    """

    priority = 'VERY_HIGH'

    def _convert(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        to_channels_last(model)

    def before_train(self, runner) -> None:
        self._convert(runner)

    def before_val(self, runner) -> None:
        self._convert(runner)

    def before_test(self, runner) -> None:
        self._convert(runner)
