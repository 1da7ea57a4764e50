"""Batches whose samples hold several views of one clip, one per model."""
from typing import Dict, Optional, Tuple

from mmengine.model import BaseDataPreprocessor


def select_view(data: dict, view: Optional[str], owner: str) -> dict:
    """The batch with each sample's input reduced to ``view``.

    Inputs may be collated as ``{view: [tensor, ...]}`` (MMEngine's
    ``pseudo_collate``) or be a list of ``{view: tensor}`` dicts; any other
    inputs (plain tensors) are returned unchanged, for every model.

    Args:
        data (dict): Raw batch, ``inputs`` and ``data_samples``.
        view (str, optional): The view to keep.
        owner (str): The model taking the view, for error messages.

    Raises:
        KeyError: If the samples have views but not ``view``.
    """
    inputs = data['inputs']
    if isinstance(inputs, dict):
        views = inputs
    elif inputs and isinstance(inputs[0], dict):
        views = {key: [sample[key] for sample in inputs] for key in inputs[0]}
    else:
        return data
    if view is None or view not in views:
        raise KeyError(f'{owner} takes view {view!r}; the samples have '
                       f'views {sorted(views)}')
    return dict(data, inputs=views[view])


class MultiViewDataPreprocessor(BaseDataPreprocessor):
    """Preprocess each model's view of a batch with its own preprocessor.

    The output ``inputs`` are ``dict(student=tensor, teachers={name:
    tensor})``; in training every teacher's input is prepared, otherwise
    only the student's. The data samples are the student's. Being the
    algorithm's ``data_preprocessor``, it is run by ``BaseModel.train_step``
    and by ``MMDistributedDataParallel.train_step`` alike.

    Args:
        student (tuple): ``(view, preprocessor)`` of the student.
        teachers (dict[str, tuple]): ``(view, preprocessor)`` per teacher.
            The preprocessors belong to their models; they are referenced,
            not registered as submodules here.
    """

    def __init__(self, student: Tuple[Optional[str], BaseDataPreprocessor],
                 teachers: Dict[str, Tuple[Optional[str],
                                           BaseDataPreprocessor]]) -> None:
        super().__init__()
        self._student = student
        self._teachers = dict(teachers)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Every model's view of raw ``data``, preprocessed by its own
        preprocessor (teachers in training only)."""
        view, preprocessor = self._student
        batch = preprocessor(select_view(data, view, 'the student'),
                             training)
        teachers = {}
        if training:
            for name, (view, preprocessor) in self._teachers.items():
                teachers[name] = preprocessor(
                    select_view(data, view, f'teacher {name!r}'),
                    False)['inputs']
        return dict(inputs=dict(student=batch['inputs'], teachers=teachers),
                    data_samples=batch['data_samples'])
