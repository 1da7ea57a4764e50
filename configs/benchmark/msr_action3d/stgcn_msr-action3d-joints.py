# The MSR Action3D benchmark's teacher: MMAction2's full-size ST-GCN (64 base
# channels, 10 stages) on the same 3D joints and sampling as the student
# (`stgcn-tiny_msr-action3d-joints.py`: 32 base channels, 6 stages), with
# the student's recipe; about 6x the student's multiply-adds
# (tests/test_configs/test_msr_benchmark_configs.py checks >= 3x).
_base_ = ['../../recognition/skeleton/stgcn-tiny_msr-action3d-joints.py']

model = dict(
    backbone=dict(base_channels=64, num_stages=10, inflate_stages=[5, 8],
                  down_stages=[5, 8]),
    cls_head=dict(in_channels=256))
