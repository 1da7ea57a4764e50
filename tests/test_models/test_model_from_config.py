"""Building teachers and students from their own config files."""
import os.path as osp

import pytest
from conftest import REPO
from mmrazor.registry import MODELS

import mmrazor_video_kd  # noqa: F401

TEACHER_CFG = osp.join(
    REPO, 'configs/recognition/tsm/tsm_r18_1x1x8_20e_motions-rgb.py')


def test_builds_model_with_its_preprocessor_through_mmrazor_registry():
    model = MODELS.build(
        dict(_scope_='mmrazor', type='model_from_config', config=TEACHER_CFG))
    assert type(model).__name__ == 'Recognizer2D'
    assert type(model.backbone).__name__ == 'ResNetTSM'
    assert model.backbone.depth == 18
    assert model.cls_head.num_classes == 8
    assert type(model.data_preprocessor).__name__ == 'ActionDataPreprocessor'


def test_cfg_options_override_the_config():
    model = MODELS.build(dict(
        _scope_='mmrazor', type='model_from_config', config=TEACHER_CFG,
        cfg_options={'model.cls_head.num_classes': 5}))
    assert model.cls_head.fc_cls.out_features == 5


def test_missing_config_is_named():
    with pytest.raises(FileNotFoundError, match='nope.py'):
        MODELS.build(dict(_scope_='mmrazor', type='model_from_config',
                          config='nope.py'))
