# `kd-kl_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py`
# at temperature 1 instead of 4: the student matches the ensemble's own class
# distribution, and the KL term (scaled by tau ** 2) weighs about as much as
# the cross-entropy instead of dominating it. A candidate of the development
# folds (`tools/analysis/run_msr_dev_folds.sh`, METHODS="kd-kl kd-kl-t1").
_base_ = ['./kd-kl_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py']  # noqa: E501

model = dict(distiller=dict(distill_losses=dict(loss_kl=dict(tau=1))))
