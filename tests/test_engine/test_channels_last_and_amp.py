"""Channels-last and mixed precision: ChannelsLastHook converts every model
of a distillation algorithm without changing its outputs, and
benchmark_kd.py's --amp / --channels-last take effect."""
import json
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from conftest import REPO, load_script, run_python
from mmengine.config import Config
from mmengine.registry import HOOKS, MODELS, init_default_scope

import mmrazor_video_kd  # noqa: F401

CONFIG = ('configs/distill/logits_kd/'
          'kd-logits_tsm-r18_tsm-mobilenetv2-w0.5_20e_motions-rgb.py')
POSEC3D = 'configs/recognition/skeleton/posec3d-tiny_msr-action3d-heatmap.py'


def test_channels_last_hook_converts_student_and_teacher():
    cfg = Config.fromfile(osp.join(REPO, CONFIG))
    cfg.model.teacher_ckpt = None
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    x = torch.randn(2, 8, 3, 32, 32)
    with torch.no_grad():
        before = model.teacher(x, mode='tensor'), model(x, mode='tensor')
    HOOKS.build(dict(type='ChannelsLastHook')).before_train(
        SimpleNamespace(model=model))
    weights = [p for p in model.parameters() if p.dim() == 4]
    assert weights and all(
        w.is_contiguous(memory_format=torch.channels_last) for w in weights)
    assert any(n.startswith('teacher.') for n, p in model.named_parameters()
               if p.dim() == 4)
    with torch.no_grad():
        after = model.teacher(x, mode='tensor'), model(x, mode='tensor')
    for a, b in zip(before, after):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_channels_last_hook_converts_3d_convolutions():
    cfg = Config.fromfile(osp.join(REPO, POSEC3D))
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.randn(2, 1, 20, 8, 32, 32)
    with torch.no_grad():
        before = model(x, mode='tensor')
    with pytest.raises(RuntimeError, match='rank 4'):  # what the hook avoids
        model.to(memory_format=torch.channels_last)
    HOOKS.build(dict(type='ChannelsLastHook')).before_train(
        SimpleNamespace(model=model))
    weights = [p for p in model.parameters() if p.dim() == 5]
    assert weights and all(w.is_contiguous(
        memory_format=torch.channels_last_3d) for w in weights)
    assert all(a is b for a, b in zip(optimizer.param_groups[0]['params'],
                                      model.parameters()))
    with torch.no_grad():
        after = model(x, mode='tensor')
    torch.testing.assert_close(before, after, rtol=1e-4, atol=1e-5)


def test_benchmark_amp_autocasts_and_reports_its_settings(tmp_path):
    module = load_script('tools/analysis/benchmark_kd.py')
    a, b = torch.randn(4, 4), torch.randn(4, 4)
    run = module.autocast_phase(lambda: a @ b, 'cpu', 'bf16')
    assert run().dtype == torch.bfloat16 and (a @ b).dtype == torch.float32

    out = str(tmp_path / 'bench.json')
    result = run_python(args=[
        'tools/analysis/benchmark_kd.py', CONFIG, '--batch-size', '2',
        '--crop-size', '32', '--repeats', '1', '--warmup', '1', '--amp',
        'bf16', '--channels-last', '--out', out])
    assert result.returncode == 0, result.stderr[-3000:]
    with open(out) as f:
        report = json.load(f)
    assert report['amp'] == 'bf16' and report['channels_last'] is True
    assert 'amp bf16, channels-last True' in result.stdout
