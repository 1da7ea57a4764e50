"""Strict loading of a teacher checkpoint, with errors naming the config
key that set it."""
from mmengine.logging import print_log
from mmengine.runner.checkpoint import (_load_checkpoint,
                                        _load_checkpoint_to_model)

from .errors import CONFIG_KEY, TeacherCheckpointError
from .pos_embed import interpolate_pos_embed
from .reader import read_state_dict


def load_teacher_checkpoint(model, filename, map_location='cpu',
                            config_key=CONFIG_KEY, **kwargs):
    """Load ``filename`` into ``model`` strictly, with errors naming the
    config key that set it (``model.teacher_ckpt`` by default).

    Local checkpoints may be MMEngine ``.pth`` files, PyTorch Lightning
    ``.ckpt`` files or DeepSpeed checkpoint directories (see
    :func:`~.reader.read_state_dict`); position embeddings of another input
    size are interpolated (see :func:`~.pos_embed.interpolate_pos_embed`).
    URLs are read through MMEngine.

    Args:
        model (nn.Module): The teacher.
        filename (str): A local path or a URL.
        map_location (str): Where URL weights are loaded.
            Defaults to ``'cpu'``.
        config_key (str): The config key that set ``filename``.
            Defaults to ``'model.teacher_ckpt'``.
        **kwargs: Ignored; accepted for the signature of MMEngine's
            ``load_checkpoint``.

    Returns:
        dict: ``{'state_dict': ...}``, the weights loaded.

    Raises:
        TeacherCheckpointError: If the file cannot be read, or its keys do
            not fit ``model`` (missing and unexpected keys are listed).
    """
    if '://' in str(filename):
        state = read_remote(filename, map_location, config_key)
    else:
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
    _load_checkpoint_to_model(model, state, strict=True)
    return dict(state_dict=state)


def read_remote(filename, map_location='cpu', config_key=CONFIG_KEY) -> dict:
    """State dict of a URL, through MMEngine (fails offline, clearly).

    Raises:
        TeacherCheckpointError: If it cannot be downloaded or read, naming
            ``config_key`` and how to set it.
    """
    try:
        checkpoint = _load_checkpoint(filename, map_location=map_location)
    except Exception as error:  # noqa: B902
        raise TeacherCheckpointError(
            f'{config_key} = {filename!r} cannot be read '
            f'({type(error).__name__}: {error}). Set {config_key} to a '
            f'local checkpoint file (e.g. --cfg-options {config_key}=PATH), '
            'or None to start from a '
            'randomly initialised teacher. Downloads do not work offline.'
        ) from error
    state = checkpoint.get('state_dict', checkpoint) if isinstance(
        checkpoint, dict) else None
    if not isinstance(state, dict):
        raise TeacherCheckpointError(
            f'{config_key} = {filename!r} holds no state_dict')
    return state
