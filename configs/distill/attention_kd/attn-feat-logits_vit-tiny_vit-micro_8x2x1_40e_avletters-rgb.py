# Tri-signal transformer distillation (small ViTs on AVLetters, CPU-sized):
# attention maps of the last three blocks (heads averaged: 2 student
# vs 3 teacher heads), their hidden states (projected to the teacher's
# width by SpatioTemporalAdapters, MSE to the layer-normalised teacher), and
# temperature-4 soft labels, plus the student's own cross-entropy.
_base_ = ['../../recognition/videomae/vit-micro-p16_8x2x1_40e_avletters-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# A teacher trained with `teacher_config`; set with
# `--cfg-options model.teacher_ckpt=PATH` (None: randomly initialised).
teacher_ckpt = 'work_dirs/vit-tiny-p16_8x2x1_40e_avletters-rgb/epoch_40.pth'
teacher_config = '{{fileDirname}}/../../recognition/videomae/vit-tiny-p16_8x2x1_40e_avletters-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/videomae/vit-micro-p16_8x2x1_40e_avletters-rgb.py'  # noqa: E501
token_grid = (4, 4, 4)  # (T, H, W) tokens of both models

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
            attn1=dict(type='ModuleOutputs', source='backbone.blocks.1.attn.attn_drop'),
            attn2=dict(type='ModuleOutputs', source='backbone.blocks.2.attn.attn_drop'),
            attn3=dict(type='ModuleOutputs', source='backbone.blocks.3.attn.attn_drop'),
            feat1=dict(type='ModuleOutputs', source='backbone.blocks.1'),
            feat2=dict(type='ModuleOutputs', source='backbone.blocks.2'),
            feat3=dict(type='ModuleOutputs', source='backbone.blocks.3'),),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head'),
            attn1=dict(type='ModuleOutputs', source='backbone.blocks.1.attn.attn_drop'),
            attn2=dict(type='ModuleOutputs', source='backbone.blocks.2.attn.attn_drop'),
            attn3=dict(type='ModuleOutputs', source='backbone.blocks.3.attn.attn_drop'),
            feat1=dict(type='ModuleOutputs', source='backbone.blocks.1'),
            feat2=dict(type='ModuleOutputs', source='backbone.blocks.2'),
            feat3=dict(type='ModuleOutputs', source='backbone.blocks.3'),),
        connectors=dict(
            adapter1=dict(type='SpatioTemporalAdapter', in_channels=96, out_channels=192,
                           in_layout='tokens', in_grid=token_grid),
            adapter2=dict(type='SpatioTemporalAdapter', in_channels=96, out_channels=192,
                           in_layout='tokens', in_grid=token_grid),
            adapter3=dict(type='SpatioTemporalAdapter', in_channels=96, out_channels=192,
                           in_layout='tokens', in_grid=token_grid),),
        distill_losses=dict(
            loss_soft=dict(type='SoftLabelDistillLoss', temperature=4),
            loss_attn1=dict(type='AttentionDistillLoss'),
            loss_feat1=dict(type='FeatureDistillLoss', normalize_teacher='layer_norm',
                              layout='tokens', grid=token_grid),
            loss_attn2=dict(type='AttentionDistillLoss'),
            loss_feat2=dict(type='FeatureDistillLoss', normalize_teacher='layer_norm',
                              layout='tokens', grid=token_grid),
            loss_attn3=dict(type='AttentionDistillLoss'),
            loss_feat3=dict(type='FeatureDistillLoss', normalize_teacher='layer_norm',
                              layout='tokens', grid=token_grid),),
        loss_forward_mappings=dict(
            loss_soft=dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder='logits')),
            loss_attn1=dict(
                attn_S=dict(from_student=True, recorder='attn1'),
                attn_T=dict(from_student=False, recorder='attn1')),
            loss_feat1=dict(
                preds_S=dict(from_student=True, recorder='feat1', connector='adapter1'),
                preds_T=dict(from_student=False, recorder='feat1')),
            loss_attn2=dict(
                attn_S=dict(from_student=True, recorder='attn2'),
                attn_T=dict(from_student=False, recorder='attn2')),
            loss_feat2=dict(
                preds_S=dict(from_student=True, recorder='feat2', connector='adapter2'),
                preds_T=dict(from_student=False, recorder='feat2')),
            loss_attn3=dict(
                attn_S=dict(from_student=True, recorder='attn3'),
                attn_T=dict(from_student=False, recorder='attn3')),
            loss_feat3=dict(
                preds_S=dict(from_student=True, recorder='feat3', connector='adapter3'),
                preds_T=dict(from_student=False, recorder='feat3')))))

find_unused_parameters = False
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
