"""Stop training at the first non-finite loss, naming the loss."""
import math
import os.path as osp

from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class FiniteLossHook(Hook):
    """Raise ``FloatingPointError`` as soon as a loss is NaN or infinite.

    Checks every logged loss term of every iteration (e.g.
    ``distill.loss_kl``, ``student.loss_cls``), and names the non-finite
    ones, the iteration and the last checkpoint. It runs before
    ``CheckpointHook`` (priority ``VERY_HIGH``), so no checkpoint is written
    from the diverged weights: the last good checkpoint stays the latest.

    Args:
        interval (int): Check every ``interval`` iterations. Defaults to 1.
    """

    priority = 'VERY_HIGH'

    def __init__(self, interval: int = 1) -> None:
        self.interval = interval

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if not outputs or not self.every_n_train_iters(runner, self.interval):
            return
        bad = {
            name: float(value)
            for name, value in outputs.items()
            if 'loss' in name and not math.isfinite(float(value))
        }
        if not bad:
            return
        last = osp.join(runner.work_dir, 'last_checkpoint')
        kept = open(last).read().strip() if osp.isfile(last) else 'none yet'
        raise FloatingPointError(
            f'non-finite loss at epoch {runner.epoch + 1}, iteration '
            f'{runner.iter + 1}: '
            + ', '.join(f'{k} = {v}' for k, v in sorted(bad.items()))
            + f'. Training stopped; last good checkpoint: {kept}')
