# Multi-modal, label-free distillation on Kinetics-400: an RGB TSM-MobileNetV2
# student learns from three frozen teachers that see other inputs of the same
# clip: an RGB TSM-R50, a flow TSM-R50 and a skeleton PoseC3D (SlowOnly-R50
# on 17-joint heatmap volumes), through a CrossModalTranslator (one MLP head
# per teacher modality, MSE to each teacher's pooled clip feature). No labels
# are used (`calculate_student_loss=False`; set it True to add the student's
# cross-entropy); MultiTeacherValLoop reports every teacher's accuracy.
#
# One sample carries three aligned views of the same 8 sampled frames, crop
# and flip: `imgs` (RGB), `flow` (LoadFlowFrames: the flow files of
# tools/data/compute_flow.py, cropped and flipped like the frames) and
# `skeleton` (LoadSkeletonHeatmaps: keypoints of an MMAction2 pose
# annotation file at the same frame indices, moved into the crop, flipped
# with left/right swapped, rendered as (1, 17, 8, 56, 56) heatmaps).
# Teacher checkpoints: set model.teachers.{rgb,flow,skeleton}.ckpt.
# On this project's CPU data the RGB + flow part trains end to end on
# AVLetters (xmt-rgb-flow_*) and the skeleton part on MSR Action3D
# (xmt-skeleton_*).
_base_ = ['../../recognition/tsm/tsm_mobilenetv2_1x1x8_100e_kinetics400-rgb.py']
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

flow_dir = 'data/kinetics400/flow'
pose_train = 'data/kinetics400/k400_2d_train.pkl'
pose_val = 'data/kinetics400/k400_2d_val.pkl'
recognition = '{{fileDirname}}/../../recognition'
student_config = recognition + '/tsm/tsm_mobilenetv2_1x1x8_100e_kinetics400-rgb.py'  # noqa: E501
rgb_config = recognition + '/tsm/tsm_r50_1x1x8_50e_kinetics400-rgb.py'
flow_config = recognition + '/tsm/tsm_r50-flow_1x1x8_50e_kinetics400-flow.py'  # noqa: E501
skeleton_config = recognition + '/skeleton/posec3d_slowonly-r50_1x1x8_kinetics400-heatmap.py'  # noqa: E501
# the TSM-R50 teachers' weights come from their ckpt: no ImageNet download
teacher_options = dict(
    model=dict(backbone=dict(pretrained=None, pretrained2d=False)))

heatmap = dict(sigma=0.6, use_score=True, with_kp=True, with_limb=False)
views = ('imgs', 'flow', 'skeleton')
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
    dict(type='LoadFlowFrames', flow_dir=flow_dir, size=(224, 224),
         max_magnitude=20.0, with_magnitude=True, key='flow'),
    dict(type='LoadSkeletonHeatmaps', ann_file=pose_train, size=(56, 56),
         heatmap=heatmap, key='skeleton'),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs', collect_keys=views)
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='LoadFlowFrames', flow_dir=flow_dir, size=(224, 224),
         max_magnitude=20.0, with_magnitude=True, key='flow'),
    dict(type='LoadSkeletonHeatmaps', ann_file=pose_val, size=(56, 56),
         heatmap=heatmap, key='skeleton'),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs', collect_keys=views)
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
        rgb=dict(model=dict(type='model_from_config', config=rgb_config,
                            cfg_options=teacher_options),
                 ckpt='checkpoints/tsm_r50_1x1x8_50e_kinetics400-rgb.pth',
                 view='imgs'),
        flow=dict(model=dict(type='model_from_config', config=flow_config,
                             cfg_options=teacher_options),
                  ckpt='checkpoints/tsm_r50-flow_1x1x8_50e_kinetics400-flow.pth',  # noqa: E501
                  view='flow'),
        skeleton=dict(
            model=dict(type='model_from_config', config=skeleton_config),
            ckpt='checkpoints/posec3d_slowonly-r50_1x1x8_kinetics400-heatmap.pth',  # noqa: E501
            view='skeleton')),
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone')),
        teacher_recorders=dict(
            rgb_feat=dict(type='ModuleOutputs', source='rgb.backbone'),
            flow_feat=dict(type='ModuleOutputs', source='flow.backbone'),
            skeleton_feat=dict(type='ModuleOutputs',
                               source='skeleton.backbone')),
        connectors=dict(
            translator=dict(
                type='CrossModalTranslator',
                in_channels=1280,
                out_channels=dict(rgb=2048, flow=2048, skeleton=512),
                in_num_segments=8)),
        distill_losses=dict(
            loss_xmt=dict(
                type='CrossModalTranslationLoss',
                teacher_layouts=dict(rgb='2d', flow='2d', skeleton='3d'),
                teacher_num_segments=dict(rgb=8, flow=8),
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_xmt=dict(
                translated=dict(from_student=True, recorder='feat',
                                connector='translator'),
                teacher_rgb=dict(from_student=False, recorder='rgb_feat'),
                teacher_flow=dict(from_student=False, recorder='flow_feat'),
                teacher_skeleton=dict(from_student=False,
                                      recorder='skeleton_feat')))))

# label-free (calculate_student_loss=False): no loss reaches the
# student's classifier (architecture.cls_head), so DDP must look for it
find_unused_parameters = True
# the frozen teachers are evaluated at the first validation only
val_cfg = dict(_delete_=True, type='mmrazor.MultiTeacherValLoop',
               evaluate_teacher='once')
