# AdamW with a cosine schedule; set `train_cfg.max_epochs` and
# `param_scheduler` end for other lengths.
max_epochs = 10
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1,
    val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
# `architecture`: the student's optimizer; a distiller's connectors train
# too, frozen teachers are left out (docs/amp_and_optimizer.md). This form
# lets `--amp` of MMRazor's and MMAction2's train.py switch on mixed precision.
optim_wrapper = dict(
    constructor='DistillOptimWrapperConstructor',
    architecture=dict(
        type='OptimWrapper',
        optimizer=dict(type='AdamW', lr=2e-3, weight_decay=0.05),
        clip_grad=dict(max_norm=20, norm_type=2)))

auto_scale_lr = dict(enable=False, base_batch_size=16)
