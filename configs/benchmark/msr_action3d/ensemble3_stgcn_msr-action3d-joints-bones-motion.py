# An ensemble teacher for the MSR Action3D benchmark: the averaged class
# probabilities of three full-size ST-GCNs on joints, bones and their motion
# (`stgcn_msr-action3d-joints-bones-motion.py`) trained with other seeds.
# Each sample's clips are the members' single clips (num_segments=1). Its
# weights are one checkpoint made by
# `tools/analysis/build_ensemble_checkpoint.py`; it is tested like its
# members are validated (one clip per sequence: test_dataloader is the
# val_dataloader).
_base_ = ['./stgcn_msr-action3d-joints-bones-motion.py']

member_config = '{{fileDirname}}/stgcn_msr-action3d-joints-bones-motion.py'
model = dict(
    _delete_=True,
    type='EnsembleRecognizer',
    members=[dict(config=member_config) for _ in range(3)],
    num_segments=1,
    data_preprocessor=dict(type='ActionDataPreprocessor'))
test_dataloader = {{_base_.val_dataloader}}
