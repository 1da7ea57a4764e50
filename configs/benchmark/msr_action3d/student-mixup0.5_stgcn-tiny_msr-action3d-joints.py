# The tiny ST-GCN student alone on its tuned recipe (label smoothing 0.3,
# `student-ls0.3_stgcn-tiny_msr-action3d-joints.py`) with mixup (MMAction2's
# MixupBlending, alpha 0.5): each training batch is blended with a shuffled
# copy of itself, inputs and labels alike. It matches
# `kd-kl-mixup0.5_ensemble3-stgcn-tiny-ls0.1-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py`,
# the same recipe plus the teacher's targets on the same blended sequences,
# one setting for one on the development folds.
_base_ = ['./student-ls0.3_stgcn-tiny_msr-action3d-joints.py']

model = dict(
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        blending=dict(type='MixupBlending', num_classes=20, alpha=0.5)))
