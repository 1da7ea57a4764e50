# Offline variant of kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb:
# teacher logits are cached on disk per (clip, view, teacher) and the
# teacher only runs for views not seen before. The random part of the
# training pipeline is wrapped in FixedViews (4 fixed views per clip), so
# after a few epochs every view is cached. To precompute every view before
# training instead, see kd-logits-stored_*.
_base_ = [
    './kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py',
    '../../_base_/datasets/avletters_fixed_views.py'
]

model = dict(type='CachedTeacherDistill', cache_dir='work_dirs/teacher_cache')

train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    {{_base_.fixed_views}},
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs', meta_keys={{_base_.view_meta_keys}})
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
