# `kd-kl-t1_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py`
# (temperature 1, chosen for the ensemble on the development folds) with the
# student's tuned recipe, `student-ls0.1_stgcn-tiny_msr-action3d-joints.py`
# (label smoothing 0.1 in the student's own cross-entropy, chosen for the
# student alone on the same folds): the distilled student trains with the
# recipe of the baseline it is compared with.
_base_ = ['./kd-kl-t1_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py']  # noqa: E501

student_config = '{{fileDirname}}/student-ls0.1_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
model = dict(architecture=dict(config=student_config))
