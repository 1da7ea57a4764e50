"""The ``evaluate_teacher`` option of the distillation validation loops."""

#: ``always``: every validation evaluates the teachers (MMRazor's
#: behaviour); ``once``: the first validation of a run does, later ones
#: repeat its teacher metrics (frozen teachers only); ``never``: student
#: metrics only.
EVALUATE_TEACHER = ('always', 'once', 'never')


def check_evaluate_teacher(value: str, loop: str,
                           teacher_trainable: bool = False) -> str:
    """Validate ``val_cfg.evaluate_teacher`` of the loop named ``loop``.

    Args:
        value (str): The option.
        loop (str): The loop's class name, for the error message.
        teacher_trainable (bool): Whether the teacher is trained along with
            the student; its metrics then change and ``'once'`` is refused.

    Returns:
        str: ``value``.
    """
    if value not in EVALUATE_TEACHER:
        raise ValueError(f'{loop}: val_cfg.evaluate_teacher must be one of '
                         f'{EVALUATE_TEACHER}, got {value!r}')
    if value == 'once' and teacher_trainable:
        raise ValueError(
            f"{loop}: val_cfg.evaluate_teacher='once' needs a frozen "
            'teacher, but model.teacher_trainable=True (its metrics change '
            "during training); use 'always' or 'never'")
    return value
