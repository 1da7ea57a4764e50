# TSN-ResNet50 student on Kinetics-400 (MMAction2 reference: 74.12 top-1).
_base_ = [
    '../../_base_/datasets/kinetics400_tsm.py',
    '../../_base_/schedules/sgd_50e_kinetics400.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    type='Recognizer2D',
    backbone=dict(type='ResNet', depth=50, pretrained=None, norm_eval=False),
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
optim_wrapper = dict(
    _delete_=True,
    constructor='DistillOptimWrapperConstructor',
    architecture=dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001),
        clip_grad=dict(max_norm=40, norm_type=2)))
