# Tri-model asymmetric distillation (small ViTs on AVLetters, CPU-sized):
# a teacher and a second frozen "assistant" (both ViT 192 wide, 3 heads; e.g.
# the same architecture trained with another seed or on other data) teach a
# ViT 96 wide, 2 heads. For each of the two: hidden states of the last three
# blocks (adapted to the teacher's width, MSE to the layer-normalised teacher),
# attention maps of those blocks and temperature-4 soft labels, weighted
# `teacher_weight` and `assistant_weight`; plus the asymmetric
# TeacherAnchoredHingeLoss (the student must stay at least as close to the
# teacher as the assistant is) and the student's own cross-entropy.
_base_ = ['../../recognition/videomae/vit-micro-p16_8x2x1_40e_avletters-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# Checkpoints of models trained with `teacher_config`; set them with
# `--cfg-options model.teachers.teacher.ckpt=PATH
# model.teachers.assistant.ckpt=PATH` (None: randomly initialised).
teacher_ckpt = 'work_dirs/vit-tiny-p16_8x2x1_40e_avletters-rgb/epoch_40.pth'
assistant_ckpt = 'work_dirs/vit-tiny-p16_8x2x1_40e_avletters-rgb-assistant/epoch_40.pth'  # noqa: E501
teacher_config = '{{fileDirname}}/../../recognition/videomae/vit-tiny-p16_8x2x1_40e_avletters-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/../../recognition/videomae/vit-micro-p16_8x2x1_40e_avletters-rgb.py'  # noqa: E501
teacher_weight, assistant_weight, asymmetric_weight = 1.0, 0.8, 1.0
blocks = (1, 2, 3)  # the last three of 4
token_grid = (4, 4, 4)  # (T, H, W) tokens of all three models
student_width, teacher_width = 96, 192

weights = dict(teacher=teacher_weight, assistant=assistant_weight)
model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='MultiTeacherDistill',
    architecture=dict(type='model_from_config', config=student_config),
    teachers=dict(
        teacher=dict(model=dict(type='model_from_config', config=teacher_config),
                     ckpt=teacher_ckpt),
        assistant=dict(model=dict(type='model_from_config', config=teacher_config),
                       ckpt=assistant_ckpt)),
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head'),
            **{f'attn{b}': dict(type='ModuleOutputs', source=f'backbone.blocks.{b}.attn.attn_drop') for b in blocks},
            **{f'feat{b}': dict(type='ModuleOutputs', source=f'backbone.blocks.{b}') for b in blocks}),
        teacher_recorders={
            **{f'{t}_logits': dict(type='ModuleOutputs', source=f'{t}.cls_head') for t in weights},
            **{f'{t}_attn{b}': dict(type='ModuleOutputs', source=f'{t}.backbone.blocks.{b}.attn.attn_drop') for t in weights for b in blocks},
            **{f'{t}_feat{b}': dict(type='ModuleOutputs', source=f'{t}.backbone.blocks.{b}') for t in weights for b in blocks}},
        connectors={
            f'{t}_adapter{b}': dict(type='SpatioTemporalAdapter', in_channels=student_width,
                                     out_channels=teacher_width, in_layout='tokens', in_grid=token_grid)
            for t in weights for b in blocks},
        distill_losses=dict(
            loss_asymmetric=dict(type='TeacherAnchoredHingeLoss', temperature=4,
                                 loss_weight=asymmetric_weight),
            **{f'loss_{t}_soft': dict(type='SoftLabelDistillLoss', temperature=4, loss_weight=w)
               for t, w in weights.items()},
            **{f'loss_{t}_attn{b}': dict(type='AttentionDistillLoss', loss_weight=w)
               for t, w in weights.items() for b in blocks},
            **{f'loss_{t}_feat{b}': dict(type='FeatureDistillLoss', normalize_teacher='layer_norm',
                                          layout='tokens', grid=token_grid, loss_weight=w)
               for t, w in weights.items() for b in blocks}),
        loss_forward_mappings=dict(
            loss_asymmetric=dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder='teacher_logits'),
                logits_A=dict(from_student=False, recorder='assistant_logits')),
            **{f'loss_{t}_soft': dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder=f'{t}_logits')) for t in weights},
            **{f'loss_{t}_attn{b}': dict(
                attn_S=dict(from_student=True, recorder=f'attn{b}'),
                attn_T=dict(from_student=False, recorder=f'{t}_attn{b}')) for t in weights for b in blocks},
            **{f'loss_{t}_feat{b}': dict(
                preds_S=dict(from_student=True, recorder=f'feat{b}', connector=f'{t}_adapter{b}'),
                preds_T=dict(from_student=False, recorder=f'{t}_feat{b}')) for t in weights for b in blocks})))

find_unused_parameters = False
val_cfg = dict(_delete_=True, type='mmrazor.MultiTeacherValLoop')
