# Consistent teaching on blended sequences: logits distillation (KL at
# temperature 4 plus the student's cross-entropy, as
# `kd-kl-ls0.1_ensemble3-stgcn-tiny-ls0.1-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py`)
# from the label-smoothed ensemble teacher into the tiny ST-GCN student on the
# recipe of `student-mixup0.5_stgcn-tiny_msr-action3d-joints.py` (label
# smoothing 0.3, mixup alpha 0.5). The student's data preprocessor blends its
# batch; MultiViewDataPreprocessor replays the same blend (same weight, same
# partners) on the teacher's 12-channel view, so the teacher's targets are
# its answer to the very sequences the student sees, sequences that no label
# covers.
_base_ = ['./kd-kl-ls0.1_ensemble3-stgcn-tiny-ls0.1-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py']  # noqa: E501

student_config = '{{fileDirname}}/student-mixup0.5_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
model = dict(architecture=dict(config=student_config))
