# A tiny ST-GCN student on MSR Action3D 3D joints (cross-subject split),
# trained from scratch with AdamW. MMAction2's `Graph` takes a custom layout
# as a dict (num_node, inward, center): here the 20-joint MSR skeleton of
# mmrazor_video_kd/datasets/msr_action3d_dataset.py (MSR_GRAPH_LAYOUT; the
# order differs from Kinect v2 / NTU's 25 joints). MSRAction3DDataset with
# `keypoint_type='3d'` gives the raw joints in metres as `keypoint`;
# PreNormalize3D drops the all-zero (lost) frames, centres on the first
# frame's last joint (the head; NTU's spine is used only for 25 joints) and
# rotates hip centre -> spine onto +z and right -> left shoulder onto +x.
_base_ = [
    '../../_base_/datasets/msr_action3d.py',
    '../../_base_/schedules/adamw_cosine_10e.py',
    '../../_base_/default_runtime.py'
]
# (child, parent) bones, 0-based; see MSR_SKELETON / MSR_JOINT_NAMES
msr_layout = dict(
    num_node=20,
    inward=[[19, 2], [0, 2], [1, 2], [2, 3], [6, 3], [4, 6], [5, 6], [7, 0],
            [9, 7], [11, 9], [8, 1], [10, 8], [12, 10], [13, 4], [15, 13],
            [17, 15], [14, 5], [16, 14], [18, 16]],
    center=3)
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='STGCN',
        graph_cfg=dict(layout=msr_layout, mode='stgcn_spatial'),
        in_channels=3,
        base_channels=32,
        num_stages=6,
        inflate_stages=[3, 5],
        down_stages=[3, 5]),
    cls_head=dict(type='GCNHead', num_classes=20, in_channels=128))

clip_len = 32
normalize = dict(type='PreNormalize3D', zaxis=[6, 3], xaxis=[1, 0])
# joints only: GenSkeFeat's bone / motion features ('b', 'bm', 'jm') use the
# bone pairs of a named layout ('nturgb+d': 25 joints), not the MSR graph
train_pipeline = [
    normalize,
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
val_pipeline = [
    normalize,
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
test_pipeline = [
    normalize,
    dict(type='GenSkeFeat', dataset='nturgb+d', feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]

train_dataloader = dict(
    dataset=dict(pipeline=train_pipeline, keypoint_type='3d'))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline, keypoint_type='3d'))
test_dataloader = dict(
    dataset=dict(pipeline=test_pipeline, keypoint_type='3d'))

max_epochs = 30
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
