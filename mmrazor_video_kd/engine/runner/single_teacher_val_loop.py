"""Validation of a SingleTeacherDistill that can evaluate a frozen teacher
once per run."""
from typing import Dict, List, Optional, Union

from mmengine.evaluator import Evaluator
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmrazor.engine.runner import SingleTeacherDistillValLoop
from mmrazor.registry import LOOPS
from torch.utils.data import DataLoader

from .teacher_evaluation import check_evaluate_teacher


@LOOPS.register_module()
class SingleTeacherValLoop(SingleTeacherDistillValLoop):
    """MMRazor's ``SingleTeacherDistillValLoop`` with a choice of when the
    teacher is evaluated.

    MMRazor's loop evaluates the teacher on the whole validation set at
    every validation, although a frozen teacher's metrics never change; for
    a large teacher on Kinetics-400 that costs more than validating the
    student. With ``evaluate_teacher='once'`` only the first validation of
    a run evaluates the teacher, and its metrics (``teacher.acc/top1``, ...)
    are added to the metrics of every later validation, so logs and
    ``save_best`` keys stay complete. Use it with
    ``val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherValLoop',
    evaluate_teacher='once')``.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Validation data.
        evaluator (Evaluator | dict | list): Metrics, computed for the
            student and (prefixed ``teacher.``) for the teacher.
        fp16 (bool): Autocast to fp16. Defaults to False.
        evaluate_teacher (str): ``'always'`` (MMRazor's behaviour),
            ``'once'`` (frozen teachers only: ``model.teacher_trainable``
            must be False) or ``'never'`` (student metrics only). Defaults
            to ``'always'``.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 evaluator: Union[Evaluator, Dict, List],
                 fp16: bool = False,
                 evaluate_teacher: str = 'always') -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        self.evaluate_teacher = check_evaluate_teacher(
            evaluate_teacher, type(self).__name__,
            getattr(model, 'teacher_trainable', False))
        super().__init__(runner, dataloader, evaluator, fp16)
        self.teacher_metrics: Optional[dict] = None

    def run(self) -> dict:
        """Validate the student, and the teacher as ``evaluate_teacher``
        says; returns the metrics."""
        self.runner.call_hook('before_val')
        self.runner.call_hook('before_val_epoch')
        self.runner.model.eval()
        for idx, data_batch in enumerate(self.dataloader):
            self.run_iter(idx, data_batch)
        metrics = self.evaluator.evaluate(len(self.dataloader.dataset))
        metrics.update(self.evaluate_teacher_metrics())
        self.runner.call_hook('after_val_epoch', metrics=metrics)
        self.runner.call_hook('after_val')
        return metrics

    def evaluate_teacher_metrics(self) -> dict:
        """The teacher's metrics: computed in a pass over the data as in
        MMRazor's loop, or repeated from the first validation."""
        if self.evaluate_teacher == 'never':
            return {}
        if self.evaluate_teacher == 'once' and self.teacher_metrics:
            return dict(self.teacher_metrics)
        self.runner.call_hook('before_val_epoch')
        for idx, data_batch in enumerate(self.dataloader):
            self.run_iter_teacher(idx, data_batch)
        metrics = self.evaluator.evaluate(len(self.dataloader.dataset))
        self.teacher_metrics = {
            f'teacher.{key}': value for key, value in metrics.items()}
        if self.evaluate_teacher == 'once':
            print_log(
                "evaluate_teacher='once': the frozen teacher's metrics of "
                'this validation are repeated in later validations',
                logger='current')
        return dict(self.teacher_metrics)
