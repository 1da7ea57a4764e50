# Logits distillation on MSR Action3D from the ensemble of three full-size
# ST-GCNs on joints, bones and their motion
# (`ensemble3_stgcn_msr-action3d-joints-bones-motion.py`) into the tiny
# ST-GCN student on the joints alone: KL divergence at temperature 4 to the
# ensemble's averaged class distribution (its `logits`: the log of the
# averaged probabilities), plus the student's own cross-entropy. Views,
# schedule and validation as in the single teacher's config it extends.
_base_ = ['./kd-kl_stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py']  # noqa: E501

# `tools/analysis/run_msr_benchmark.sh` sets it
# (`model.teachers.teacher.ckpt=PATH`) to the checkpoint of
# `tools/analysis/build_ensemble_checkpoint.py`.
teacher_config = '{{fileDirname}}/ensemble3_stgcn_msr-action3d-joints-bones-motion.py'  # noqa: E501
model = dict(
    teachers=dict(teacher=dict(model=dict(config=teacher_config))),
    distiller=dict(
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='teacher.logits'))))
