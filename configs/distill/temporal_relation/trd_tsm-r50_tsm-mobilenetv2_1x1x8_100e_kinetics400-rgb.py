# Temporal relation distillation: the student matches the teacher's
# frame-to-frame similarity matrix (8x8) of last-stage features; no
# connector, any channel widths.
# Kinetics-400: TSM-ResNet50 teacher, TSM-MobileNetV2 student.
_base_ = ['../../recognition/tsm/tsm_mobilenetv2_1x1x8_100e_kinetics400-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# A teacher trained with `teacher_config`; set with
# `--cfg-options model.teacher_ckpt=PATH` (None: randomly initialised).
teacher_ckpt = 'checkpoints/tsm_r50_1x1x8_50e_kinetics400-rgb.pth'
teacher_config = '{{fileDirname}}/../../recognition/tsm/tsm_r50_1x1x8_50e_kinetics400-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/tsm/tsm_mobilenetv2_1x1x8_100e_kinetics400-rgb.py'  # noqa: E501
# its weights come from teacher_ckpt: no ImageNet download for the teacher
teacher_options = dict(
    model=dict(backbone=dict(pretrained=None, pretrained2d=False)))

model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='VideoDistill',
    architecture=dict(type='model_from_config', config=student_config),
    teacher=dict(type='model_from_config', config=teacher_config,
                 cfg_options=teacher_options),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone')),
        teacher_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone')),
        distill_losses=dict(
            loss_trd=dict(
                type='TemporalRelationLoss', num_segments=8,
                loss_weight=10.0)),
        loss_forward_mappings=dict(
            loss_trd=dict(
                preds_S=dict(from_student=True, recorder='feat'),
                preds_T=dict(from_student=False, recorder='feat')))))

find_unused_parameters = False
# the frozen teacher is evaluated at the first validation only
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherValLoop',
               evaluate_teacher='once')
