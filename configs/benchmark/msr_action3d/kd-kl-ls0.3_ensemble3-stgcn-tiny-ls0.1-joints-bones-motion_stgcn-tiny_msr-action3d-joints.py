# `kd-kl-ls0.1_ensemble3-stgcn-tiny-ls0.1-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py`
# with the student's recipe tuned further on the development folds,
# `student-ls0.3_stgcn-tiny_msr-action3d-joints.py` (label smoothing 0.3):
# the distilled student trains with the recipe of the baseline it is
# compared with.
_base_ = ['./kd-kl-ls0.1_ensemble3-stgcn-tiny-ls0.1-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py']  # noqa: E501

student_config = '{{fileDirname}}/student-ls0.3_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
model = dict(architecture=dict(config=student_config))
