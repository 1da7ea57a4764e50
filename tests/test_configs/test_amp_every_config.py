"""``--amp`` builds an ``AmpOptimWrapper`` for EVERY config in configs/.

For each config the real upstream code applies ``--amp``: MMRazor's
``train.py`` (what ``mim train mmrazor`` runs), MMAction2's ``train.py``
(``mim train mmaction``, recognition configs) and this repository's
``tools/train.py`` (which ``dist_train.sh`` and ``slurm_train.sh`` run). Each
script's ``main()`` runs with ``Runner.from_cfg`` replaced by a stub that
keeps the config; MMEngine's ``build_optim_wrapper`` then builds the
optimizer wrapper of that config on the config's real model (built once per
config, no forward; teacher checkpoints and ImageNet weights switched off as
``--cfg-options``-style overrides). Expected: an ``AmpOptimWrapper`` running
bf16 on the CPU (and, where MMEngine is made to see CUDA, fp16 with a
dynamic ``GradScaler``), with the same parameter groups as without
``--amp``, every trainable parameter of the student and distiller in
exactly one group, and no parameter of a frozen teacher in any group.
"""
import glob
import os.path as osp
import runpy
import sys

import mmengine.optim.optimizer.amp_optimizer_wrapper as amp_module
import pytest
import torch
from conftest import REPO, load_script
from mmengine.config import Config
from mmengine.optim import AmpOptimWrapper, build_optim_wrapper
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner

import mmrazor_video_kd  # noqa: F401  (compat fixes: bf16 AMP on a CPU)
from mmrazor_video_kd.models.builders import find_pretrained_weights

CONFIGS = sorted(
    osp.relpath(p, REPO)
    for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                       recursive=True)
    if '_base_' not in osp.relpath(p, REPO).split(osp.sep))


def upstream_train_script(package):
    module = __import__(package)
    return osp.join(osp.dirname(module.__file__), '.mim', 'tools', 'train.py')


def is_distillation(cfg):
    return 'architecture' in cfg.model


def run_capturing_cfg(monkeypatch, tmp_path, main, script, config):
    """Run ``main()`` as ``script CONFIG --amp``; the config it would build
    the runner from."""
    captured = []

    class NoTraining:

        def train(self):
            pass

    def from_cfg(cfg):
        captured.append(cfg)
        return NoTraining()

    with monkeypatch.context() as m:
        m.setattr(Runner, 'from_cfg', staticmethod(from_cfg))
        m.setattr(sys, 'argv', [
            script, osp.join(REPO, config), '--amp', '--work-dir',
            str(tmp_path / 'work')])
        m.setenv('LOCAL_RANK', '0')
        main()
    assert len(captured) == 1, f'{script} did not build a runner'
    return captured[0]


def amp_cfgs(monkeypatch, tmp_path, config):
    """``{entry point: config after its --amp}``."""
    mmrazor = upstream_train_script('mmrazor')
    entry_points = {
        'mim train mmrazor': (
            mmrazor, lambda: runpy.run_path(mmrazor, run_name='__main__')),
        'tools/train.py': (osp.join(REPO, 'tools', 'train.py'),
                           load_script('tools/train.py').main),
    }
    if not is_distillation(Config.fromfile(osp.join(REPO, config))):
        mmaction = upstream_train_script('mmaction')
        entry_points['mim train mmaction'] = (
            mmaction, lambda: runpy.run_path(mmaction, run_name='__main__'))
    return {
        name: run_capturing_cfg(monkeypatch, tmp_path, main, script, config)
        for name, (script, main) in entry_points.items()}


def offline_overrides(cfg, tmp_path):
    """Teacher checkpoints off, teacher-output cache in ``tmp_path``,
    pretrained (ImageNet) weights off (the from-scratch overrides that
    ``PretrainedWeightsError`` names)."""
    options = {}
    if 'teacher' in cfg.model:
        options['model.teacher_ckpt'] = None
    for name in cfg.model.get('teachers', {}):
        options[f'model.teachers.{name}.ckpt'] = None
    if 'cache_dir' in cfg.model:
        options['model.cache_dir'] = str(tmp_path / 'teacher_cache')
    if cfg.model.type == 'StoredTeacherDistill':  # an empty store: a warning
        options['model.store_root'] = str(tmp_path / 'teacher_store')
        options['model.teacher_fingerprint'] = '0' * 64
    cfg.merge_from_dict(options)
    cfg.merge_from_dict({key: value
                         for weights in find_pretrained_weights(cfg.model)
                         for key, value in weights.scratch.items()})
    return cfg


def frozen_teacher_parameters(model):
    """Parameters of the teachers that are not trained, found from the
    model (not from the constructor under test)."""
    teachers = []
    if (isinstance(getattr(model, 'teacher', None), torch.nn.Module)
            and not getattr(model, 'teacher_trainable', False)):
        teachers.append(model.teacher)
    if isinstance(getattr(model, 'teachers', None), torch.nn.Module):
        teachers.append(model.teachers)
    return {id(p) for teacher in teachers for p in teacher.parameters()}


def groups_of(optim_wrapper):
    """``[(parameter ids, lr, weight_decay)]`` of each parameter group."""
    return [([id(p) for p in group['params']], group['lr'],
             group.get('weight_decay'))
            for group in optim_wrapper.optimizer.param_groups]


def build_as_on_gpu(monkeypatch, model, optim_wrapper_cfg):
    """``build_optim_wrapper`` where MMEngine sees CUDA (the upstream
    ``AmpOptimWrapper.__init__`` runs, not the CPU compat fix); returns the
    wrapper and the arguments its ``GradScaler`` got."""
    scalers = []

    class RecordingGradScaler:

        def __init__(self, *args, **kwargs):
            scalers.append((args, kwargs))

    with monkeypatch.context() as m:
        m.setattr(amp_module, 'is_cuda_available', lambda: True)
        m.setattr(amp_module, 'GradScaler', RecordingGradScaler)
        optim_wrapper = build_optim_wrapper(model, optim_wrapper_cfg)
    return optim_wrapper, scalers


def test_configs_were_found():
    assert len(CONFIGS) >= 50
    assert not any('_base_' in c for c in CONFIGS)
    assert any('kinetics400' in c for c in CONFIGS)


@pytest.mark.parametrize('config', CONFIGS, ids=CONFIGS)
def test_amp_builds_bf16_amp_optim_wrapper(config, monkeypatch, tmp_path):
    base = offline_overrides(Config.fromfile(osp.join(REPO, config)),
                             tmp_path)
    cfgs = amp_cfgs(monkeypatch, tmp_path, config)
    assert 'mim train mmaction' in cfgs or is_distillation(base)

    init_default_scope(base.get('default_scope', 'mmaction'))
    model = MODELS.build(base.model)  # once per config; no init, no forward
    fp32 = build_optim_wrapper(model, base.optim_wrapper)
    assert type(fp32).__name__ == 'OptimWrapper', \
        'AMP is on without --amp'
    expected_groups = groups_of(fp32)

    frozen = frozen_teacher_parameters(model)
    built_teacher = (('teacher' in base.model or 'teachers' in base.model)
                     and base.model.type != 'StoredTeacherDistill')
    assert bool(frozen) == built_teacher, \
        'the frozen-teacher check would test nothing'
    names = {id(p): n for n, p in model.named_parameters()}
    trainable = {id(p) for p in model.parameters()
                 if p.requires_grad and id(p) not in frozen}
    for entry_point, cfg in cfgs.items():
        where = f'{entry_point} {config} --amp'
        optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
        assert isinstance(optim_wrapper, AmpOptimWrapper), (
            f'{where}: {type(optim_wrapper).__name__}, optim_wrapper='
            f'{cfg.optim_wrapper}')
        assert optim_wrapper.cast_dtype == torch.bfloat16, where
        assert not optim_wrapper.loss_scaler.is_enabled(), where  # CPU: bf16
        # on a GPU: fp16 (autocast's default) with dynamic loss scaling
        on_gpu, scalers = build_as_on_gpu(monkeypatch, model,
                                          cfg.optim_wrapper)
        assert on_gpu.cast_dtype is None, where
        assert scalers == [((), {})], f'{where}: GradScaler{scalers}'
        groups = groups_of(optim_wrapper)
        assert groups == expected_groups, \
            f'{where}: parameter groups differ from those without --amp'
        in_groups = [i for ids, _, _ in groups for i in ids]
        teacher_params = sorted(names[i] for i in set(in_groups) & frozen)
        assert not teacher_params, \
            f'{where}: frozen teacher parameters optimised: {teacher_params}'
        assert len(in_groups) == len(set(in_groups)), \
            f'{where}: a parameter is in two groups'
        missing = sorted(names[i] for i in trainable - set(in_groups))
        assert not missing, f'{where}: not optimised: {missing[:5]}'
