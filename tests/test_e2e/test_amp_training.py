"""``--amp`` through the real entry points on a CPU: two training
iterations of a TSM-constructor (SGD) distillation config with
``mim train mmrazor``, of an AdamW distillation config with
``tools/dist_train.sh`` (2 gloo processes, through ``tools/train.py``) and of
a recognition config with ``mim train mmaction``; a probe hook sees bf16
outputs of the student's classifier and finite losses.

Data: the generated motions, 4 clips at 56 px, through an override config
that inherits the config under test (the configs themselves are not edited).
"""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
from conftest import REPO, load_script, run_tool

KINETICS_KD = ('configs/distill/soft_label_kd/soft-label-t5_tsm-r50_'
               'tsm-mobilenetv2_1x1x8_100e_kinetics400-rgb.py')
ADAMW_KD = ('configs/distill/logits_kd/'
            'kd-logits_tsm-r18_tsm-mobilenetv2-w0.5_20e_motions-rgb.py')
RECOGNIZER = ('configs/recognition/tsm/'
              'tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py')
NO_IMAGENET = {'model.backbone.pretrained': None,
               'model.backbone.pretrained2d': False}

PROBE = '''
import json
from mmengine.hooks import Hook
from mmengine.registry import HOOKS


@HOOKS.register_module()
class AmpProbeHook(Hook):
    """Record the dtype of the student's classifier output and the loss in
    every training iteration (not in validation), and the optimizer
    wrapper."""

    def __init__(self, out):
        self.out, self.dtypes, self.losses = out, [], []
        self.in_train_iter = False

    def before_train(self, runner):
        model = getattr(runner.model, 'module', runner.model)
        student = getattr(model, 'architecture', model)
        student.cls_head.fc_cls.register_forward_hook(self.record_dtype)

    def record_dtype(self, module, args, output):
        if self.in_train_iter:
            self.dtypes.append(str(output.dtype))

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.in_train_iter = True

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.in_train_iter = False
        self.losses.append(float(outputs['loss']))

    def after_train(self, runner):
        wrapper = runner.optim_wrapper
        with open(f'{self.out}.{runner.rank}.json', 'w') as f:
            json.dump(dict(wrapper=type(wrapper).__name__,
                           cast_dtype=str(getattr(wrapper, 'cast_dtype', '')),
                           dtypes=self.dtypes, losses=self.losses), f)
'''

OVERRIDE = '''
_base_ = [{base!r}]
custom_imports = dict(imports=['mmrazor_video_kd', 'amp_probe'],
                      allow_failed_imports=False)
custom_hooks = [dict(type='FiniteLossHook'),
                dict(type='AmpProbeHook', out={out!r})]
pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 64)),
    dict(type='CenterCrop', crop_size=56),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')]
data = dict(data_prefix=dict(video={root!r}), pipeline=pipeline)
train_dataloader = dict(
    batch_size={batch}, num_workers=0, persistent_workers=False,
    dataset=dict(ann_file={root!r} + '/train_list.txt', indices=4, **data))
val_dataloader = dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(ann_file={root!r} + '/val_list.txt', **data))
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=1, val_interval=10)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(save_best=None, save_last=False))
'''

DISTILL = '''
model = dict(
    teacher_ckpt=None,
    teacher=dict(cfg_options={no_imagenet!r}),
    architecture=dict(cfg_options={no_imagenet!r}))
'''


@pytest.fixture(scope='module')
def motions(tmp_path_factory):
    tool = load_script('tools/data/make_motion_dataset.py')
    root = str(tmp_path_factory.mktemp('motions') / 'data')
    tool.make_motion_dataset(root, num_train=4, num_val=1, frames=8, size=64)
    return root


def amp_run(tmp_path, motions, base, command, batch=2):
    """Train ``base`` (overridden to 2 iterations on the motions) with
    ``command(config, work_dir)``; returns the probe records of each
    process."""
    (tmp_path / 'amp_probe.py').write_text(PROBE)
    config = tmp_path / 'amp.py'
    out = str(tmp_path / 'probe')
    text = OVERRIDE.format(base=osp.join(REPO, base), out=out, root=motions,
                           batch=batch)
    if 'distill' in base:
        text += DISTILL.format(no_imagenet=NO_IMAGENET)
    config.write_text(text)
    env = dict(PYTHONPATH=os.pathsep.join(
        [str(tmp_path), os.environ.get('PYTHONPATH', '')]))
    result = command(str(config), str(tmp_path / 'work'), env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    records = [json.load(open(osp.join(tmp_path, name)))
               for name in sorted(os.listdir(tmp_path))
               if name.startswith('probe.')]
    assert records, 'the probe hook wrote nothing'
    return records


def mim_train(package):
    return lambda config, work_dir, env: run_tool('mim', [
        'train', package, config, '--work-dir', work_dir, '--amp',
        '--gpus', '0'], env=env)


def dist_train(config, work_dir, env):
    env = dict(os.environ, **env, PORT='29587', PATH=osp.dirname(
        sys.executable) + os.pathsep + os.environ['PATH'])
    return subprocess.run(
        ['bash', 'tools/dist_train.sh', config, '2', '--work-dir', work_dir,
         '--amp'], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=900)


def check_bf16_and_finite(record, iterations=2):
    assert record['wrapper'] == 'AmpOptimWrapper'
    assert record['cast_dtype'] == 'torch.bfloat16'
    assert record['dtypes'] == ['torch.bfloat16'] * iterations
    assert len(record['losses']) == iterations
    assert all(abs(loss) < float('inf') for loss in record['losses']), \
        record['losses']


def test_tsm_constructor_config_mim_train_mmrazor_amp(tmp_path, motions):
    """The issue's command: MMRazor's train.py turns
    ``optim_wrapper.architecture.type`` into AmpOptimWrapper."""
    [record] = amp_run(tmp_path, motions, KINETICS_KD, mim_train('mmrazor'))
    check_bf16_and_finite(record)


def test_adamw_config_dist_train_amp(tmp_path, motions):
    """tools/dist_train.sh -> tools/train.py --amp, 2 processes x 1 clip."""
    records = amp_run(tmp_path, motions, ADAMW_KD, dist_train, batch=1)
    assert len(records) == 2
    for record in records:
        check_bf16_and_finite(record)


def test_recognizer_mim_train_mmaction_amp(tmp_path, motions):
    """MMAction2's train.py sets ``optim_wrapper.type`` (top level)."""
    [record] = amp_run(tmp_path, motions, RECOGNIZER, mim_train('mmaction'))
    check_bf16_and_finite(record)
