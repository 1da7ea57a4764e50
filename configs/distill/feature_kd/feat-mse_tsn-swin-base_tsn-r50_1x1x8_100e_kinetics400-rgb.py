# Feature distillation from a TSN-Swin-B teacher (timm backbone, features
# (N*T, 7, 7, 1024) channels-last) to a TSN-ResNet50 student on
# Kinetics-400: the student's last stage (N*T, 2048, 7, 7) is projected by a
# SpatioTemporalAdapter into the teacher's layout and channels; mean squared
# error to the layer-normalised teacher feature, plus the student's own
# cross-entropy. MMAction2's logits-only reference: 74.12 -> 75.54.
_base_ = ['../../recognition/tsn/tsn_r50_1x1x8_100e_kinetics400-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# A teacher trained with `teacher_config`; set with
# `--cfg-options model.teacher_ckpt=PATH` (None: randomly initialised).
teacher_ckpt = 'checkpoints/tsn_swin-base_1x1x8_50e_kinetics400-rgb.pth'
teacher_config = '{{fileDirname}}/../../recognition/tsn/tsn_swin-base_1x1x8_50e_kinetics400-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/tsn/tsn_r50_1x1x8_100e_kinetics400-rgb.py'  # noqa: E501
# its weights come from teacher_ckpt: timm must not fetch ImageNet weights
# (it would when the teacher is built)
teacher_options = dict(model=dict(backbone=dict(pretrained=False)))

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
        # timm models run `forward_features`, so record a submodule
        teacher_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone.norm')),
        connectors=dict(
            adapter=dict(
                type='SpatioTemporalAdapter',
                in_channels=2048,
                out_channels=1024,
                in_layout='2d',
                out_layout='2d-nhwc',
                in_num_segments=8)),
        distill_losses=dict(
            loss_feat=dict(
                type='FeatureDistillLoss',
                distance='mean_square_error',
                normalize_teacher='layer_norm',
                layout='2d-nhwc',
                num_segments=8,
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_feat=dict(
                preds_S=dict(
                    from_student=True, recorder='feat', connector='adapter'),
                preds_T=dict(from_student=False, recorder='feat')))))

find_unused_parameters = False
# the frozen teacher is evaluated at the first validation only
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherValLoop',
               evaluate_teacher='once')
