"""compat/local_rank_arg: ``torch.distributed.launch`` (what ``mim train
--launcher pytorch`` runs) passes ``--local_rank=N`` to scripts that only
accept that spelling (MMRazor 1.0's tools), ``--local-rank=N`` otherwise."""
import os
import subprocess
import sys

import pytest
from torch.distributed import run

from mmrazor_video_kd.compat import local_rank_arg

LEGACY = '''import argparse, os
parser = argparse.ArgumentParser()
parser.add_argument('--local_rank', type=int, default=0)
args = parser.parse_args()
print('local rank', args.local_rank, os.environ['LOCAL_RANK'])
'''
CURRENT = LEGACY.replace("'--local_rank',", "'--local_rank', '--local-rank',")


def launched_args(script, *extra):
    args = run.get_args_parser().parse_args(
        ['--nproc_per_node=1', *extra, str(script), 'x'])
    args.use_env = False  # what torch.distributed.launch sets by default
    return run.config_from_args(args)[2]


@pytest.mark.parametrize('source, passed', [(LEGACY, '--local_rank='),
                                            (CURRENT, '--local-rank=')])
def test_spelling_follows_the_script(tmp_path, source, passed):
    script = tmp_path / 'train.py'
    script.write_text(source)
    local_rank_arg.patch_run(run)  # idempotent; installed at start-up too
    cmd_args = launched_args(script)
    assert [a for a in cmd_args if 'local' in a] == [
        passed + '${local_rank}']
    assert cmd_args[-1] == 'x'


def test_modules_are_left_alone(tmp_path):
    local_rank_arg.patch_run(run)
    cmd_args = launched_args('json.tool', '--module')
    assert '--local-rank=${local_rank}' in cmd_args


@pytest.mark.parametrize('setting, code', [('1', 0),
                                           ('-local_rank_arg', 2)])
def test_torch_distributed_launch_runs_a_legacy_script(tmp_path, setting,
                                                       code):
    """Fails without the fix: argparse exits with 2 on --local-rank."""
    script = tmp_path / 'train.py'
    script.write_text(LEGACY)
    env = dict(os.environ, MMRAZOR_VIDEO_KD_COMPAT=setting,
               OMP_NUM_THREADS='1')
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.launch',
         '--nproc_per_node=1', '--master_port=0', str(script)],
        env=env, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    if code:
        assert result.returncode != 0
        assert 'unrecognized arguments: --local-rank=0' in output
    else:
        assert result.returncode == 0, output[-3000:]
        assert 'local rank 0 0' in output
