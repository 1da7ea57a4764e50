"""gpu_check.sh runs end to end on the CPU (--dry-run), refuses what it
cannot do with a clear message, and train_random_clips.py trains a config on
random clips without loading any weights."""
import json
import os
import subprocess
import sys

import pytest
import torch
from conftest import REPO, load_script

GPU_CHECK = 'tools/analysis/gpu_check.sh'
TRAIN = 'tools/analysis/train_random_clips.py'
KINETICS = ('configs/distill/soft_label_kd/soft-label-t5_tsm-r50_'
            'tsm-mobilenetv2_1x1x8_100e_kinetics400-rgb.py')


def gpu_check(out, *args, **env):
    return subprocess.run(
        ['bash', GPU_CHECK, str(out), *args], cwd=REPO, capture_output=True,
        text=True, timeout=600,
        env=dict(os.environ, PYTHON=sys.executable, OMP_NUM_THREADS='1',
                 **env))


def test_dry_run_measures_every_step_on_cpu(tmp_path):
    out = tmp_path / 'check'
    result = gpu_check(out, '--dry-run')
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    summary = (out / 'summary.md').read_text()
    for name in ('kd_cost_fp32', 'kd_cost_bf16_cl'):
        table = (out / name / 'table.md').read_text()
        assert table in summary and len(table.splitlines()) == 3
        bench = json.loads((out / name / '1.json').read_text())
        assert bench['device'] == 'cpu'
    assert json.loads((out / 'kd_cost_bf16_cl' / '1.json').read_text())[
        'amp'] == 'bf16'
    train = json.loads((out / 'train_amp.json').read_text())
    assert train['amp'] and train['device'] == 'cpu'
    assert train['optim_wrapper'] == 'AmpOptimWrapper'
    assert len(train['seconds_per_iter']) == train['iters'] == 3
    assert train['clips_per_second'] == pytest.approx(
        train['batch_size'] / train['median_seconds_per_iter'])
    assert f'torch {torch.__version__}' in (out / 'versions.txt').read_text()
    assert 'clips/s' in summary
    assert 'installing' not in (out / 'gpu_check.log').read_text()


def test_a_failed_step_does_not_stop_the_others(tmp_path):
    out = tmp_path / 'check'
    result = gpu_check(out, '--dry-run', PAIRS='9', CONFIG='missing.py')
    assert result.returncode == 1
    assert 'missing.py' in (out / 'train_amp.log').read_text()
    failed = [line for line in (out / 'summary.md').read_text().splitlines()
              if line.startswith('- failed: ')]
    assert failed == [
        f'- failed: training (see {out}/train_amp.log)',
        '- failed: kd_cost_fp32 pair 9', '- failed: kd_cost_bf16_cl pair 9'
    ]


def test_missing_wheels_are_named(tmp_path):
    result = gpu_check(tmp_path / 'check', DEVICE='cpu',
                       WHEELS=str(tmp_path / 'no_wheels'))
    output = result.stdout + result.stderr  # the log takes both
    assert result.returncode == 1
    assert f"no wheels in '{tmp_path / 'no_wheels'}'" in output
    assert 'docs/gpu_check.md' in output


def test_unknown_option_is_refused(tmp_path):
    result = gpu_check(tmp_path / 'check', '--dryrun')
    assert result.returncode == 2 and "'--dryrun'" in result.stderr


def test_training_config_loads_no_weights():
    from mmengine.config import Config

    from mmrazor_video_kd.models.builders import find_pretrained_weights
    train = load_script(TRAIN)
    cfg = Config.fromfile(os.path.join(REPO, KINETICS))
    cfg.model.teacher_ckpt = None  # else the teacher's are not looked for
    assert find_pretrained_weights(cfg.model)  # ImageNet backbones
    cfg.model.teacher_ckpt = 'teacher.pth'
    cfg.load_from = 'model.pth'
    shape, batch_size = train.random_clip_config(
        cfg, train.parse_args([KINETICS, '--iters', '2', '--amp']))
    assert find_pretrained_weights(cfg.model) == []
    assert cfg.model.teacher_ckpt is None and cfg.load_from is None
    assert shape == (8, 3, 224, 224) and batch_size == 16
    assert cfg.train_dataloader.dataset.length == 16 * 3
    assert cfg.train_cfg.max_iters == 2 and cfg.val_cfg is None


def test_clip_shape_follows_the_train_pipeline():
    from mmengine.config import Config
    train = load_script(TRAIN)

    def config(*pipeline):
        return Config(dict(train_dataloader=dict(dataset=dict(
            type='RepeatDataset', dataset=dict(pipeline=list(pipeline))))))

    sample = dict(type='SampleFrames', clip_len=16, num_clips=2)
    assert train.clip_shape(config(sample, dict(
        type='FormatShape', input_format='NCTHW')), 32) == (2, 3, 16, 32, 32)
    assert train.clip_shape(config(sample, dict(
        type='FormatShape', input_format='NCHW')), 32) == (32, 3, 32, 32)
    with pytest.raises(ValueError, match=r"\['SampleFrames'\]"):
        train.clip_shape(config(sample), 32)


@pytest.mark.skipif(torch.cuda.is_available(), reason='a GPU is present')
def test_cuda_without_a_gpu_is_named():
    train = load_script(TRAIN)
    with pytest.raises(RuntimeError, match='sees no CUDA device'):
        train.main([os.path.join(REPO, KINETICS), '--device', 'cuda'])
