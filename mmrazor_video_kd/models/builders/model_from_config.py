"""Build a teacher or student from its own training config file."""
import importlib
import os.path as osp
from typing import Optional

from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmrazor.registry import MODELS


@MODELS.register_module()
def model_from_config(config: str,
                      cfg_options: Optional[dict] = None,
                      default_scope: str = 'mmaction'):
    """Build the ``model`` of a local config file, with its preprocessor.

    MMRazor's ``cfg_path='mmaction::...'`` only reaches configs shipped in
    an installed package. This builder takes the path of any config, so a
    distillation config can name the configs its teacher and student were
    trained with::

        architecture=dict(
            type='model_from_config',
            config='{{fileDirname}}/../recognition/tsm_mobilenetv2.py')

    Args:
        config (str): Path of an MMAction2 (or other OpenMMLab) config.
        cfg_options (dict, optional): Overrides merged into that config, as
            with ``--cfg-options`` (e.g. ``{'model.cls_head.num_classes': 8}``).
        default_scope (str): Registry scope used when the config sets none.
            Defaults to ``'mmaction'``.

    Returns:
        torch.nn.Module: The model, built in the config's registry scope.
    """
    if not osp.isfile(config):
        raise FileNotFoundError(
            f'model_from_config: config file {config!r} does not exist '
            f'(working directory: {osp.abspath(".")})')
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if 'model' not in cfg:
        raise KeyError(f'model_from_config: {config!r} has no `model` key')
    model_cfg = cfg.model
    if 'data_preprocessor' in cfg and 'data_preprocessor' not in model_cfg:
        model_cfg.data_preprocessor = cfg.data_preprocessor
    scope = cfg.get('default_scope', None) or default_scope
    importlib.import_module(f'{scope}.utils').register_all_modules(False)
    with DefaultScope.overwrite_default_scope(scope):
        registry = importlib.import_module(f'{scope}.registry').MODELS
        return registry.build(model_cfg)
