# Logits distillation (KL at temperature 4 plus the student's cross-entropy,
# as `kd-kl_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py`)
# from the label-smoothed ensemble teacher
# (`ensemble3_stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py`) into
# the tiny ST-GCN student with its tuned recipe
# (`student-ls0.1_stgcn-tiny_msr-action3d-joints.py`: label smoothing 0.1).
_base_ = ['./kd-kl_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py']  # noqa: E501

teacher_config = '{{fileDirname}}/ensemble3_stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py'  # noqa: E501
student_config = '{{fileDirname}}/student-ls0.1_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
model = dict(
    architecture=dict(config=student_config),
    teachers=dict(teacher=dict(model=dict(config=teacher_config))))
