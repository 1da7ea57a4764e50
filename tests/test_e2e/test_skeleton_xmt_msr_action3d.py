"""The skeleton teacher of the multi-modal recipe, on real MSR Action3D
skeletons: one sample gives aligned views (heatmap volumes for the PoseC3D
teacher, joints for the ST-GCN student), the teacher is trained with
``mim train mmaction``, the student distilled label-free through the
cross-modal translator with ``mim train mmrazor``, the teacher validated, the
student converted and tested with ``mim test mmaction``. Shortened with
``--cfg-options`` only."""
import os.path as osp

import numpy as np
import torch
from conftest import REPO, SHARED_DATA, SHORT_DATA, epochs, mim, run_python
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmrazor_video_kd  # noqa: F401

MSR = osp.join(SHARED_DATA, 'msr_action3d')
TEACHER_CFG = 'configs/recognition/skeleton/posec3d-tiny_msr-action3d-heatmap.py'
STUDENT_CFG = 'configs/recognition/skeleton/stgcn-tiny_msr-action3d-joints2d.py'
XMT_CFG = ('configs/distill/cross_modal/'
           'xmt-skeleton_posec3d-tiny_stgcn-tiny-2d_msr-action3d.py')
SMALL = SHORT_DATA + epochs(1) + [
    'test_dataloader.dataset.indices=4', 'test_dataloader.num_workers=0',
    'test_dataloader.persistent_workers=False'
]


def views(flip_ratio, seed, indices=(0, 100)):
    """Both views of some training samples, Flip at ``flip_ratio``."""
    from mmaction.registry import DATASETS
    init_default_scope('mmaction')
    cfg = Config.fromfile(osp.join(REPO, XMT_CFG)).train_dataloader.dataset
    for step in cfg.pipeline:
        if step.type == 'Flip':
            step.flip_ratio = flip_ratio
    cfg.update(ann_file=osp.join(MSR, 'train_list.txt'),
               data_prefix=dict(skeleton=osp.join(MSR, 'skeletons')),
               indices=list(indices))
    dataset = DATASETS.build(cfg)
    np.random.seed(seed)  # UniformSampleFrames draws the frames
    return [dataset[i]['inputs'] for i in range(len(dataset))]


def test_views_of_one_sample_are_aligned():
    """Every confident joint of the student's view lies at the peak of its
    heatmap in the teacher's view, frame by frame, flipped alike."""
    from mmrazor_video_kd.datasets.msr_action3d_dataset import (MSR_LEFT_KP,
                                                              MSR_RIGHT_KP)
    swap = list(range(20))
    for left, right in zip(MSR_LEFT_KP, MSR_RIGHT_KP):
        swap[left], swap[right] = right, left
    for plain, flipped in zip(views(0.0, seed=3), views(1.0, seed=3)):
        # the same frames, mirrored: u -> W - u, left and right swapped
        a, b = plain['keypoint'][0, 0], flipped['keypoint'][0, 0]
        width = plain['imgs'].shape[-1]
        assert torch.allclose(b[:, swap, 0], width - a[..., 0], atol=1e-4)
        assert torch.equal(b[:, swap, 1:], a[..., 1:])
        for sample in (plain, flipped):
            heatmaps = sample['imgs'][0].numpy()  # (V, T, H, W)
            joints = sample['keypoint'][0, 0].numpy()  # (T, V, 3)
            num_joints, num_frames, height, width = heatmaps.shape
            assert joints.shape == (num_frames, num_joints, 3)
            checked = 0
            for t in range(num_frames):
                for v in range(num_joints):
                    u, w, score = joints[t, v]
                    if score < 0.5:
                        continue
                    peak = np.unravel_index(heatmaps[v, t].argmax(),
                                            (height, width))
                    assert abs(peak[0] - w) <= 0.5, (t, v, peak, (w, u))
                    assert abs(peak[1] - u) <= 0.5, (t, v, peak, (w, u))
                    checked += 1
            assert checked > num_frames  # many confident joints per clip


def test_skeleton_teacher_into_joint_student(tmp_path):
    data = [f'{split}_dataloader.dataset.{key}={value}'
            for split in ('train', 'val', 'test')
            for key, value in (('data_prefix.skeleton',
                                osp.join(MSR, 'skeletons')),)]
    lists = [f'train_dataloader.dataset.ann_file={MSR}/train_list.txt',
             f'val_dataloader.dataset.ann_file={MSR}/test_list.txt',
             f'test_dataloader.dataset.ann_file={MSR}/test_list.txt']
    mim('train', 'mmaction', TEACHER_CFG, '--work-dir',
        str(tmp_path / 'teacher'), '--cfg-options', *SMALL, *data, *lists)
    ckpt = tmp_path / 'teacher' / 'epoch_1.pth'
    log = mim('train', 'mmrazor', XMT_CFG, '--work-dir', str(tmp_path / 'xmt'),
              '--cfg-options', *SMALL, *data, *lists,
              f'model.teachers.skeleton.ckpt={ckpt}')
    assert 'distill.loss_xmt' in log
    assert 'student.loss_cls' not in log  # label-free
    assert 'skeleton.acc/top1' in log  # the teacher is validated

    state = torch.load(tmp_path / 'xmt' / 'epoch_1.pth')['state_dict']
    for key, value in torch.load(ckpt)['state_dict'].items():
        assert torch.equal(state[f'teachers.skeleton.{key}'], value), key
    student = str(tmp_path / 'student.pth')
    result = run_python(args=[
        'tools/convert_kd_ckpt_to_student.py',
        str(tmp_path / 'xmt' / 'epoch_1.pth'), '--out', student, '--verify',
        STUDENT_CFG])
    assert result.returncode == 0, result.stdout + result.stderr
    log = mim('test', 'mmaction', STUDENT_CFG, '--checkpoint', student,
              '--work-dir', str(tmp_path / 'test'), '--cfg-options',
              *[o for o in SMALL if o.startswith('test')], *data, *lists)
    assert 'acc/top1' in log
