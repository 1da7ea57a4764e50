# Logits distillation (KL divergence, temperature 4) from a TSM-ResNet50
# teacher to a TSM-MobileNetV2 (width 0.5) student on AVLetters. The student
# keeps its own cross-entropy loss.
_base_ = ['../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# Set to a teacher trained with `teacher_config`
# (`--cfg-options model.teacher_ckpt=PATH`).
teacher_ckpt = 'work_dirs/tsm_r50_1x1x8_40e_avletters-rgb/best.pth'
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
            logits=dict(type='ModuleOutputs', source='cls_head.fc_cls')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head.fc_cls')),
        distill_losses=dict(
            loss_kl=dict(type='KLDivergence', tau=4, loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_kl=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))

find_unused_parameters = False
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
