"""tools/analysis/summarize_demo_seeds.py against hand-computed figures."""
import json
import math

import pytest
from conftest import load_script

summarize_demo_seeds = load_script('tools/analysis/summarize_demo_seeds.py')


def write_runs(tmp_path, runs):
    paths = []
    for name, (teacher, alone, distilled) in runs.items():
        folder = tmp_path / name
        folder.mkdir()
        rows = [dict(name='teacher', top1=teacher),
                dict(name='alone', top1=alone),
                dict(name='distilled', top1=distilled)]
        (folder / 'summary.json').write_text(json.dumps(rows))
        paths.append(str(folder / 'summary.json'))
    return paths


def test_gain_interval_and_ratio_match_hand_computation(tmp_path, capsys):
    paths = write_runs(tmp_path, dict(seed0=(1.0, 0.70, 0.80),
                                      seed1=(1.0, 0.80, 0.78),
                                      seed2=(1.0, 0.60, 0.75)))
    result = summarize_demo_seeds.summarize(paths)
    # gains 10, -2, 15 points: mean 23/3, sample variance 458/6
    mean, std = 23 / 3, math.sqrt(458 / 6)
    assert result['gain'][0] == pytest.approx(mean)
    assert result['gain'][1] == pytest.approx(std)
    assert result['positive'] == 2
    half = 4.302653 * std / math.sqrt(3)  # t(0.975, 2 dof)
    assert result['gain_ci'][0] == pytest.approx(mean - half, abs=1e-3)
    assert result['gain_ci'][1] == pytest.approx(mean + half, abs=1e-3)
    # teacher 100, alone 70, distilled 77.67 on average
    assert result['ratio'] == pytest.approx((23 / 3) / 30)
    summarize_demo_seeds.main(paths)
    out = capsys.readouterr().out
    assert '| seed2 | 100.0% | 60.0% | 75.0% | +15.0 |' in out
    assert 'not above 0' in out


def test_one_run_has_no_interval(tmp_path):
    result = summarize_demo_seeds.summarize(
        write_runs(tmp_path, dict(seed0=(1.0, 0.5, 0.6))))
    assert result['gain'] == pytest.approx((10.0, 0.0))
    assert result['gain_ci'] is None and result['ratio'] is None


def test_runs_with_the_same_folder_name_are_refused(tmp_path):
    (tmp_path / 'a').mkdir()
    (tmp_path / 'b').mkdir()
    first = write_runs(tmp_path / 'a', dict(seed0=(1.0, 0.5, 0.6)))
    second = write_runs(tmp_path / 'b', dict(seed0=(1.0, 0.5, 0.7)))
    with pytest.raises(ValueError, match='repeat'):
        summarize_demo_seeds.summarize(first + second)
