# The tiny ST-GCN student alone with dropout 0.5 before its classifier: a
# candidate of the student's own recipe on the development folds
# (`tools/analysis/run_msr_dev_folds.sh`,
# BASELINES="student-ls0.1 student-dropout0.5"), so that the student alone
# gets as many tried settings as the distillation method it is compared with.
_base_ = ['../../recognition/skeleton/stgcn-tiny_msr-action3d-joints.py']

model = dict(cls_head=dict(dropout=0.5))
