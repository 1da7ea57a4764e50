# The tiny ST-GCN student alone with label smoothing 0.4: the setting of the
# student's own recipe that matches `kd-kl-ls0.3` (distillation from the
# label-smoothed ensemble on the recipe with label smoothing 0.3) on the
# development folds, so the student alone keeps the same tuning budget.
_base_ = ['../../recognition/skeleton/stgcn-tiny_msr-action3d-joints.py']

model = dict(cls_head=dict(label_smooth_eps=0.4))
