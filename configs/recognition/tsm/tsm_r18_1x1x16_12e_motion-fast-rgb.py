# Teacher of the demo: TSM-ResNet18 on all 16 frames of the generated fast
# moves.
_base_ = [
    '../../_base_/models/tsm_r50.py', '../../_base_/datasets/motion_fast.py',
    '../../_base_/schedules/adamw_cosine_10e.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(depth=18, num_segments=16),
    cls_head=dict(num_classes=8, in_channels=512, num_segments=16,
                  dropout_ratio=0.3))
max_epochs = 12
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
