# Multi-modal, label-free distillation on AVLetters: an RGB student learns
# from an RGB teacher and an optical-flow teacher through a
# CrossModalTranslator (one MLP head per teacher modality, MSE to each
# teacher's clip feature). No labels are used in training
# (`calculate_student_loss=False`): validate the student's features with
# configs/few_shot/ (its classifier is untrained); MultiTeacherValLoop reports
# both teachers' accuracy.
# One sample carries both views of the same frames and crop: `imgs` (RGB, the
# student's and the RGB teacher's input) and `flow` (dx, dy, |flow| from
# tools/data/compute_flow.py, cropped like the RGB frames). A skeleton
# teacher takes part the same way (a `skeleton` head of the translator and a
# heatmap view); AVLetters has no skeletons, so that part is exercised on MSR
# Action3D (configs/distill/cross_modal/xmt-skeleton_*).
_base_ = ['../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

flow_dir = 'data/avletters_flow'  # tools/data/compute_flow.py --out-dir
rgb_ckpt = 'work_dirs/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb/epoch_40.pth'
flow_ckpt = 'work_dirs/tsm_mobilenetv2-w0.5-flow_1x1x8_40e_avletters-flow/epoch_40.pth'  # noqa: E501
rgb_config = '{{fileDirname}}/../../recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py'  # noqa: E501
flow_config = '{{fileDirname}}/../../recognition/tsm/tsm_mobilenetv2-w0.5-flow_1x1x8_40e_avletters-flow.py'  # noqa: E501
student_config = rgb_config

load_flow = dict(type='LoadFlowFrames', flow_dir=flow_dir, size=(64, 64),
                 max_magnitude=8.0, with_magnitude=True, key='flow')
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(72, 72), keep_ratio=False),
    dict(type='RandomCrop', size=64),
    load_flow,
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs', collect_keys=('imgs', 'flow'))
]
val_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(72, 72), keep_ratio=False),
    dict(type='CenterCrop', crop_size=64),
    load_flow,
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs', collect_keys=('imgs', 'flow'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    _delete_=True,
    _scope_='mmrazor',
    type='MultiTeacherDistill',
    architecture=dict(type='model_from_config', config=student_config),
    student_view='imgs',
    calculate_student_loss=False,
    teachers=dict(
        rgb=dict(model=dict(type='model_from_config', config=rgb_config),
                 ckpt=rgb_ckpt, view='imgs'),
        flow=dict(model=dict(type='model_from_config', config=flow_config),
                  ckpt=flow_ckpt, view='flow')),
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone')),
        teacher_recorders=dict(
            rgb_feat=dict(type='ModuleOutputs', source='rgb.backbone'),
            flow_feat=dict(type='ModuleOutputs', source='flow.backbone')),
        connectors=dict(
            translator=dict(
                type='CrossModalTranslator',
                in_channels=1280,
                out_channels=dict(rgb=1280, flow=1280),
                in_num_segments=8)),
        distill_losses=dict(
            loss_xmt=dict(
                type='CrossModalTranslationLoss',
                teacher_num_segments=dict(rgb=8, flow=8),
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_xmt=dict(
                translated=dict(from_student=True, recorder='feat', connector='translator'),
                teacher_rgb=dict(from_student=False, recorder='rgb_feat'),
                teacher_flow=dict(from_student=False, recorder='flow_feat')))))

# label-free (calculate_student_loss=False): no loss reaches the
# student's classifier (architecture.cls_head), so DDP must look for it
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.MultiTeacherValLoop')
