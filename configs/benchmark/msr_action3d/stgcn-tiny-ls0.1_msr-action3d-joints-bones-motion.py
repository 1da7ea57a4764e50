# A member of the label-smoothed ensemble teacher for the MSR Action3D
# benchmark: the student's tiny ST-GCN (32 base channels, 6 stages, as
# `stgcn-tiny_msr-action3d-joints.py`) on the teacher's 12 channels per joint
# (joints, bones and their motion: `stgcn_msr-action3d-joints-bones-motion.py`)
# with the student's tuned label smoothing 0.1
# (`student-ls0.1_stgcn-tiny_msr-action3d-joints.py`). Trained with label
# smoothing, its class distribution on the training sequences stays soft
# instead of the near one-hot of an over-fitted full-size ST-GCN.
_base_ = ['./stgcn_msr-action3d-joints-bones-motion.py']

model = dict(
    backbone=dict(base_channels=32, num_stages=6, inflate_stages=[3, 5],
                  down_stages=[3, 5]),
    cls_head=dict(in_channels=128, label_smooth_eps=0.1))
