# Logits distillation on MSR Action3D: the full-size ST-GCN teacher
# (`stgcn_msr-action3d-joints.py`) into the tiny ST-GCN student on the same
# 3D joints, KL divergence at temperature 4 plus the student's own
# cross-entropy. Schedule, data and runtime come from the student's config.
_base_ = ['../../recognition/skeleton/stgcn-tiny_msr-action3d-joints.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

# `tools/analysis/run_msr_benchmark.sh` sets it (`model.teacher_ckpt=PATH`).
teacher_ckpt = None
teacher_config = '{{fileDirname}}/stgcn_msr-action3d-joints.py'
student_config = '{{fileDirname}}/../../recognition/skeleton/stgcn-tiny_msr-action3d-joints.py'  # noqa: E501

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
            logits=dict(type='ModuleOutputs', source='cls_head')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='cls_head')),
        distill_losses=dict(
            loss_kl=dict(type='KLDivergence', tau=4, loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_kl=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))

find_unused_parameters = False
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
