# TSM-ResNet50 teacher on Kinetics-400: MMAction2's
# tsm/tsm_imagenet-pretrained-r50_8xb16-1x1x8-50e_kinetics400-rgb.py
# (reference top-1 73.18, 8 clips x 10 crops): ImageNet-initialised backbone,
# 8 GPUs x 16 clips, SGD lr 0.02 (wd 1e-4, fc_lr5, clip 20), 50 epochs, 5
# warm-up epochs, lr x0.1 at 25 and 45 (_base_/schedules/sgd_50e_kinetics400.py).
# The ImageNet weights come from `model.backbone.pretrained` (downloaded into
# torch's hub cache; docs/kinetics_recipes.md); from scratch:
# `--cfg-options model.backbone.pretrained=None model.backbone.pretrained2d=False`.
_base_ = [
    '../../_base_/models/tsm_r50.py',
    '../../_base_/datasets/kinetics400_tsm.py',
    '../../_base_/schedules/sgd_50e_kinetics400.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(pretrained='torchvision://resnet50', pretrained2d=True))
