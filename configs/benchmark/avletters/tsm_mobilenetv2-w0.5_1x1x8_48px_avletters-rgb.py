# The benchmark student (and teacher-ensemble member): TSM-MobileNetV2 (width
# 0.5), 8 segments, 48x48 crops of 54x54 AVLetters frames, trained from
# scratch for `max_epochs` epochs; validation on the held-out speakers at the
# end only (`tools/analysis/run_benchmark.sh` sets the seed and epochs).
_base_ = ['../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py']

resize, crop_size = 54, 48
max_epochs = 30
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(resize, resize), keep_ratio=False),
    dict(type='RandomCrop', size=crop_size),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(resize, resize), keep_ratio=False),
    dict(type='CenterCrop', crop_size=crop_size),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
# no label smoothing (MMAction2's default; a candidate recipe's
# `label_smoothing` sets it, tools/analysis/benchmark_candidates.py)
model = dict(cls_head=dict(label_smooth_eps=0.0))
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
# the benchmark reports the last epoch; one checkpoint kept, for --resume
default_hooks = dict(
    checkpoint=dict(interval=1, max_keep_ckpts=1, save_best=None),
    logger=dict(interval=5))
