# MSR Action3D (Li, Zhang, Liu, CVPR Workshops 2010): Kinect skeletons of 20
# actions, cross-subject split (odd subjects train: 292 sequences, of which
# the all-zero a13_s09_e02 is skipped; even subjects test: 275), read from
# `../shared/data/msr_action3d` by MSRAction3DDataset (see
# mmrazor_video_kd/datasets/msr_action3d_dataset.py). A config sets the
# pipelines and the dataset's projection (`keypoint_type`, `img_shape`,
# `margin`) in `*_dataloader.dataset`.
dataset_type = 'MSRAction3DDataset'
data_root = '../shared/data/msr_action3d'

train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        ann_file=f'{data_root}/train_list.txt',
        data_prefix=dict(skeleton=f'{data_root}/skeletons'),
        num_classes=20,
        skip_invalid=True,
        pipeline=[]))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=f'{data_root}/test_list.txt',
        data_prefix=dict(skeleton=f'{data_root}/skeletons'),
        num_classes=20,
        test_mode=True,
        pipeline=[]))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=f'{data_root}/test_list.txt',
        data_prefix=dict(skeleton=f'{data_root}/skeletons'),
        num_classes=20,
        test_mode=True,
        pipeline=[]))

val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
