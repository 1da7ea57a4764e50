# Soft-label distillation with hard labels, AutoGluon AutoMM's recipe
# (temperature 5, hard-label weight 0.1, soft-label weight 1) for video:
#   loss = hard_label_weight * CE(student, label)      (the student's own loss)
#        + soft_label_weight * T^2 KL(teacher_T || student_T)
#        + output_feature_loss_weight * MSE(adapter(student feature),
#                                           teacher feature)
# on the clip scores and the pooled features of the heads.
# AVLetters (CPU-sized): TSM-ResNet50 teacher, TSM-MobileNetV2 student.
_base_ = ['../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# A teacher trained with `teacher_config`; set with
# `--cfg-options model.teacher_ckpt=PATH` (None: randomly initialised).
teacher_ckpt = 'work_dirs/tsm_r50_1x1x8_40e_avletters-rgb/epoch_40.pth'
teacher_config = '{{fileDirname}}/../../recognition/tsm/tsm_r50_1x1x8_40e_avletters-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py'  # noqa: E501

temperature = 5
hard_label_weight = 0.1
soft_label_weight = 1.0
output_feature_loss_weight = 0.01

model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='VideoDistill',
    architecture=dict(type='model_from_config', config=student_config,
        cfg_options={'model.cls_head.loss_cls': dict(
            type='CrossEntropyLoss', loss_weight=hard_label_weight)}),
    teacher=dict(type='model_from_config', config=teacher_config),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head'),
            pooled=dict(type='ModuleOutputs', source='cls_head.avg_pool')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head'),
            pooled=dict(type='ModuleOutputs', source='cls_head.avg_pool')),
        connectors=dict(
            adapter=dict(
                type='SpatioTemporalAdapter',
                in_channels=1280,
                out_channels=2048,
                in_num_segments=8)),
        distill_losses=dict(
            loss_soft=dict(
                type='SoftLabelDistillLoss',
                temperature=temperature,
                soft_loss='kl',
                loss_weight=soft_label_weight),
            loss_feat=dict(
                type='FeatureDistillLoss',
                num_segments=8,
                loss_weight=output_feature_loss_weight)),
        loss_forward_mappings=dict(
            loss_soft=dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder='logits')),
            loss_feat=dict(
                preds_S=dict(from_student=True, recorder='pooled', connector='adapter'),
                preds_T=dict(from_student=False, recorder='pooled')))))

find_unused_parameters = False
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
