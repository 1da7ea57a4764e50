"""The shipped offline-distillation config end to end: precompute the
teacher's outputs, then ``mim train mmrazor`` on 1 process and on 2 gloo
processes (``--launcher pytorch``) from the store. The teacher checkpoint
is overwritten with zeros (same size and modification time) after the
precompute, so a training that built the teacher or read its checkpoint
would fail or differ; the student then converts like any other."""
import os
import os.path as osp

import pytest
from conftest import (SHORT_DATA, epochs, run_python, run_tool,
                      save_random_recognizer)

CFG = ('configs/distill/logits_kd/'
       'kd-logits-stored_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py')
TEACHER = 'configs/recognition/tsm/tsm_r50_1x1x8_40e_avletters-rgb.py'
STUDENT = ('configs/recognition/tsm/'
           'tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py')
def zero_keeping_size_and_mtime(path):
    stat = os.stat(path)
    with open(path, 'r+b') as file:
        file.write(b'\0' * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.fixture(scope='module')
def filled_store(tmp_path_factory, avletters):
    tmp = tmp_path_factory.mktemp('offline')
    ckpt, store = str(tmp / 'teacher.pth'), str(tmp / 'store')
    save_random_recognizer(TEACHER, ckpt)
    options = [
        f'model.teacher_ckpt={ckpt}', f'model.store_root={store}',
        f'train_dataloader.dataset.pipeline.2.store_root={store}',
        f'train_dataloader.dataset.ann_file={avletters}/train_list.txt',
        f'train_dataloader.dataset.data_prefix.video={avletters}/videos',
        'train_dataloader.dataset.indices=16'
    ]
    result = run_python(args=[
        'tools/precompute_teacher_outputs.py', CFG, '--num-workers', '1',
        '--batch-size', '4', '--cfg-options', *options],
        env={'OMP_NUM_THREADS': '1'})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert '64 views of 64 (16 clips x 4 views)' in output
    zero_keeping_size_and_mtime(ckpt)
    return tmp, options


@pytest.mark.parametrize('launch', [[], ['--launcher', 'pytorch']],
                         ids=['1-process', '2-gloo-processes'])
def test_mim_train_from_the_store(filled_store, launch):
    tmp, options = filled_store
    work = str(tmp / ('work' + '-'.join(launch)))
    result = run_tool('mim', [
        'train', 'mmrazor', CFG, *launch, '--gpus', '2' if launch else '0',
        '--work-dir', work, '--cfg-options', *options, *SHORT_DATA,
        *epochs(1), 'train_dataloader.num_workers=2',
        'train_dataloader.persistent_workers=False'])
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-4000:]
    if launch:
        assert 'Distributed launcher: pytorch' in out
        assert 'GPU number: 2' in out
    assert 'distill.loss_kl' in out
    assert 'Epoch(val)' in out
    result = run_python(args=[
        'tools/convert_kd_ckpt_to_student.py',
        osp.join(work, 'epoch_1.pth'), '--verify', STUDENT])
    assert result.returncode == 0, result.stderr[-2000:]
