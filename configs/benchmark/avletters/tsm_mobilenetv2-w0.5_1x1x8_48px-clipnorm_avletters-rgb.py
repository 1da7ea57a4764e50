# The benchmark student with every clip brought to one mean intensity and
# contrast (StandardizeClipIntensity, after resizing, in training and test):
# AVLetters speakers were recorded with different brightness (mean frame
# intensity 85 for Bill, 99-119 for the other six speakers). A candidate
# recipe for the development split (docs/benchmark_protocol.md).
_base_ = ['./tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py']

resize, crop_size = 54, 48
standardize = dict(type='StandardizeClipIntensity', target_mean=110.0,
                   target_std=25.0)
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(resize, resize), keep_ratio=False),
    standardize,
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
    standardize,
    dict(type='CenterCrop', crop_size=crop_size),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
