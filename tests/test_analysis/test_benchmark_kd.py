"""benchmark_kd.py runs on CPU, its ratios follow from its medians, it times
every teacher of a multi-teacher config, and benchmark_kd_pairs.sh tables
the results."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from conftest import REPO, load_script, run_python

CONFIG = ('configs/distill/logits_kd/'
          'kd-logits_tsm-r18_tsm-mobilenetv2-w0.5_20e_motions-rgb.py')
BENCHMARK_KD = 'tools/analysis/benchmark_kd.py'
TRI_MODEL = ('configs/distill/tri_model/'
             'tri-model_vit-tiny_vit-tiny_vit-micro_8x2x1_40e_avletters-rgb.py')
RGB_FLOW = ('configs/distill/cross_modal/xmt-rgb-flow_tsm-mobilenetv2-w0.5-'
            'rgb-flow_tsm-mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py')


def test_benchmark_reports_consistent_ratios(tmp_path):
    out = str(tmp_path / 'bench.json')
    result = run_python(args=[
        'tools/analysis/benchmark_kd.py', CONFIG, '--batch-size', '2',
        '--crop-size', '32', '--repeats', '2', '--warmup', '1', '--out', out
    ])
    assert result.returncode == 0, result.stderr[-3000:]
    with open(out) as f:
        r = json.load(f)
    a, b, c = (r['median_seconds'][k] for k in ('student_step',
                                                 'teacher_forward',
                                                 'distill_step'))
    assert r['distill_over_student_plus_teacher'] == pytest.approx(c / (a + b))
    assert r['distill_over_student'] == pytest.approx(c / a)
    assert r['clips_per_second']['distill'] == pytest.approx(2 / c)
    assert r['clip_shape'] == [8, 3, 32, 32]
    assert all(v >= 0 for v in r['peak_memory_mib'].values())
    assert 'c/(a+b)' in result.stdout and osp.isfile(out)


def test_teacher_phase_runs_every_teacher_once_without_autograd():
    import mmrazor_video_kd  # noqa: F401
    bench = load_script(BENCHMARK_KD)
    cfg, distill, _, _, _ = bench.build(osp.join(REPO, TRI_MODEL), 'cpu')
    batch, _ = bench.synthetic_batch(cfg, distill, 2, cfg.crop_size)
    distill.train()
    calls = []
    for name, teacher in distill.teachers.items():
        teacher.register_forward_hook(
            lambda module, args, out, name=name: calls.append(
                (name, module.training, torch.is_grad_enabled())))
    bench.teachers_forward(distill, batch)()
    assert sorted(calls) == [('assistant', False, False),
                             ('teacher', False, False)]


def test_teacher_phase_refuses_configs_with_named_views():
    import mmrazor_video_kd  # noqa: F401
    bench = load_script(BENCHMARK_KD)
    _, distill, _, _, _ = bench.build(osp.join(REPO, RGB_FLOW), 'cpu')
    with pytest.raises(ValueError, match="'flow': 'flow'"):
        bench.teachers_forward(distill, dict(inputs=[], data_samples=[]))


def test_pairs_script_writes_one_row_per_pair(tmp_path):
    out = tmp_path / 'pairs'
    result = subprocess.run(
        ['bash', 'tools/analysis/benchmark_kd_pairs.sh', str(out),
         '--batch-size', '1', '--crop-size', '32', '--repeats', '1',
         '--warmup', '0'],
        cwd=REPO, capture_output=True, text=True, timeout=900,
        env=dict(os.environ, PAIRS='1 3',
                 PYTHON=sys.executable))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    rows = (out / 'table.md').read_text().splitlines()
    assert len(rows) == 4  # header, separator, two pairs
    for n, line in zip((1, 3), rows[2:]):
        r = json.loads((out / f'{n}.json').read_text())
        assert osp.splitext(osp.basename(r['config']))[0] in line
        assert f'| {r["distill_over_student_plus_teacher"]:.2f} |' in line
    assert 'soft-label-t5_tsm-r50' in rows[2]
    assert 'trd_tsm-r50' in rows[3]


def test_pairs_script_refuses_unknown_pair_numbers(tmp_path):
    out = tmp_path / 'pairs'
    result = subprocess.run(
        ['bash', 'tools/analysis/benchmark_kd_pairs.sh', str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
        env=dict(os.environ, PAIRS='1 7'))
    assert result.returncode == 2
    assert "PAIRS: no pair '7'; pairs are 1-6" in result.stderr
    assert not out.exists()
