# PoseC3D (SlowOnly-R50 of MMAction2's keypoint recipe) on Kinetics-400
# skeletons rendered as 17-joint heatmap volumes at the 8 frames that TSM
# samples: the skeleton teacher of the multi-modal recipe
# (configs/distill/cross_modal/xmt-rgb-flow-skeleton_*). Keypoints come from
# an MMAction2 pose annotation file (`frame_dir` = video file stem; e.g.
# MMAction2's k400_2d.pkl split into train/val), rendered by
# LoadSkeletonHeatmaps on the crops of the RGB recipe (the frames are decoded
# for the geometry only), so the teacher sees in training what it sees
# beside the RGB student.
# Model and optimisation are MMAction2's
# skeleton/posec3d/slowonly_r50_8xb32-u48-240e_k400-keypoint.py (reference
# top-1 47.4, from scratch as there): 8 GPUs x 32 clips, SGD lr 0.4 (wd 1e-4,
# clip 40), cosine over 240 epochs per iteration (there: 24 epochs of a 10x
# RepeatDataset). Its input differs by design: 8 frames in the RGB crops
# instead of 48 uniformly sampled frames of the pose-centred box, so its
# top-1 is not expected here.
_base_ = [
    '../../_base_/datasets/kinetics400_tsm.py',
    '../../_base_/schedules/sgd_50e_kinetics400.py',
    '../../_base_/default_runtime.py'
]
pose_train = 'data/kinetics400/k400_2d_train.pkl'
pose_val = 'data/kinetics400/k400_2d_val.pkl'
model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet3dSlowOnly',
        depth=50,
        pretrained=None,
        in_channels=17,
        base_channels=32,
        num_stages=3,
        out_indices=(2, ),
        stage_blocks=(3, 4, 6),
        conv1_stride_s=1,
        pool1_stride_s=1,
        inflate=(0, 1, 1),
        spatial_strides=(2, 2, 2),
        temporal_strides=(1, 1, 2),
        dilations=(1, 1, 1)),
    cls_head=dict(
        type='I3DHead',
        in_channels=512,
        num_classes=400,
        spatial_type='avg',
        dropout_ratio=0.5,
        average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           format_shape='NCTHW'))

heatmap = dict(sigma=0.6, use_score=True, with_kp=True, with_limb=False)
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='MultiScaleCrop', input_size=224,
         scales=(1, 0.875, 0.75, 0.66), random_crop=False, max_wh_scale_gap=1,
         num_fixed_crops=13),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='LoadSkeletonHeatmaps', ann_file=pose_train, size=(56, 56),
         heatmap=heatmap, key='imgs'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='LoadSkeletonHeatmaps', ann_file=pose_val, size=(56, 56),
         heatmap=heatmap, key='imgs'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=32, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=val_pipeline))

train_cfg = dict(max_epochs=240)
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, T_max=240, by_epoch=True,
         convert_to_iter_based=True)
]

# MMAction2's PoseC3D optimiser (8 GPUs x 32 clips)
optim_wrapper = dict(
    _delete_=True,
    constructor='DistillOptimWrapperConstructor',
    architecture=dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=0.4, momentum=0.9, weight_decay=0.0001),
        clip_grad=dict(max_norm=40, norm_type=2)))
auto_scale_lr = dict(enable=False, base_batch_size=256)
