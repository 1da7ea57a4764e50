# Shared by the benchmark's distillation configs: the benchmark student
# (TSM-MobileNetV2 x0.5, 8 frames, 48 px) learns from the 3-member ensemble
# teacher on the same clips. Recorders: `logits` (student: cls_head output
# after segment consensus; teacher: log of the ensemble's averaged
# probabilities) and `feat` (last backbone stage; the teacher's is the three
# members' features concatenated, 3 x 1280 channels). Each method config adds
# `distill_losses` and `loss_forward_mappings` (and connectors).
_base_ = ['../tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# `tools/analysis/run_benchmark.sh` sets it (`model.teacher_ckpt=PATH`) to
# the checkpoint of `tools/analysis/build_ensemble_checkpoint.py`.
teacher_ckpt = None
teacher_config = '{{fileDirname}}/../ensemble3_tsm-mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py'  # noqa: E501
student_config = '{{fileDirname}}/../tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py'  # noqa: E501

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
            feat=dict(type='ModuleOutputs', source='backbone')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='logits'),
            feat=dict(type='ModuleOutputs', source='features'))))

find_unused_parameters = False
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
