# TSN-ResNet50 student on Kinetics-400: MMAction2's
# tsn/tsn_imagenet-pretrained-r50_8xb32-1x1x8-100e_kinetics400-rgb.py
# (reference top-1 74.12, 25 clips x 10 crops): ImageNet-initialised backbone
# (torchvision's ResNet-50 weights), 8 GPUs x 32 clips, SGD lr 0.01 (wd 1e-4,
# clip 40), 100 epochs, lr x0.1 at 40 and 80.
# The ImageNet weights come from `model.backbone.pretrained` (downloaded into
# torch's hub cache; docs/kinetics_recipes.md); from scratch:
# `--cfg-options model.backbone.pretrained=None`.
_base_ = [
    '../../_base_/datasets/kinetics400_tsm.py',
    '../../_base_/schedules/sgd_50e_kinetics400.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    type='Recognizer2D',
    backbone=dict(
        type='ResNet',
        pretrained='https://download.pytorch.org/models/resnet50-11ad3fa6.pth',
        depth=50,
        norm_eval=False),
    cls_head=dict(
        type='TSNHead',
        num_classes=400,
        in_channels=2048,
        spatial_type='avg',
        consensus=dict(type='AvgConsensus', dim=1),
        dropout_ratio=0.4,
        init_std=0.01,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCHW'),
    train_cfg=None,
    test_cfg=None)

# TSN's crops: MultiScaleCrop with its default 5 fixed crops (TSM: 13)
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='MultiScaleCrop', input_size=224,
         scales=(1, 0.875, 0.75, 0.66), random_crop=False, max_wh_scale_gap=1),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=25,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='TenCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=32)
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

train_cfg = dict(max_epochs=100)
param_scheduler = [
    dict(type='MultiStepLR', begin=0, end=100, by_epoch=True,
         milestones=[40, 80], gamma=0.1)
]
optim_wrapper = dict(
    _delete_=True,
    constructor='DistillOptimWrapperConstructor',
    architecture=dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001),
        clip_grad=dict(max_norm=40, norm_type=2)))
auto_scale_lr = dict(enable=False, base_batch_size=256)
