"""Fix: teacher checkpoints load silently wrong, and bad teacher set-ups
fail late with unclear errors.

MMRazor's ``SingleTeacherDistill`` loads ``teacher_ckpt`` with
``strict=False``: a checkpoint of another architecture only logs a warning
and distillation runs from a partly random teacher. A path or URL that
cannot be read offline fails deep inside MMEngine. Teacher and student with
different class counts under a logits loss fail at the first step with a
shape error. With this fix:

- the teacher checkpoint loads strictly, and missing or unexpected keys are
  listed by name, with the config key (``model.teacher_ckpt``);
- an unreadable path or URL raises an error naming ``model.teacher_ckpt``;
- logits recorded from ``cls_head`` of teacher and student with different
  ``num_classes`` raise before training starts.
"""
import functools

MODULE = 'mmrazor.models.algorithms.distill.configurable.single_teacher_distill'
CONFIG_KEY = 'model.teacher_ckpt'


class TeacherCheckpointError(RuntimeError):
    """The teacher checkpoint cannot be read or does not fit the teacher."""


def load_teacher_checkpoint(model, filename, map_location='cpu',
                            config_key=CONFIG_KEY, **kwargs):
    """Load ``filename`` into ``model`` strictly, with errors naming the
    config key that set it (``model.teacher_ckpt`` by default).

    Local checkpoints may be MMEngine ``.pth`` files, PyTorch Lightning
    ``.ckpt`` files or DeepSpeed checkpoint directories (see
    :func:`mmrazor_video_kd.utils.checkpoint_formats.read_state_dict`);
    position embeddings of another input size are interpolated.
    """
    if '://' in str(filename):
        state = _read_remote(filename, map_location, config_key)
    else:
        from mmengine.logging import print_log

        from mmrazor_video_kd.utils.checkpoint_formats import (
            interpolate_pos_embed, read_state_dict)
        state, fmt = read_state_dict(filename, config_key)
        state, resized = interpolate_pos_embed(state, model)
        for key, old, new in resized:
            print_log(f'{config_key}: {key} interpolated from {tuple(old)} '
                      f'to {tuple(new)} ({fmt} checkpoint {filename})',
                      logger='current')
    state = {(k[len('module.'):] if k.startswith('module.') else k): v
             for k, v in state.items()}
    expected = set(model.state_dict())
    missing = sorted(expected - set(state))
    unexpected = sorted(set(state) - expected)
    if missing or unexpected:
        raise TeacherCheckpointError(
            f'{config_key} = {filename!r} does not fit the teacher built '
            f'from its config: {len(missing)} missing keys {missing[:10]}'
            f'{" ..." if len(missing) > 10 else ""}, {len(unexpected)} '
            f'unexpected keys {unexpected[:10]}'
            f'{" ..." if len(unexpected) > 10 else ""}')
    from mmengine.runner.checkpoint import _load_checkpoint_to_model
    _load_checkpoint_to_model(model, state, strict=True)
    return dict(state_dict=state)


def _read_remote(filename, map_location, config_key):
    """State dict of a URL, through MMEngine (fails offline, clearly)."""
    from mmengine.runner.checkpoint import _load_checkpoint
    try:
        checkpoint = _load_checkpoint(filename, map_location=map_location)
    except Exception as error:  # noqa: B902
        raise TeacherCheckpointError(
            f'{config_key} = {filename!r} cannot be read ({type(error).__name__}'
            f': {error}). Set {config_key} to a local checkpoint file (e.g. '
            f'--cfg-options {config_key}=PATH), or to None to start from a '
            'randomly initialised teacher. Downloads do not work offline.'
        ) from error
    state = checkpoint.get('state_dict', checkpoint) if isinstance(
        checkpoint, dict) else None
    if not isinstance(state, dict):
        raise TeacherCheckpointError(
            f'{config_key} = {filename!r} holds no state_dict')
    return state


def _source(distiller, from_student, recorder):
    manager = (distiller.student_recorders
               if from_student else distiller.teacher_recorders)
    return manager.recorders[recorder].source


def _num_classes(model):
    head = getattr(model, 'cls_head', None)
    return getattr(head, 'num_classes', None)


def check_logits_classes(algorithm) -> None:
    """Raise if a loss compares logits of heads with different classes."""
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


def patch_single_teacher_distill(module) -> None:
    """Strict, clear teacher loading and the class-count check."""
    module.load_checkpoint = load_teacher_checkpoint
    cls = module.SingleTeacherDistill
    init = cls.__init__
    if getattr(init, '_mmrazor_video_kd', False):
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        check_logits_classes(self)

    __init__._mmrazor_video_kd = True
    cls.__init__ = __init__


def install(hooks) -> None:
    """Patch ``SingleTeacherDistill`` once it is imported."""
    hooks.when_imported(MODULE, patch_single_teacher_distill)
