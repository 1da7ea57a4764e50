# A teacher with more input for the MSR Action3D benchmark: MMAction2's
# full-size ST-GCN (as `stgcn_msr-action3d-joints.py`) on 12 channels per
# joint instead of 3: the 3D joints, their bones (joint - parent joint along
# the MSR graph's edges, JointToBoneByPairs), and the frame-to-frame motion of
# both (ToMotion), merged as [j, b, jm, bm] like GenSkeFeat does for NTU's
# named layout. Same frames, sampling and recipe as the tiny joints student
# (`stgcn-tiny_msr-action3d-joints.py`), whose input is channels 0-2 of it.
_base_ = ['./stgcn_msr-action3d-joints.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

clip_len = 32
normalize = dict(type='PreNormalize3D', zaxis=[6, 3], xaxis=[1, 0])
# the MSR graph's (child, parent) edges: stgcn-tiny_msr-action3d-joints.py
msr_bones = {{_base_.msr_layout.inward}}
features = [
    normalize,
    dict(type='JointToBoneByPairs', pairs=msr_bones, target='b'),
    dict(type='ToMotion', source='keypoint', target='jm'),
    dict(type='ToMotion', source='b', target='bm'),
    dict(type='MergeSkeFeat', feat_list=['keypoint', 'b', 'jm', 'bm'])
]
packing = [
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
train_pipeline = [
    *features, dict(type='UniformSampleFrames', clip_len=clip_len), *packing
]
val_pipeline = [
    *features,
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True), *packing
]
test_pipeline = [
    *features,
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10,
         test_mode=True), *packing
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

model = dict(backbone=dict(in_channels=12))
