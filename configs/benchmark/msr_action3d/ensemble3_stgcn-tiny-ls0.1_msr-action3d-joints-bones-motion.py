# The label-smoothed ensemble teacher for the MSR Action3D benchmark: the
# averaged class probabilities of three tiny ST-GCNs on joints, bones and
# their motion trained with label smoothing 0.1
# (`stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py`) and other seeds.
# Built, tested and used like the ensemble of full-size members
# (`ensemble3_stgcn_msr-action3d-joints-bones-motion.py`) it extends.
_base_ = ['./ensemble3_stgcn_msr-action3d-joints-bones-motion.py']

member_config = '{{fileDirname}}/stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py'  # noqa: E501
model = dict(members=[dict(config=member_config) for _ in range(3)])
