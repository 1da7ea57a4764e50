"""Channels-last memory format for every model of a run."""
import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Convert the whole model (student, teachers, connectors) to the
    channels-last memory format before training, validation and testing.

    On GPUs with tensor cores, convolutions in channels-last (NHWC) layout
    avoid layout transposes, notably under mixed precision (``--amp``).
    4-D weights are converted; a convolution with a channels-last weight
    returns channels-last outputs, so inputs need no change. Models that
    reshape features (TSM's temporal shift) fall back to copies where a
    view is impossible, which can cost more than it saves: measure with
    ``tools/analysis/benchmark_kd.py --channels-last``. Add it with
    ``custom_hooks = [..., dict(type='ChannelsLastHook')]``.
    """

    priority = 'VERY_HIGH'

    def _convert(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        model.to(memory_format=torch.channels_last)

    def before_train(self, runner) -> None:
        self._convert(runner)

    def before_val(self, runner) -> None:
        self._convert(runner)

    def before_test(self, runner) -> None:
        self._convert(runner)
