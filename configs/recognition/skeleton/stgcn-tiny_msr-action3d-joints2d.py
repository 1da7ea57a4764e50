# The tiny ST-GCN of stgcn-tiny_msr-action3d-joints.py on the *image-plane*
# joints of MSR Action3D: per joint (u, v, confidence) of the orthographic
# projection fitted into a 64x64 canvas (MSRAction3DDataset,
# keypoint_type='2d', the projection PoseC3D's heatmaps are drawn from).
# It is the student of the cross-modal skeleton recipe
# (configs/distill/cross_modal/xmt-skeleton_*): joints for the student,
# heatmap volumes of the same frames for the PoseC3D teacher. The data
# BatchNorm of ST-GCN normalises the pixel coordinates per joint and channel.
_base_ = ['./stgcn-tiny_msr-action3d-joints.py']

clip_len = 32
joints = [
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
train_pipeline = [dict(type='UniformSampleFrames', clip_len=clip_len), *joints]
val_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True), *joints
]
test_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10,
         test_mode=True), *joints
]
projection = dict(keypoint_type='2d', img_shape=(64, 64), margin=4)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline, **projection))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline, **projection))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline, **projection))
