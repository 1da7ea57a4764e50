# TSM-MobileNetV2 (MMAction2's _base_/models/tsm_mobilenet_v2.py), from
# scratch by default: the CPU configs train it so. The Kinetics-400 config
# sets MMAction2's ImageNet initialisation (pretrained='mmcls://mobilenet_v2',
# pretrained2d=True).
model = dict(
    type='Recognizer2D',
    backbone=dict(
        type='MobileNetV2TSM',
        shift_div=8,
        num_segments=8,
        is_shift=True,
        widen_factor=1.0,
        pretrained=None,
        pretrained2d=False),
    cls_head=dict(
        type='TSMHead',
        num_segments=8,
        num_classes=400,
        in_channels=1280,
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
