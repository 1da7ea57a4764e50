"""Batches whose samples hold several views of one clip, one per model."""
from typing import Dict, Optional, Tuple

import torch
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


def replay_blending(blending, inputs: torch.Tensor,
                    rng_state: torch.Tensor) -> torch.Tensor:
    """``inputs`` blended as ``blending`` blended another view of the batch.

    MMAction2's batch blendings (``MixupBlending``, ``CutmixBlending``) draw
    their weight and partners from PyTorch's CPU generator; restoring the
    state it had before the first blend replays the same draws. The
    generator is left as it was.

    Args:
        blending: An MMAction2 batch blending (``do_blending(inputs,
            labels)``, ``num_classes``).
        inputs (torch.Tensor): Another view of the same batch.
        rng_state (torch.Tensor): ``torch.get_rng_state()`` taken before
            the first blend.
    """
    labels = inputs.new_zeros(inputs.size(0), blending.num_classes)
    with torch.random.fork_rng(devices=[]):
        torch.set_rng_state(rng_state)
        blended, _ = blending.do_blending(inputs, labels)
    return blended


class MultiViewDataPreprocessor(BaseDataPreprocessor):
    """Preprocess each model's view of a batch with its own preprocessor.

    The output ``inputs`` are ``dict(student=tensor, teachers={name:
    tensor})``; in training every teacher's input is prepared, otherwise
    only the student's. The data samples are the student's. A batch
    blending of the student's preprocessor (its ``blending``, e.g.
    MMAction2's ``MixupBlending``) is replayed on every teacher's view with
    the same weight and partners, so a teacher answers the very blended
    clips the student sees (teachers' own blendings are not used). Being the
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
        blending = getattr(preprocessor, 'blending', None)
        if not (training and self._teachers):
            blending = None
        # the generator's state before the student's blend, to replay it
        rng_state = None if blending is None else torch.get_rng_state()
        batch = preprocessor(select_view(data, view, 'the student'),
                             training)
        teachers = {}
        if training:
            for name, (view, preprocessor) in self._teachers.items():
                inputs = preprocessor(
                    select_view(data, view, f'teacher {name!r}'),
                    False)['inputs']
                if blending is not None:
                    inputs = replay_blending(blending, inputs, rng_state)
                teachers[name] = inputs
        return dict(inputs=dict(student=batch['inputs'], teachers=teachers),
                    data_samples=batch['data_samples'])
