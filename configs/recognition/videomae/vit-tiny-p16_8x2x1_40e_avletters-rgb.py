# A small ViT (VideoMAE architecture: 4 blocks, 192 channels, 3 heads,
# tubelets of 2 frames x 16x16 pixels) on AVLetters, 8 frames x 64x64:
# the CPU-sized transformer teacher for attention distillation.
_base_ = [
    '../../_base_/datasets/avletters.py',
    '../../_base_/schedules/adamw_cosine_10e.py',
    '../../_base_/default_runtime.py'
]
num_frames = 8
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='VisionTransformer',
        img_size=64,
        patch_size=16,
        embed_dims=192,
        depth=4,
        num_heads=3,
        mlp_ratio=4,
        qkv_bias=True,
        num_frames=num_frames,
        norm_cfg=dict(type='LN', eps=1e-6)),
    cls_head=dict(
        type='TimeSformerHead',
        num_classes=26,
        in_channels=192,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[64, 64, 64],
        format_shape='NCTHW'))
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=num_frames, frame_interval=2,
         num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(72, 72), keep_ratio=False),
    dict(type='RandomCrop', size=64),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=num_frames, frame_interval=2,
         num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(72, 72), keep_ratio=False),
    dict(type='CenterCrop', crop_size=64),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
max_epochs = 40
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
