"""Turn a distillation checkpoint into a plain student checkpoint."""
from typing import Optional

#: Prefix of the student's weights in MMRazor distillation algorithms.
STUDENT_PREFIX = 'architecture.'
#: Meta entries worth keeping for a student checkpoint.
KEPT_META = ('mmengine_version', 'dataset_meta', 'epoch', 'iter', 'seed',
             'experiment_name', 'time')


class NotADistillationCheckpoint(ValueError):
    """The checkpoint holds no ``architecture.*`` (student) weights."""


def _top_prefixes(state_dict) -> list:
    return sorted({key.split('.', 1)[0] for key in state_dict})


def student_checkpoint(checkpoint: dict, source: Optional[str] = None) -> dict:
    """Keep the student of a distillation checkpoint, drop everything else.

    Teachers (``teacher.*``, ``teachers.*``), connectors and other distiller
    state (``distiller.*``), optimizer, schedulers and message hub are
    dropped; ``architecture.`` is stripped from the student's keys, so the
    result loads into the student model built from its own config.

    Args:
        checkpoint (dict): A checkpoint saved by an MMRazor distillation run.
        source (str, optional): Name of the file it came from, kept in meta.

    Returns:
        dict: ``{'meta': ..., 'state_dict': ...}``.

    Raises:
        NotADistillationCheckpoint: If there is no ``state_dict`` or it has
            no ``architecture.*`` keys.
    """
    name = source or 'checkpoint'
    state_dict = checkpoint.get('state_dict') if isinstance(
        checkpoint, dict) else None
    if not isinstance(state_dict, dict):
        raise NotADistillationCheckpoint(
            f'{name} has no `state_dict`; expected a checkpoint saved by an '
            'MMRazor distillation run')
    student = {
        key[len(STUDENT_PREFIX):]: value
        for key, value in state_dict.items() if key.startswith(STUDENT_PREFIX)
    }
    if not student:
        raise NotADistillationCheckpoint(
            f'{name} is not a distillation checkpoint: its state_dict has no '
            f'`{STUDENT_PREFIX}*` keys (top-level prefixes: '
            f'{", ".join(_top_prefixes(state_dict))}). A plain model '
            'checkpoint needs no conversion.')
    meta = checkpoint.get('meta') or {}
    new_meta = {key: meta[key] for key in KEPT_META if key in meta}
    dropped = sorted(set(_top_prefixes(state_dict)) - {'architecture'})
    new_meta['converted_from_distillation'] = dict(
        source=source, dropped_prefixes=dropped)
    return dict(meta=new_meta, state_dict=student)
