# Feature distillation: mean squared error between the last-stage
# features, teacher normalised per position (layer norm), student projected
# by a SpatioTemporalAdapter.
# AVLetters (CPU-sized): TSM-ResNet50 teacher, TSM-MobileNetV2 student.
_base_ = ['../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# A teacher trained with `teacher_config`; set with
# `--cfg-options model.teacher_ckpt=PATH` (None: randomly initialised).
teacher_ckpt = 'work_dirs/tsm_r50_1x1x8_40e_avletters-rgb/epoch_40.pth'
teacher_config = '{{fileDirname}}/../../recognition/tsm/tsm_r50_1x1x8_40e_avletters-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py'  # noqa: E501

model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='VideoDistill',
    architecture=dict(type='model_from_config', config=student_config),
    teacher=dict(type='model_from_config', config=teacher_config),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone')),
        teacher_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone')),
        connectors=dict(
            adapter=dict(
                type='SpatioTemporalAdapter',
                in_channels=1280,
                out_channels=2048,
                in_num_segments=8)),
        distill_losses=dict(
            loss_feat=dict(
                type='FeatureDistillLoss',
                distance='mean_square_error',
                normalize_teacher='layer_norm',
                num_segments=8,
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_feat=dict(
                preds_S=dict(from_student=True, recorder='feat', connector='adapter'),
                preds_T=dict(from_student=False, recorder='feat')))))

find_unused_parameters = False
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
