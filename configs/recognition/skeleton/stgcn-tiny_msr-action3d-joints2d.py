# The tiny ST-GCN of stgcn-tiny_msr-action3d-joints.py on the *image-plane*
# joints of MSR Action3D: per joint (u, v, confidence) of the orthographic
# projection fitted into a 64x64 canvas (MSRAction3DDataset,
# keypoint_type='2d', the projection PoseC3D's heatmaps are drawn from).
# It is the student of the cross-modal skeleton recipe
# (configs/distill/cross_modal/xmt-skeleton_*): joints for the student,
# heatmap volumes of the same frames for the PoseC3D teacher. The data
# BatchNorm of ST-GCN normalises the pixel coordinates per joint and channel.
_base_ = ['./stgcn-tiny_msr-action3d-joints.py']

data_root = '../shared/data/msr_action3d'
clip_len = 32
train_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10,
         test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
dataset_cfg = dict(
    type='MSRAction3DDataset',
    data_prefix=dict(skeleton=f'{data_root}/skeletons'),
    keypoint_type='2d',
    img_shape=(64, 64),
    margin=4)
train_dataloader = dict(
    dataset=dict(_delete_=True, ann_file=f'{data_root}/train_list.txt',
                 pipeline=train_pipeline, skip_invalid=True, **dataset_cfg))
val_dataloader = dict(
    dataset=dict(_delete_=True, ann_file=f'{data_root}/test_list.txt',
                 pipeline=val_pipeline, test_mode=True, **dataset_cfg))
test_dataloader = dict(
    dataset=dict(_delete_=True, ann_file=f'{data_root}/test_list.txt',
                 pipeline=test_pipeline, test_mode=True, **dataset_cfg))
