# TSM-MobileNetV2 (width 0.5), 8 segments, trained from scratch on AVLetters
# (speaker-independent split).
_base_ = [
    '../../_base_/models/tsm_mobilenet_v2.py',
    '../../_base_/datasets/avletters.py',
    '../../_base_/schedules/adamw_cosine_10e.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(widen_factor=0.5),
    cls_head=dict(num_classes=26, in_channels=1280, dropout_ratio=0.3),
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5], std=[64, 64, 64]))
max_epochs = 40
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
