# Offline variant of kd-kl (same KL loss, T = 4, same recorders): the
# ensemble teacher's outputs for 4 fixed views of every training clip are
# computed once, before training, into a packed store; training reads them
# in the data-loader workers (LoadTeacherOutputs) and never builds the
# teacher (StoredTeacherDistill). The random part of the benchmark's training
# pipeline (frames, resize to 54, crop 48) is wrapped in FixedViews, so the
# student sees one of these 4 views per clip and epoch.
#   python tools/precompute_teacher_outputs.py CONFIG \
#       --cfg-options model.teacher_ckpt=TEACHER.pth
# `tools/analysis/run_benchmark.sh` does this for every method named
# `*-stored`. Another store location: set both `model.store_root` and
# `train_dataloader.dataset.pipeline.2.store_root`.
_base_ = [
    './kd-kl_ensemble3-tsm-mobilenetv2-w0.5_tsm-mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py',  # noqa: E501
    '../../_base_/datasets/avletters_fixed_views.py'
]

store_root = 'work_dirs/teacher_store/kd-kl-stored_ensemble3-tsm-mobilenetv2-w0.5_tsm-mobilenetv2-w0.5_1x1x8_48px_avletters-rgb'  # noqa: E501
# kd-kl uses the logits only: record (and store) no features, a few hundred
# bytes per view instead of ~0.5 MB (the ensemble's 3 x 1280 feature channels)
model = dict(
    type='StoredTeacherDistill',
    store_root=store_root,
    distiller=dict(
        student_recorders=dict(
            _delete_=True,
            logits=dict(type='ModuleOutputs', source='cls_head')),
        teacher_recorders=dict(
            _delete_=True,
            logits=dict(type='ModuleOutputs', source='logits'))))

# the benchmark's own random transforms (54 px frames, 48 px crops), fixed
num_views = 4
fixed_views = dict(
    type='FixedViews',
    num_views=num_views,
    transforms=[
        dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(54, 54), keep_ratio=False),
        dict(type='RandomCrop', size=48),
    ])
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    fixed_views,
    dict(type='LoadTeacherOutputs', store_root=store_root,
         meta_keys={{_base_.view_meta_keys}}),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs', meta_keys={{_base_.view_meta_keys}},
         algorithm_keys=('teacher_outputs', ))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
# there is no teacher to validate
val_cfg = dict(_delete_=True, type='ValLoop')
