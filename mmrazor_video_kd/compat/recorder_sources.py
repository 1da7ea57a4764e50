"""Fix: a recorder ``source`` that is not in the model fails with
``AssertionError: "x" is not in the model.``

MMRazor's module recorders look the source up by exact name. With this fix
the error is a ``KeyError`` that names the source and lists the closest
module names of the model, so a typo is found at once.
"""
import difflib
import functools

MODULE = 'mmrazor.models.task_modules.recorder.module_outputs_recorder'


def check_source(source, model, kind='module') -> None:
    """Raise a ``KeyError`` naming ``source`` and its closest names."""
    names = [name for name, _ in model.named_modules() if name]
    if source in names:
        return
    close = difflib.get_close_matches(source, names, n=5, cutoff=0.4)
    if not close:
        close = [n for n in names if '.' not in n][:10]
    raise KeyError(
        f'recorder source {source!r} is not a {kind} of '
        f'{type(model).__name__}; closest names: {", ".join(close)}')


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
