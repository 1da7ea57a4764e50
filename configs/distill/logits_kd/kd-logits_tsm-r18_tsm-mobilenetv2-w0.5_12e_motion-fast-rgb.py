# Logits distillation (KL divergence, temperature 4) on the generated
# fast moves from a TSM-ResNet18 teacher that sees all 16 frames of a clip to a
# TSM-MobileNetV2 (width 0.5) student that sees every 2nd of them (frames 0,
# 2, ..., 14 of the same crop), the input of the student trained alone. The
# student keeps its own cross-entropy loss; schedule, runtime and validation
# data (the student on its 8 frames) come from the student's config.
_base_ = [
    '../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_12e_motion-fast-rgb.py'
]

# Set to the teacher trained with `teacher_config` (`--cfg-options
# model.teachers.teacher.ckpt=PATH`); `tools/run_demo.sh` trains one.
teacher_ckpt = 'work_dirs/demo/teacher/best.pth'
teacher_config = '{{fileDirname}}/../../recognition/tsm/tsm_r18_1x1x16_12e_motion-fast-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_12e_motion-fast-rgb.py'  # noqa: E501

train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=16),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 32)),
    dict(type='RandomCrop', size=28),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='TemporalStrideViews', stride=1, views=dict(teacher=[0])),
    dict(type='TemporalStrideViews', stride=2, views=dict(student=[0])),
    dict(type='PackActionInputs', collect_keys=('student', 'teacher'))
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
            view='teacher')),
    distiller=dict(
        type='ConfigurableDistiller',
        # class scores after the segment consensus: 8 segments for the
        # student, 16 for the teacher
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='teacher.cls_head')),
        distill_losses=dict(
            loss_kl=dict(type='KLDivergence', tau=4, loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_kl=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))

find_unused_parameters = False
val_cfg = dict(_delete_=True, type='ValLoop')
