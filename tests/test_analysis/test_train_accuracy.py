"""tools/analysis/train_accuracy.py: the test config it makes of a run's
dumped config (validation pipeline over the training list, from the last
checkpoint) and its errors; the e2e MSR benchmark test checks a measured
value against a sample-by-sample count."""
import json

import pytest
from conftest import REPO, load_script, run_python
from mmengine.config import Config

tool = load_script('tools/analysis/train_accuracy.py')
STUDENT = f'{REPO}/configs/recognition/skeleton/stgcn-tiny_msr-action3d-joints.py'  # noqa: E501


def test_test_config_runs_the_validation_pipeline_over_the_training_list():
    cfg = Config.fromfile(STUDENT)
    cfg.train_dataloader.dataset.ann_file = 'lists/train.txt'
    cfg.train_dataloader.dataset.data_prefix = dict(skeleton='skels')
    val = cfg.val_dataloader.dataset.copy()
    out = tool.training_test_config(cfg, 'runs/a', 'runs/a/epoch_3.pth')
    test = out.test_dataloader.dataset
    assert (test.ann_file, test.data_prefix.skeleton) == ('lists/train.txt',
                                                          'skels')
    assert test.skip_invalid is True  # as the training dataset
    assert test.pipeline == val.pipeline and test.test_mode
    assert out.test_dataloader.batch_size == cfg.val_dataloader.batch_size
    assert out.test_evaluator == cfg.val_evaluator
    assert (out.work_dir, out.load_from, out.resume) == (
        'runs/a/train_accuracy', 'runs/a/epoch_3.pth', False)
    # the run's own datasets are left as they were
    assert cfg.val_dataloader.dataset.ann_file == val.ann_file


def test_errors_name_the_run_and_what_is_missing(tmp_path):
    run = tmp_path / 'run'
    run.mkdir()
    with pytest.raises(ValueError, match='found 0'):
        tool.dumped_config(str(run))
    with pytest.raises(ValueError, match=f'{run}: no last_checkpoint'):
        tool.last_checkpoint(str(run))
    (run / 'last_checkpoint').write_text('/elsewhere/epoch_2.pth')
    with pytest.raises(ValueError, match='epoch_2.pth, which does not'):
        tool.last_checkpoint(str(run))
    (run / 'epoch_2.pth').write_bytes(b'')
    assert tool.last_checkpoint(str(run)) == str(run / 'epoch_2.pth')
    cfg = Config(dict(train_dataloader=dict(dataset=dict(type='Repeat'))))
    with pytest.raises(ValueError, match='has no ann_file'):
        tool.training_test_config(cfg, str(run), 'x.pth')
    with pytest.raises(ValueError, match='one top-1'):
        tool.top1_of({'acc/top5': 1.0})
    assert tool.top1_of({'acc/top1': .5, 'acc/top5': 1.}) == .5


def test_cli_skips_measured_runs_and_stops_on_a_bad_one(tmp_path):
    done, bad = tmp_path / 'done', tmp_path / 'bad'
    done.mkdir()
    bad.mkdir()
    (done / 'train_accuracy.json').write_text(json.dumps(dict(top1=.9)))
    result = run_python(args=['tools/analysis/train_accuracy.py', str(done),
                              str(bad)])
    assert result.returncode == 1
    assert f'error: {bad}: no last_checkpoint' in result.stderr
    assert not (bad / 'train_accuracy.json').exists()
    assert json.loads((done / 'train_accuracy.json').read_text()) == \
        dict(top1=.9)
