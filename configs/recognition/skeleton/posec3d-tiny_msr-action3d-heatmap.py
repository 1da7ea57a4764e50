# A tiny PoseC3D (SlowOnly-R18, 16 base channels, 3 stages of 1 block) on
# MSR Action3D skeletons rendered as 20-joint heatmap volumes, 32 frames of
# 64x64 (cross-subject split: odd subjects train, even subjects test),
# trained from scratch with AdamW.
# Skeletons are read from `../shared/data/msr_action3d` (MSRAction3DDataset:
# orthographic, non-mirrored projection, each sequence fitted into a 64x64
# canvas with a 4 px margin; see mmrazor_video_kd/datasets/
# msr_action3d_dataset.py). `train_list.txt` holds the all-zero a13_s09_e02,
# hence `skip_invalid=True` for training (291 sequences).
#
# Differences from MMAction2's posec3d configs: no `PoseCompact` (the
# dataset already fits each sequence to the canvas, and PoseCompact uses
# `np.Inf`, removed in NumPy 2), no `Resize(scale=(-1, 64))` (the canvas is
# 64x64 already), the MSR joint layout for flips and test-time flip
# averaging.
_base_ = [
    '../../_base_/datasets/msr_action3d.py',
    '../../_base_/schedules/adamw_cosine_10e.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet3dSlowOnly',
        depth=18,
        pretrained=None,
        in_channels=20,
        base_channels=16,
        num_stages=3,
        out_indices=(2, ),
        stage_blocks=(1, 1, 1),
        conv1_kernel=(1, 7, 7),
        conv1_stride_s=2,  # 1 in PoseC3D; 2 halves the CPU time
        pool1_stride_s=1,
        inflate=(0, 1, 1),
        spatial_strides=(1, 2, 2),
        temporal_strides=(1, 1, 2),
        dilations=(1, 1, 1)),
    cls_head=dict(
        type='I3DHead',
        in_channels=64,
        num_classes=20,
        dropout_ratio=0.5,
        average_clips='prob'))

clip_len = 32
canvas = (64, 64)
# MSR Action3D joint order (0-based; mmrazor_video_kd.datasets.
# msr_action3d_dataset.MSR_LEFT_KP / MSR_RIGHT_KP)
left_kp = [0, 4, 7, 9, 11, 13, 15, 17]
right_kp = [1, 5, 8, 10, 12, 14, 16, 18]
heatmap = dict(
    type='GeneratePoseTarget',
    sigma=0.6,
    use_score=True,
    with_kp=True,
    with_limb=False,
    left_kp=left_kp,
    right_kp=right_kp)

train_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp),
    heatmap,
    dict(type='FormatShape', input_format='NCTHW_Heatmap'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    heatmap,
    dict(type='FormatShape', input_format='NCTHW_Heatmap'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=5,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(heatmap, double=True),
    dict(type='FormatShape', input_format='NCTHW_Heatmap'),
    dict(type='PackActionInputs')
]

projection = dict(keypoint_type='2d', img_shape=canvas, margin=4)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline, **projection))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline, **projection))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline, **projection))

max_epochs = 30
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
