"""The AutoMM-style recipe: its three weights land where they act."""
import os.path as osp

from conftest import REPO
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope

import mmrazor_video_kd  # noqa: F401

CONFIG = osp.join(
    REPO, 'configs/distill/soft_label_kd/'
    'soft-label-t5_tsm-r50_tsm-mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py')


def test_weights_of_the_recipe():
    cfg = Config.fromfile(CONFIG)
    assert (cfg.temperature, cfg.hard_label_weight, cfg.soft_label_weight,
            cfg.output_feature_loss_weight) == (5, 0.1, 1.0, 0.01)
    cfg.model.teacher_ckpt = None
    init_default_scope('mmaction')
    model = MODELS.build(cfg.model)
    losses = model.distiller.distill_losses
    assert model.architecture.cls_head.loss_cls.loss_weight == 0.1
    assert losses['loss_soft'].temperature == 5
    assert losses['loss_soft'].loss_weight == 1.0
    assert losses['loss_feat'].loss_weight == 0.01
