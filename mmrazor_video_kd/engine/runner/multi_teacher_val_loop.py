"""Validation of the student and of every teacher of a MultiTeacherDistill."""
import copy
from typing import Optional

import torch
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import ValLoop, autocast
from mmrazor.registry import LOOPS

from .teacher_evaluation import check_evaluate_teacher


@LOOPS.register_module()
class MultiTeacherValLoop(ValLoop):
    """Validate the student and each teacher of a
    :class:`~mmrazor_video_kd.models.algorithms.MultiTeacherDistill`.

    One pass over the validation data: each batch goes to the student (on
    its view) and to every teacher (on the teacher's view, through the
    teacher's own data preprocessor). Student metrics keep their names;
    teacher metrics are prefixed with the teacher's name, e.g.
    ``acc/top1`` and ``assistant.acc/top1``. Use it with
    ``val_cfg = dict(_delete_=True, type='mmrazor.MultiTeacherValLoop')``.

    The teachers are frozen, so their metrics do not change during
    training: with ``evaluate_teacher='once'`` only the first validation of
    a run evaluates them, and later validations repeat their metrics (logs
    and ``save_best`` keys stay complete) at the cost of the student alone.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Validation data.
        evaluator (Evaluator | dict | list): Metrics, computed separately
            for every model.
        fp16 (bool): Autocast to fp16. Defaults to False.
        evaluate_teacher (str): ``'always'`` (every validation), ``'once'``
            (the first validation of a run) or ``'never'`` (student metrics
            only). Defaults to ``'always'``.
    """

    def __init__(self, runner, dataloader, evaluator, fp16: bool = False,
                 evaluate_teacher: str = 'always'):
        self.evaluate_teacher = check_evaluate_teacher(
            evaluate_teacher, type(self).__name__)
        super().__init__(runner, dataloader, evaluator, fp16)
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if not hasattr(model, 'teachers'):
            raise TypeError('MultiTeacherValLoop needs a model with '
                            f'`teachers` (got {type(model).__name__})')
        self.algorithm = model
        self.teacher_evaluators = {
            name: copy.deepcopy(self.evaluator) for name in model.teachers}
        self.teacher_metrics: Optional[dict] = None

    def run(self) -> dict:
        """One pass over the data; metrics of the student and teachers."""
        self.runner.call_hook('before_val')
        self.runner.call_hook('before_val_epoch')
        self.runner.model.eval()
        teachers = self.evaluate_teacher == 'always' or (
            self.evaluate_teacher == 'once' and not self.teacher_metrics)
        for idx, data_batch in enumerate(self.dataloader):
            self.run_iter(idx, data_batch)
            if teachers:
                self.run_teachers(data_batch)
        size = len(self.dataloader.dataset)
        metrics = self.evaluator.evaluate(size)
        if teachers:
            self.teacher_metrics = {}
            for name, evaluator in self.teacher_evaluators.items():
                self.teacher_metrics.update(
                    {f'{name}.{key}': value for key, value in
                     evaluator.evaluate(size).items()})
            if self.evaluate_teacher == 'once':
                print_log(
                    "evaluate_teacher='once': the frozen teachers' metrics "
                    'of this validation are repeated in later validations',
                    logger='current')
        if self.evaluate_teacher != 'never':
            metrics.update(self.teacher_metrics)
        self.runner.call_hook('after_val_epoch', metrics=metrics)
        self.runner.call_hook('after_val')
        return metrics

    @torch.no_grad()
    def run_teachers(self, data_batch: dict) -> None:
        """Predictions of every teacher for one batch, into its metrics."""
        for name, evaluator in self.teacher_evaluators.items():
            with autocast(enabled=self.fp16):
                outputs = self.algorithm.teacher_predict(name, data_batch)
            evaluator.process(data_samples=outputs, data_batch=data_batch)
