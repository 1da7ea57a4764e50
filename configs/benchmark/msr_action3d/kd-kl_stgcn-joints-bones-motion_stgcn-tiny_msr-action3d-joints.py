# Logits distillation on MSR Action3D from the teacher with more input (the
# full-size ST-GCN on joints, bones and their motion, 12 channels,
# `stgcn_msr-action3d-joints-bones-motion.py`) into the tiny ST-GCN student
# on the 3D joints alone: KL divergence at temperature 4 plus the student's
# own cross-entropy. Each training sample is sampled once; the teacher sees
# all 12 channels (`keypoint`), the student channels 0-2 (`student`: the
# same joints its own pipeline gives). Schedule, runtime and validation (the
# student on its own pipeline) come from the student's config.
_base_ = ['./kd-kl_stgcn_stgcn-tiny_msr-action3d-joints.py']

# `tools/analysis/run_msr_benchmark.sh` sets it
# (`model.teachers.teacher.ckpt=PATH`) to the trained teacher's checkpoint.
teacher_ckpt = None
teacher_config = '{{fileDirname}}/stgcn_msr-action3d-joints-bones-motion.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/skeleton/stgcn-tiny_msr-action3d-joints.py'  # noqa: E501

clip_len = 32
normalize = dict(type='PreNormalize3D', zaxis=[6, 3], xaxis=[1, 0])
# the MSR graph's (child, parent) edges: stgcn-tiny_msr-action3d-joints.py
msr_bones = {{_base_.msr_layout.inward}}
train_pipeline = [
    normalize,
    dict(type='JointToBoneByPairs', pairs=msr_bones, target='b'),
    dict(type='ToMotion', source='keypoint', target='jm'),
    dict(type='ToMotion', source='b', target='bm'),
    dict(type='MergeSkeFeat', feat_list=['keypoint', 'b', 'jm', 'bm']),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='ChannelViews', views=dict(student=[0, 1, 2])),
    dict(type='PackActionInputs', collect_keys=('student', 'keypoint'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='MultiTeacherDistill',
    architecture=dict(type='model_from_config', config=student_config),
    student_view='student',
    teachers=dict(
        teacher=dict(
            model=dict(type='model_from_config', config=teacher_config),
            ckpt=teacher_ckpt,
            view='keypoint')),
    # the single teacher's distiller; its teacher recorders (only `logits`)
    # replaced by one that finds the head inside MultiTeacherDistill's
    # `teachers` (module `teacher`)
    distiller=dict(
        _base_.model.distiller,
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='teacher.cls_head'))))

val_cfg = dict(_delete_=True, type='ValLoop')
