# Cross-modal, label-free distillation from a skeleton-heatmap teacher on MSR
# Action3D: a PoseC3D teacher (20-joint heatmap volumes) teaches an ST-GCN
# student that sees the joints themselves, through the CrossModalTranslator's
# `skeleton` head (MSE from the student's pooled graph feature, translated,
# to the teacher's pooled clip feature). This is the skeleton part of the
# multi-modal recipe (RGB + flow + skeleton teachers): AVLetters, where the
# RGB and flow parts run (xmt-rgb-flow_*), has no skeletons, and MSR Action3D
# has no RGB, so the skeleton teacher is exercised here.
# One sample carries both views of the same sampled frames and flip:
# `imgs` (heatmaps drawn from the keypoints, the teacher's input) and
# `keypoint` ((u, v, confidence) per joint, the student's input).
# Label-free (`calculate_student_loss=False`): the student's classifier is
# not trained; set `model.calculate_student_loss=True` to add its
# cross-entropy. MultiTeacherValLoop reports the teacher's accuracy.
_base_ = ['../../recognition/skeleton/stgcn-tiny_msr-action3d-joints2d.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

teacher_ckpt = 'work_dirs/posec3d-tiny_msr-action3d-heatmap/epoch_30.pth'
teacher_config = '{{fileDirname}}/../../recognition/skeleton/posec3d-tiny_msr-action3d-heatmap.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/skeleton/stgcn-tiny_msr-action3d-joints2d.py'  # noqa: E501

data_root = '../shared/data/msr_action3d'
clip_len = 32
left_kp = [0, 4, 7, 9, 11, 13, 15, 17]  # MSR_LEFT_KP / MSR_RIGHT_KP
right_kp = [1, 5, 8, 10, 12, 14, 16, 18]
heatmap = dict(type='GeneratePoseTarget', sigma=0.6, use_score=True,
               with_kp=True, with_limb=False, left_kp=left_kp,
               right_kp=right_kp)
views = [
    heatmap,  # keypoint -> imgs (heatmaps); keypoint is kept
    dict(type='FormatShape', input_format='NCTHW_Heatmap'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs', collect_keys=('imgs', 'keypoint'))
]
train_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp),
    *views
]
val_pipeline = [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
         test_mode=True),
    dict(type='PoseDecode'),
    *views
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='MultiTeacherDistill',
    architecture=dict(type='model_from_config', config=student_config),
    student_view='keypoint',
    calculate_student_loss=False,
    teachers=dict(
        skeleton=dict(
            model=dict(type='model_from_config', config=teacher_config),
            ckpt=teacher_ckpt, view='imgs')),
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            # GCNHead's pooled feature, (N * persons, 128, 1, 1)
            feat=dict(type='ModuleOutputs', source='cls_head.pool')),
        teacher_recorders=dict(
            # (N, 64, T, H, W)
            skeleton_feat=dict(type='ModuleOutputs',
                               source='skeleton.backbone')),
        connectors=dict(
            translator=dict(
                type='CrossModalTranslator',
                in_channels=128,
                out_channels=dict(skeleton=64),
                in_num_segments=1)),
        distill_losses=dict(
            loss_xmt=dict(
                type='CrossModalTranslationLoss',
                teacher_layouts=dict(skeleton='3d'),
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_xmt=dict(
                translated=dict(from_student=True, recorder='feat',
                                connector='translator'),
                teacher_skeleton=dict(from_student=False,
                                      recorder='skeleton_feat')))))

# label-free (calculate_student_loss=False): no loss reaches the
# student's classifier (architecture.cls_head), so DDP must look for it
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.MultiTeacherValLoop')
