# TSM-MobileNetV2 (width 0.5), 8 segments, trained from scratch on the
# optical flow of AVLetters: a flow teacher for multi-modal distillation.
#
# Flow files come from tools/data/compute_flow.py (Farneback, one float16
# `<video stem>.npy` per video), e.g.
#   python tools/data/compute_flow.py \
#       --videos ../shared/data/avletters/videos \
#       --lists ../shared/data/avletters/train_list.txt \
#       ../shared/data/avletters/val_list.txt --out-dir data/avletters_flow
# `flow_dir` is substituted into the pipelines when this file is parsed, so
# `--cfg-options flow_dir=...` does not reach them: edit it here, or set
#   train_dataloader.dataset.pipeline.5.flow_dir=DIR
#   val_dataloader.dataset.pipeline.5.flow_dir=DIR
#   test_dataloader.dataset.pipeline.5.flow_dir=DIR
# (relative paths are relative to the working directory).
#
# Input: MMAction2's MobileNetV2/MobileNetV2TSM build their first conv with
# 3 input channels (no `in_channels` argument), so the flow is fed as
# (dx, dy, |flow|), each divided by `max_magnitude` px and clipped.
# The RGB frames are decoded only for the recipe's geometry (Resize 72 +
# RandomCrop/CenterCrop 64, the crop recorded in `crop_quadruple`), which
# LoadFlowFrames applies to the flow before replacing `imgs` with it; for
# whole frames without decoding, keep DecordInit, SampleFrames,
# LoadFlowFrames and PackActionInputs only.
_base_ = [
    '../../_base_/models/tsm_mobilenet_v2.py',
    '../../_base_/datasets/avletters.py',
    '../../_base_/schedules/adamw_cosine_10e.py',
    '../../_base_/default_runtime.py'
]
flow_dir = 'data/avletters_flow'
max_magnitude = 8.0  # px at 64x64; ~99.9th percentile of AVLetters flow

model = dict(
    backbone=dict(widen_factor=0.5),
    cls_head=dict(num_classes=26, in_channels=1280, dropout_ratio=0.3),
    # the flow is already scaled to [-1, 1] (magnitude to [0, 1])
    data_preprocessor=dict(mean=[0., 0., 0.], std=[1., 1., 1.]))

load_flow = dict(
    type='LoadFlowFrames',
    flow_dir=flow_dir,
    size=(64, 64),
    max_magnitude=max_magnitude,
    with_magnitude=True,
    key='imgs')
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(72, 72), keep_ratio=False),
    dict(type='RandomCrop', size=64),
    load_flow,
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(72, 72), keep_ratio=False),
    dict(type='CenterCrop', crop_size=64),
    load_flow,
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

max_epochs = 40
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min_ratio=0.01,
         by_epoch=True, begin=0, end=max_epochs, convert_to_iter_based=True)
]
