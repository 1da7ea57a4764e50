# VideoMAE ViT-B/16 on Kinetics-400 (16 frames x 224): the transformer
# teacher for attention distillation. Model and test protocol (5 clips x 3
# crops) are MMAction2's
# videomae/vit-base-p16_videomae-k400-pre_16x4x1_kinetics-400.py (reference
# top-1 81.3), a test-only config whose weights were converted from VideoMAE
# (self-supervised pre-training on Kinetics-400, then fine-tuning); its
# checkpoint loads into this model, e.g. as the distillation teacher
# (docs/kinetics_recipes.md). MMAction2 has no training recipe for it: the
# schedule below is this project's, and training from scratch does not
# reach the reference.
_base_ = ['../../_base_/default_runtime.py',
          '../../_base_/datasets/kinetics400_tsm.py',
          '../../_base_/schedules/sgd_50e_kinetics400.py']
num_frames = 16
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='VisionTransformer',
        img_size=224,
        patch_size=16,
        embed_dims=768,
        depth=12,
        num_heads=12,
        mlp_ratio=4,
        qkv_bias=True,
        num_frames=num_frames,
        norm_cfg=dict(type='LN', eps=1e-6)),
    cls_head=dict(
        type='TimeSformerHead',
        num_classes=400,
        in_channels=768,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=num_frames, frame_interval=4,
         num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='RandomResizedCrop'),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=num_frames, frame_interval=4,
         num_clips=1, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 224)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=8, dataset=dict(pipeline=val_pipeline))
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=num_frames, frame_interval=4,
         num_clips=5, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 224)),
    dict(type='ThreeCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
optim_wrapper = dict(
    _delete_=True,
    constructor='DistillOptimWrapperConstructor',
    architecture=dict(
        type='OptimWrapper',
        optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999),
                       weight_decay=0.05),
        clip_grad=dict(max_norm=5, norm_type=2)))
