"""benchmark_kd.py runs on CPU and its ratios follow from its medians."""
import json
import os.path as osp

import pytest
from conftest import REPO, run_python

CONFIG = ('configs/distill/logits_kd/'
          'kd-logits_tsm-r18_tsm-mobilenetv2-w0.5_20e_motions-rgb.py')


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
