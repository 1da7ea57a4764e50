# TSM-ResNet (MMAction2's _base_/models/tsm_r50.py; depth 50 by default, set
# `model.backbone.depth` for 18/34/101), from scratch by default: the CPU
# configs train it so. The Kinetics-400 configs set MMAction2's ImageNet
# initialisation (pretrained='torchvision://resnet50', pretrained2d=True).
model = dict(
    type='Recognizer2D',
    backbone=dict(
        type='ResNetTSM',
        depth=50,
        num_segments=8,
        norm_eval=False,
        shift_div=8,
        pretrained=None,
        pretrained2d=False),
    cls_head=dict(
        type='TSMHead',
        num_segments=8,
        num_classes=400,
        in_channels=2048,
        spatial_type='avg',
        consensus=dict(type='AvgConsensus', dim=1),
        dropout_ratio=0.5,
        init_std=0.001,
        is_shift=True,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCHW'),
    train_cfg=None,
    test_cfg=None)
