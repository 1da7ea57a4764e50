# SGD, 50 epochs, 5 warm-up epochs, step decay: the schedule of MMAction2's
# tsm_imagenet-pretrained-r50_8xb16-1x1x8-50e_kinetics400-rgb.py (lr 0.02
# for 8 GPUs x 16 clips; warm-up stepped per epoch, as there).
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=50, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', begin=0, end=50, by_epoch=True,
         milestones=[25, 45], gamma=0.1)
]
# `architecture`: the student's optimizer (MMAction2's TSM groups, fc_lr5 on
# the student's classifier); a distiller's connectors train at the base lr,
# frozen teachers are left out (docs/amp_and_optimizer.md). This form lets
# `--amp` of MMRazor's and MMAction2's train.py switch on mixed precision.
optim_wrapper = dict(
    constructor='DistillOptimWrapperConstructor',
    architecture=dict(
        type='OptimWrapper',
        constructor='TSMOptimWrapperConstructor',
        paramwise_cfg=dict(fc_lr5=True),
        optimizer=dict(type='SGD', lr=0.02, momentum=0.9,
                       weight_decay=0.0001),
        clip_grad=dict(max_norm=20, norm_type=2)))

auto_scale_lr = dict(enable=False, base_batch_size=128)
