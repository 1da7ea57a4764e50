# TSM-ResNet50 teacher on Kinetics-400 (MMAction2 reference: 73.22 top-1
# with ImageNet initialisation). Set `load_from`/`model.backbone.pretrained`
# to local files; nothing is downloaded.
_base_ = [
    '../../_base_/models/tsm_r50.py',
    '../../_base_/datasets/kinetics400_tsm.py',
    '../../_base_/schedules/sgd_50e_kinetics400.py',
    '../../_base_/default_runtime.py'
]
