# TSM-MobileNetV2 student on Kinetics-400: MMAction2's
# tsm/tsm_imagenet-pretrained-mobilenetv2_8xb16-1x1x8-100e_kinetics400-rgb.py
# (reference top-1 68.71, 8 clips x 3 crops): ImageNet-initialised backbone,
# 8 GPUs x 16 clips, SGD lr 0.02 (wd 2e-5, fc_lr5, clip 20), 100 epochs, lr x0.1
# at 40 and 80, auto-scaled lr (base batch 128).
# The ImageNet weights come from `model.backbone.pretrained` (downloaded into
# torch's hub cache; docs/kinetics_recipes.md); from scratch:
# `--cfg-options model.backbone.pretrained=None model.backbone.pretrained2d=False`.
_base_ = [
    '../../_base_/models/tsm_mobilenet_v2.py',
    '../../_base_/datasets/kinetics400_tsm.py',
    '../../_base_/schedules/sgd_50e_kinetics400.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(pretrained='mmcls://mobilenet_v2', pretrained2d=True))

test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='ThreeCrop', crop_size=256),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

train_cfg = dict(max_epochs=100)
param_scheduler = [
    dict(type='MultiStepLR', begin=0, end=100, by_epoch=True,
         milestones=[40, 80], gamma=0.1)
]
optim_wrapper = dict(
    architecture=dict(optimizer=dict(lr=0.02, weight_decay=0.00002)))
auto_scale_lr = dict(enable=True, base_batch_size=128)
