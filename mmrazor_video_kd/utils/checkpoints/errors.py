"""Errors of teacher checkpoint loading, naming the config key at fault."""

#: The config key of a single teacher's checkpoint, named in errors.
CONFIG_KEY = 'model.teacher_ckpt'


class TeacherCheckpointError(RuntimeError):
    """The teacher checkpoint cannot be read or does not fit the teacher."""


class CheckpointFormatError(TeacherCheckpointError):
    """A checkpoint path cannot be read as any supported format."""


#: What :func:`~.reader.read_state_dict` accepts, for error messages.
EXPECTED = ('an MMEngine .pth file, a PyTorch Lightning .ckpt file, or a '
            'DeepSpeed checkpoint directory (DIR/latest naming a tag and '
            'DIR/<tag>/mp_rank_00_model_states.pt)')


def format_error(config_key: str, path: str, problem: str,
                 expected: str = EXPECTED) -> CheckpointFormatError:
    """A :class:`CheckpointFormatError` naming the key, the path and what
    was expected instead.

    Args:
        config_key (str): The config key that set ``path``.
        path (str): The checkpoint path.
        problem (str): What is wrong with it.
        expected (str): What would have been read. Defaults to
            :data:`EXPECTED`.
    """
    return CheckpointFormatError(
        f'{config_key} = {path!r} {problem}; expected {expected}')
