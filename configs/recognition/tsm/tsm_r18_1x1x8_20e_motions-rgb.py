# Teacher of the demo: TSM-ResNet18, 8 segments, on the generated motions.
_base_ = [
    '../../_base_/models/tsm_r50.py', '../../_base_/datasets/motions.py',
    '../../_base_/schedules/adamw_cosine_10e.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(depth=18),
    cls_head=dict(num_classes=8, in_channels=512, dropout_ratio=0.3))
max_epochs = 20
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
