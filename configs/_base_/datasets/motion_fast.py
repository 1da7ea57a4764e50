# Fast moves made by `tools/data/make_motion_dataset.py --task fast` (8
# classes: the direction of a shape moving 2.5-5 pixels a frame, wrapping
# around the edges; 32x32 mp4, 16 frames). Every frame is sampled (16
# segments, as the demo's teacher sees them); the student's config takes
# every 2nd of them. No flip: it would swap `left` and `right`.
_base_ = ['./motions.py']
data_root = 'data/motion_fast'
num_segments = 16
crop_size = 28

train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=16),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 32)),
    dict(type='RandomCrop', size=crop_size),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=16,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 32)),
    dict(type='CenterCrop', crop_size=crop_size),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(
    dataset=dict(
        ann_file=f'{data_root}/train_list.txt',
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        ann_file=f'{data_root}/val_list.txt',
        data_prefix=dict(video=data_root),
        pipeline=val_pipeline))
test_dataloader = val_dataloader
