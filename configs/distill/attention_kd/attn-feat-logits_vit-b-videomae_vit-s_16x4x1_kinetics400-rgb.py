# Tri-signal transformer distillation (VideoMAE ViT-B -> ViT-S, Kinetics-400):
# attention maps of the last three blocks (heads averaged: 6 student
# vs 12 teacher heads), their hidden states (projected to the teacher's
# width by SpatioTemporalAdapters, MSE to the layer-normalised teacher), and
# temperature-4 soft labels, plus the student's own cross-entropy.
_base_ = ['../../recognition/videomae/vit-small-p16_16x4x1_kinetics400-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# A teacher trained with `teacher_config`; set with
# `--cfg-options model.teacher_ckpt=PATH` (None: randomly initialised).
teacher_ckpt = 'checkpoints/vit-base-p16_videomae_16x4x1_kinetics400-rgb.pth'
teacher_config = '{{fileDirname}}/../../recognition/videomae/vit-base-p16_videomae_16x4x1_kinetics400-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/videomae/vit-small-p16_16x4x1_kinetics400-rgb.py'  # noqa: E501
token_grid = (8, 14, 14)  # (T, H, W) tokens of both models

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
            logits=dict(type='ModuleOutputs', source='cls_head'),
            attn9=dict(type='ModuleOutputs', source='backbone.blocks.9.attn.attn_drop'),
            attn10=dict(type='ModuleOutputs', source='backbone.blocks.10.attn.attn_drop'),
            attn11=dict(type='ModuleOutputs', source='backbone.blocks.11.attn.attn_drop'),
            feat9=dict(type='ModuleOutputs', source='backbone.blocks.9'),
            feat10=dict(type='ModuleOutputs', source='backbone.blocks.10'),
            feat11=dict(type='ModuleOutputs', source='backbone.blocks.11'),),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head'),
            attn9=dict(type='ModuleOutputs', source='backbone.blocks.9.attn.attn_drop'),
            attn10=dict(type='ModuleOutputs', source='backbone.blocks.10.attn.attn_drop'),
            attn11=dict(type='ModuleOutputs', source='backbone.blocks.11.attn.attn_drop'),
            feat9=dict(type='ModuleOutputs', source='backbone.blocks.9'),
            feat10=dict(type='ModuleOutputs', source='backbone.blocks.10'),
            feat11=dict(type='ModuleOutputs', source='backbone.blocks.11'),),
        connectors=dict(
            adapter9=dict(type='SpatioTemporalAdapter', in_channels=384, out_channels=768,
                           in_layout='tokens', in_grid=token_grid),
            adapter10=dict(type='SpatioTemporalAdapter', in_channels=384, out_channels=768,
                           in_layout='tokens', in_grid=token_grid),
            adapter11=dict(type='SpatioTemporalAdapter', in_channels=384, out_channels=768,
                           in_layout='tokens', in_grid=token_grid),),
        distill_losses=dict(
            loss_soft=dict(type='SoftLabelDistillLoss', temperature=4),
            loss_attn9=dict(type='AttentionDistillLoss'),
            loss_feat9=dict(type='FeatureDistillLoss', normalize_teacher='layer_norm',
                              layout='tokens', grid=token_grid),
            loss_attn10=dict(type='AttentionDistillLoss'),
            loss_feat10=dict(type='FeatureDistillLoss', normalize_teacher='layer_norm',
                              layout='tokens', grid=token_grid),
            loss_attn11=dict(type='AttentionDistillLoss'),
            loss_feat11=dict(type='FeatureDistillLoss', normalize_teacher='layer_norm',
                              layout='tokens', grid=token_grid),),
        loss_forward_mappings=dict(
            loss_soft=dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder='logits')),
            loss_attn9=dict(
                attn_S=dict(from_student=True, recorder='attn9'),
                attn_T=dict(from_student=False, recorder='attn9')),
            loss_feat9=dict(
                preds_S=dict(from_student=True, recorder='feat9', connector='adapter9'),
                preds_T=dict(from_student=False, recorder='feat9')),
            loss_attn10=dict(
                attn_S=dict(from_student=True, recorder='attn10'),
                attn_T=dict(from_student=False, recorder='attn10')),
            loss_feat10=dict(
                preds_S=dict(from_student=True, recorder='feat10', connector='adapter10'),
                preds_T=dict(from_student=False, recorder='feat10')),
            loss_attn11=dict(
                attn_S=dict(from_student=True, recorder='attn11'),
                attn_T=dict(from_student=False, recorder='attn11')),
            loss_feat11=dict(
                preds_S=dict(from_student=True, recorder='feat11', connector='adapter11'),
                preds_T=dict(from_student=False, recorder='feat11')))))

find_unused_parameters = False
# the frozen teacher is evaluated at the first validation only
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherValLoop',
               evaluate_teacher='once')
