# Offline variant of kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb:
# the teacher's logits of the 4 fixed views of every training clip are
# computed once, before training, into a packed store; training reads them
# in the data-loader workers (LoadTeacherOutputs) and never builds the
# teacher or reads its checkpoint (StoredTeacherDistill):
#   python tools/precompute_teacher_outputs.py CONFIG \
#       --cfg-options model.teacher_ckpt=TEACHER.pth
#   mim train mmrazor CONFIG --cfg-options model.teacher_ckpt=TEACHER.pth
# Another store location: set both `model.store_root` and
# `train_dataloader.dataset.pipeline.2.store_root`.
_base_ = [
    './kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py',
    '../../_base_/datasets/avletters_fixed_views.py'
]

store_root = 'work_dirs/teacher_store/kd-logits-stored_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb'  # noqa: E501
model = dict(type='StoredTeacherDistill', store_root=store_root)

train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    {{_base_.fixed_views}},
    dict(type='LoadTeacherOutputs', store_root=store_root,
         meta_keys={{_base_.view_meta_keys}}),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs', meta_keys={{_base_.view_meta_keys}},
         algorithm_keys=('teacher_outputs', ))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
# there is no teacher to validate
val_cfg = dict(_delete_=True, type='ValLoop')
