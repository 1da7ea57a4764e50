# Logits distillation from the single-network teacher with more input (the
# benchmark's TSM-MobileNetV2 x0.5 on 16 frames of 72x72 crops,
# `tsm_mobilenetv2-w0.5_1x1x16_72px_avletters-rgb.py`) into the benchmark
# student (8 frames, 48 px): KL divergence at temperature 4 plus the
# student's own cross-entropy. Each training clip is cropped once for the
# teacher; the student sees every 2nd of its 16 frames, resized to 48x48
# (the same field of view as the student's own 48-pixel crop of 54x54
# frames). Schedule, runtime and validation (the student on its own
# pipeline) come from the student's config.
_base_ = ['./tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# `tools/analysis/run_benchmark.sh` sets it
# (`model.teachers.teacher.ckpt=PATH`) to the trained teacher's checkpoint.
teacher_ckpt = None
teacher_config = '{{fileDirname}}/tsm_mobilenetv2-w0.5_1x1x16_72px_avletters-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py'  # noqa: E501

train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=16),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(80, 80), keep_ratio=False),
    dict(type='RandomCrop', size=72),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='TemporalStrideViews', stride=1, views=dict(teacher=[0])),
    dict(type='TemporalStrideViews', stride=2, views=dict(student=[0])),
    dict(type='ResizeViews', sizes=dict(student=(48, 48))),
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
        # class scores after the segment consensus (8 segments for the
        # student, 16 for the teacher)
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
