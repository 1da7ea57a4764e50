# The tiny ST-GCN student alone with label smoothing 0.3: one more setting of
# the student's own recipe on the development folds for each distillation
# setting tried from the label-smoothed ensemble teacher
# (`run_msr_dev_folds.sh`, BASELINES="student-ls0.1 student-ls0.2
# student-ls0.3"), so the student alone keeps the same tuning budget.
_base_ = ['../../recognition/skeleton/stgcn-tiny_msr-action3d-joints.py']

model = dict(cls_head=dict(label_smooth_eps=0.3))
