# `kd-kl_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py`
# with the KL term weighted 0.25 instead of 1: the same soft labels at
# temperature 4, the term (scaled by tau ** 2 = 16) about as heavy as the
# cross-entropy instead of dominating it. With `kd-kl-t1` (temperature 1,
# weight 1) it separates the weight from the temperature on the development
# folds (`tools/analysis/run_msr_dev_folds.sh`, METHODS).
_base_ = ['./kd-kl_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py']  # noqa: E501

model = dict(
    distiller=dict(distill_losses=dict(loss_kl=dict(loss_weight=0.25))))
