# `kd-kl-ls0.1_ensemble3-stgcn-tiny-ls0.1-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py`
# at temperature 1 instead of 4 (as `kd-kl-t1` is for the full-size
# ensemble): the student matches the label-smoothed ensemble's own class
# distribution.
_base_ = ['./kd-kl-ls0.1_ensemble3-stgcn-tiny-ls0.1-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py']  # noqa: E501

model = dict(distiller=dict(distill_losses=dict(loss_kl=dict(tau=1))))
