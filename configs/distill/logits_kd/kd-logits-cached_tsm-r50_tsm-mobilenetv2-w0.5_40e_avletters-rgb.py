# Offline variant of kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb:
# teacher logits are cached on disk per (clip, view, teacher) and the
# teacher only runs for views not seen before. The random part of the
# training pipeline is wrapped in FixedViews (4 fixed views per clip), so
# after a few epochs every view is cached.
_base_ = ['./kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py']

model = dict(type='CachedTeacherDistill', cache_dir='work_dirs/teacher_cache')

num_views = 4
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(
        type='FixedViews',
        num_views=num_views,
        transforms=[
            dict(type='SampleFrames', clip_len=1, frame_interval=1,
                 num_clips=8),
            dict(type='DecordDecode'),
            dict(type='Resize', scale=(72, 72), keep_ratio=False),
            dict(type='RandomCrop', size=64),
        ]),
    dict(type='FormatShape', input_format='NCHW'),
    # the cache keys need the file and the exact view
    dict(type='PackActionInputs',
         meta_keys=('img_shape', 'filename', 'view_index', 'frame_inds',
                    'crop_bbox', 'flip', 'flip_direction'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
