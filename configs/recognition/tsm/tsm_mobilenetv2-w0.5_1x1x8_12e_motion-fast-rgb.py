# Student of the demo: TSM-MobileNetV2 (width 0.5) on every 2nd of the 16
# frames of the generated fast moves (frames 0, 2, ..., 14), trained alone;
# also the config to test a distilled, converted student with.
_base_ = [
    '../../_base_/models/tsm_mobilenet_v2.py',
    '../../_base_/datasets/motion_fast.py',
    '../../_base_/schedules/adamw_cosine_10e.py',
    '../../_base_/default_runtime.py'
]
num_segments = 8
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=16),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 32)),
    dict(type='RandomCrop', size=28),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='TemporalStrideViews', stride=2, views=dict(imgs=[0])),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=16,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 32)),
    dict(type='CenterCrop', crop_size=28),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='TemporalStrideViews', stride=2, views=dict(imgs=[0])),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    backbone=dict(widen_factor=0.5, num_segments=num_segments),
    cls_head=dict(num_classes=8, in_channels=1280,
                  num_segments=num_segments, dropout_ratio=0.3))
max_epochs = 12
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
