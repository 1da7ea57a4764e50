"""Class labels of annotation lists checked against ``num_classes``."""
from typing import Optional, Sequence, Union


class LabelOutOfRangeError(ValueError):
    """A label of an annotation list is not a class id of the model."""


def check_label(label: Union[int, Sequence[int]],
                num_classes: Optional[int],
                ann_file: str,
                line: int,
                name: Optional[str] = None) -> None:
    """Raise :class:`LabelOutOfRangeError` unless ``0 <= label <
    num_classes``.

    A label outside the classifier's classes otherwise fails deep in the
    loss (``IndexError: Target 99 is out of bounds``) or, if negative, may
    be silently ignored; this names the list, the line and the bound.

    Args:
        label (int | Sequence[int]): A class id, or several (multi-label).
        num_classes (int, optional): The number of classes; None: no check.
        ann_file (str): The annotation list, for the message.
        line (int): The 1-based line number of ``label`` in ``ann_file``.
        name (str, optional): The label as written in the list, if it is
            not the class id itself (e.g. ``'wave'``).
    """
    if num_classes is None:
        return
    labels = [label] if isinstance(label, int) else list(label)
    for value in labels:
        if not 0 <= value < num_classes:
            written = f'label {name!r} (class id {value})' if name else \
                f'label {value}'
            raise LabelOutOfRangeError(
                f'{ann_file}:{line}: {written} is out of range for '
                f'num_classes={num_classes} (class ids 0 to '
                f'{num_classes - 1}); fix the list, or set the dataset\'s '
                '`num_classes` (and the head\'s) to the real class count')
