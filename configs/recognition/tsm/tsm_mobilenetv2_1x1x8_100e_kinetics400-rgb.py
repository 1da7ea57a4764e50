# TSM-MobileNetV2 student on Kinetics-400 (MMAction2 reference: 68.71 top-1
# without distillation).
_base_ = [
    '../../_base_/models/tsm_mobilenet_v2.py',
    '../../_base_/datasets/kinetics400_tsm.py',
    '../../_base_/schedules/sgd_50e_kinetics400.py',
    '../../_base_/default_runtime.py'
]
train_cfg = dict(max_epochs=100)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=95, eta_min=0, by_epoch=True,
         begin=5, end=100)
]
