# The random part of the AVLetters training pipeline (frames, resize, crop)
# wrapped in FixedViews: each clip has `num_views` fixed views, so teacher
# outputs can be stored per view (CachedTeacherDistill, or
# StoredTeacherDistill after tools/precompute_teacher_outputs.py). Used by
# configs whose train_pipeline is
#   DecordInit, {{_base_.fixed_views}}, FormatShape, [LoadTeacherOutputs,]
#   PackActionInputs(meta_keys={{_base_.view_meta_keys}})
num_views = 4
fixed_views = dict(
    type='FixedViews',
    num_views=num_views,
    transforms=[
        dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(72, 72), keep_ratio=False),
        dict(type='RandomCrop', size=64),
    ])
# the stored outputs are keyed by the file and the exact view
view_meta_keys = ('img_shape', 'filename', 'view_index', 'frame_inds',
                  'crop_bbox', 'flip', 'flip_direction')
