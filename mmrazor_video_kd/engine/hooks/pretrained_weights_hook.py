"""Check the pretrained weights of the model before training starts."""
from mmengine.hooks import Hook
from mmengine.optim import BaseOptimWrapper
from mmengine.registry import HOOKS

from mmrazor_video_kd.models.builders.pretrained_weights import \
    check_pretrained_weights


@HOOKS.register_module()
class PretrainedWeightsHook(Hook):
    """Fail before training, clearly, when pretrained weights (e.g. a
    backbone's ImageNet ``pretrained``) cannot be read or downloaded.

    ``Runner.train()`` calls ``before_run`` right before it initialises the
    model's weights, which is when MMAction2's backbones download their
    ``pretrained`` files into torch's hub cache. This hook resolves every
    such file of ``cfg.model`` (also in the configs that ``model_from_config``
    builds, e.g. a distillation student) and downloads missing ones there,
    or raises :class:`PretrainedWeightsError` naming the URL, the cache file
    and the ``--cfg-options`` that train from scratch. It does nothing in
    ``Runner.val()``/``test()``, which never load those weights, so testing
    a trained model needs no download.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        if not isinstance(runner.optim_wrapper, BaseOptimWrapper):
            return  # not training: the optimizer is built in train() only
        check_pretrained_weights(runner.cfg.get('model'),
                                 config=runner.cfg.filename or '')
