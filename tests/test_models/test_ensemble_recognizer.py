"""EnsembleRecognizer: averaged member probabilities, clips, checkpoints."""
import os.path as osp

import pytest
import torch
from conftest import REPO
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.utils.checkpoints import TeacherCheckpointError

MEMBER = osp.join(REPO, 'configs/benchmark/avletters/'
                  'tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py')


def build(members=2, ckpts=None):
    init_default_scope('mmaction')
    torch.manual_seed(0)
    ckpts = ckpts or [None] * members
    model = MODELS.build(dict(
        type='EnsembleRecognizer',
        members=[dict(config=MEMBER, ckpt=c) for c in ckpts]))
    for member in model.members:  # distinct, non-trivial members
        for p in member.parameters():
            p.data.normal_(0, 0.05)
    return model.eval()


def reference_log_probs(model, x):
    """log of the mean over members of MMAction2's own prediction, which
    averages softmax over the clips of a sample (``average_clips='prob'``)."""
    probs = []
    for member in model.members:
        samples = [ActionDataSample() for _ in range(len(x))]
        predicted = member(x, samples, mode='predict')
        probs.append(torch.stack([s.pred_score for s in predicted]))
    return torch.stack(probs).mean(0).log()


def test_tensor_mode_averages_member_probabilities():
    model = build()
    x = torch.randn(2, 8, 3, 48, 48)
    with torch.no_grad():
        got = model(x, mode='tensor')
        want = reference_log_probs(model, x)
    assert got.shape == (2, 26)
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)
    assert torch.allclose(got.exp().sum(-1), torch.ones(2))


def test_sixteen_frames_are_two_clips_averaged():
    model = build()
    x = torch.randn(2, 16, 3, 48, 48)
    with torch.no_grad():
        got = model(x, mode='tensor')
        want = reference_log_probs(model, x)
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match='12 frames.*num_segments=8'):
        model(torch.randn(1, 12, 3, 48, 48))


def test_features_predict_and_loss():
    model = build()
    seen = {}
    model.features.register_forward_hook(
        lambda m, a, out: seen.setdefault('features', out))
    x = torch.randn(2, 8, 3, 48, 48)
    samples = [ActionDataSample().set_gt_label(i) for i in (3, 5)]
    with torch.no_grad():
        log_probs = model(x, mode='tensor')
        predicted = model(x, samples, mode='predict')
        loss = model(x, samples, mode='loss')['loss_cls']
    assert seen['features'].shape == (2 * 8, 2 * 1280, 2, 2)
    assert [int(s.pred_label) for s in predicted] == \
        log_probs.argmax(-1).tolist()
    want = -(log_probs[0, 3] + log_probs[1, 5]) / 2
    torch.testing.assert_close(loss, want)


def test_member_checkpoints_load_strictly_and_errors_name_the_member(
        tmp_path):
    source = build(members=1)
    good = tmp_path / 'member.pth'
    torch.save({'state_dict': source.members[0].state_dict()}, good)
    loaded = build(members=2, ckpts=[None, str(good)])
    # build() re-randomises; check the loader itself on a fresh build
    init_default_scope('mmaction')
    fresh = MODELS.build(dict(type='EnsembleRecognizer', members=[
        dict(config=MEMBER), dict(config=MEMBER, ckpt=str(good))]))
    for k, v in source.members[0].state_dict().items():
        assert torch.equal(fresh.members[1].state_dict()[k], v), k
    assert len(loaded.members) == 2
    bad = tmp_path / 'bad.pth'
    torch.save({'state_dict': {'backbone.nope': torch.zeros(1)}}, bad)
    with pytest.raises(TeacherCheckpointError,
                       match=r'model\.members\[1\]\.ckpt.*backbone\.nope'):
        MODELS.build(dict(type='EnsembleRecognizer', members=[
            dict(config=MEMBER), dict(config=MEMBER, ckpt=str(bad))]))
    with pytest.raises(KeyError, match=r'model\.members\[0\] needs `config`'):
        MODELS.build(dict(type='EnsembleRecognizer', members=[dict()]))
