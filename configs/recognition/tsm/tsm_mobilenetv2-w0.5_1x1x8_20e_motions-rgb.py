# Student of the demo: TSM-MobileNetV2 (width 0.5), 8 segments, on the
# generated motions; also the config to test a converted student with.
_base_ = [
    '../../_base_/models/tsm_mobilenet_v2.py',
    '../../_base_/datasets/motions.py',
    '../../_base_/schedules/adamw_cosine_10e.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(widen_factor=0.5),
    cls_head=dict(num_classes=8, in_channels=1280, dropout_ratio=0.3))
max_epochs = 20
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
