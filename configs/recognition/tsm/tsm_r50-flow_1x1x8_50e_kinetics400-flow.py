# TSM-ResNet50 on the optical flow of Kinetics-400: the flow teacher of the
# multi-modal recipe (configs/distill/cross_modal/xmt-rgb-flow-skeleton_*).
# MMAction2 has no TSM flow recipe (no reference top-1): this is its RGB
# recipe (tsm_r50_1x1x8_50e_kinetics400-rgb.py: schedule, ImageNet
# initialisation) on flow input, tested on the centre crop.
# Flow files: `python tools/data/compute_flow.py --videos VIDEO_DIR --lists
# LIST --out-dir data/kinetics400/flow` (one `<video stem>.npy` per video).
# The flow is fed as (dx, dy, |flow|) / max_magnitude, clipped, on the same
# crops as the RGB recipe: the RGB frames are decoded for the geometry only
# (LoadFlowFrames follows their crop and flip, then replaces `imgs`).
# `flow_dir` is substituted into the pipelines when this file is parsed; to
# move it, set `*_dataloader.dataset.pipeline.7.flow_dir` (train) and
# `.5.flow_dir` (val/test).
_base_ = ['./tsm_r50_1x1x8_50e_kinetics400-rgb.py']

flow_dir = 'data/kinetics400/flow'
max_magnitude = 20.0  # px at 224x224
model = dict(
    data_preprocessor=dict(mean=[0., 0., 0.], std=[1., 1., 1.]))
load_flow = dict(type='LoadFlowFrames', flow_dir=flow_dir, size=(224, 224),
                 max_magnitude=max_magnitude, with_magnitude=True, key='imgs')
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='MultiScaleCrop', input_size=224,
         scales=(1, 0.875, 0.75, 0.66), random_crop=False, max_wh_scale_gap=1,
         num_fixed_crops=13),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    load_flow,
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    load_flow,
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
