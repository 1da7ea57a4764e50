# Fewer-frames distillation: from 16 frames sampled per clip, the student
# sees every other frame (8) and the teacher all 16 as two interleaved
# 8-frame clips, the first of them the student's (same crop), whose averaged
# prediction is the target of a KL loss at temperature 4. Validation: the
# student on 8 frames, as every benchmark student.
_base_ = ['./_base_/ensemble_teacher_distill.py']

train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=16),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(54, 54), keep_ratio=False),
    dict(type='RandomCrop', size=48),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='TemporalStrideViews', stride=2,
         views=dict(student=[0], teacher=[0, 1])),
    dict(type='PackActionInputs', collect_keys=('student', 'teacher'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='MultiTeacherDistill',
    architecture=dict(type='model_from_config', config={{_base_.student_config}}),
    student_view='student',
    teachers=dict(
        teacher=dict(
            model=dict(type='model_from_config', config={{_base_.teacher_config}}),
            ckpt={{_base_.teacher_ckpt}},
            view='teacher',
            forward_kwargs=dict(mode='tensor'))),
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='teacher.logits')),
        distill_losses=dict(
            loss_kl=dict(type='KLDivergence', tau=4, loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_kl=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))
val_cfg = dict(_delete_=True, type='ValLoop')
