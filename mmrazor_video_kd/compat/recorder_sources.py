"""Deliberate change: a recorder ``source`` that is not in the model names
the closest module names.

MMRazor's ``ModuleOutputsRecorder`` looks the source up by exact name and
fails with ``AssertionError: "x" is not in the model.`` With this patch the
error is a :class:`RecorderSourceError` with the same text followed by the
model's class and its closest module names, so a typo is found at once. It
is both a ``KeyError`` and an ``AssertionError``, so MMRazor's callers and
tests that expect the ``AssertionError`` keep working.
"""
import difflib
import functools

MODULE = 'mmrazor.models.task_modules.recorder.module_outputs_recorder'


class RecorderSourceError(KeyError, AssertionError):
    """A recorder ``source`` names no module of the model."""

    def __str__(self) -> str:
        # KeyError's str() is the repr of its argument; show the message.
        return str(self.args[0]) if self.args else ''


def check_source(source: str, model) -> None:
    """Raise :class:`RecorderSourceError` if ``source`` is no module of
    ``model``, naming its closest module names.

    Args:
        source (str): The recorder's ``source``.
        model (nn.Module): The model it records from.
    """
    names = [name for name, _ in model.named_modules() if name]
    if source in names:
        return
    close = difflib.get_close_matches(source, names, n=5, cutoff=0.4)
    if not close:
        close = [n for n in names if '.' not in n][:10]
    raise RecorderSourceError(
        f'"{source}" is not in the model ({type(model).__name__}); closest '
        f'module names: {", ".join(close)}')


def patch_module_recorder(module) -> None:
    """Check the source before MMRazor's lookup."""
    cls = module.ModuleOutputsRecorder
    prepare = cls.prepare_from_model
    if getattr(prepare, '_mmrazor_video_kd', False):
        return

    @functools.wraps(prepare)
    def prepare_from_model(self, model=None):
        if model is not None:
            check_source(self.source, model)
        return prepare(self, model)

    prepare_from_model._mmrazor_video_kd = True
    cls.prepare_from_model = prepare_from_model


def install(hooks) -> None:
    """Patch the recorder once it is imported."""
    hooks.when_imported(MODULE, patch_module_recorder)
