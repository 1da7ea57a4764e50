# TSN with a timm Swin-B backbone, teacher on Kinetics-400: MMAction2's
# tsn/custom_backbones/tsn_imagenet-pretrained-swin-transformer_32xb8-1x1x8-50e_kinetics400-rgb.py
# (reference top-1 79.22, 25 clips x 10 crops): timm's ImageNet weights
# (`pretrained=True`, fetched by timm from the Hugging Face Hub when the model
# is built), the TSN-R50 recipe (SGD lr 0.01 for a batch of 256) with 50
# epochs, lr x0.1 at 20 and 40. From scratch:
# `--cfg-options model.backbone.pretrained=False`.
_base_ = ['./tsn_r50_1x1x8_100e_kinetics400-rgb.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='timm.swin_base_patch4_window7_224',
        pretrained=True,
        feature_shape='NHWC'),
    cls_head=dict(in_channels=1024))

train_cfg = dict(max_epochs=50)
param_scheduler = [
    dict(type='MultiStepLR', begin=0, end=50, by_epoch=True,
         milestones=[20, 40], gamma=0.1)
]
