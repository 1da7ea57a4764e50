"""Check that a logits loss compares heads with the same classes."""


def _source(distiller, from_student, recorder):
    manager = (distiller.student_recorders
               if from_student else distiller.teacher_recorders)
    return manager.recorders[recorder].source


def _num_classes(model):
    head = getattr(model, 'cls_head', None)
    return getattr(head, 'num_classes', None)


def check_logits_classes(algorithm) -> None:
    """Raise if a loss compares logits of heads with different classes.

    Logits are the outputs recorded from ``cls_head`` (or
    ``cls_head.fc*``) of the student (``algorithm.architecture``) and the
    teacher (``algorithm.teacher``).

    Args:
        algorithm: A distillation algorithm with a ``distiller``.

    Raises:
        ValueError: Naming the loss, both sources and both class counts.
    """
    distiller = getattr(algorithm, 'distiller', None)
    mappings = getattr(distiller, 'loss_forward_mappings', None) or {}
    n_student = _num_classes(algorithm.architecture)
    n_teacher = _num_classes(algorithm.teacher)
    if n_student is None or n_teacher is None or n_student == n_teacher:
        return
    for loss_name, mapping in mappings.items():
        sources = {
            item['from_student']: _source(distiller, item['from_student'],
                                          item['recorder'])
            for item in mapping.values()
            if isinstance(item, dict) and 'recorder' in item
        }
        if len(sources) == 2 and all(
                s == 'cls_head' or s.startswith('cls_head.fc')
                for s in sources.values()):
            raise ValueError(
                f'{loss_name} compares logits of the student '
                f'({sources[True]}, {n_student} classes) and the teacher '
                f'({sources[False]}, {n_teacher} classes): set the same '
                'num_classes in the student and teacher configs')
