"""Channels-last under DDP: ChannelsLastDistributedDataParallel converts the
model before DDP lays out its gradient buckets, for every kind of model
(MMRazor's SingleTeacherDistill, MultiTeacherDistill, CachedTeacherDistill,
a plain MMAction2 recognizer with Conv3d); 2 gloo processes get the losses
and all-reduced gradients of the contiguous model, with no "Grad strides do
not match bucket view strides" warning, which the old order (wrap, then
convert) does raise; ChannelsLastHook refuses that order and names the
config key to use; a config with the wrapper trains through
tools/dist_train.sh."""
import copy
import os
import os.path as osp
import subprocess
import sys
import tempfile
import warnings
from types import SimpleNamespace

import pytest
import torch
import torch.distributed as dist
from conftest import REPO, free_port, load_script, spawn_ranks
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.model import MMDistributedDataParallel
from mmengine.registry import MODEL_WRAPPERS, MODELS, init_default_scope

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.engine import (ChannelsLastDistributedDataParallel,
                                     ChannelsLastHook, to_channels_last)

KD_CFG = ('configs/distill/logits_kd/'
          'kd-logits_tsm-r18_tsm-mobilenetv2-w0.5_20e_motions-rgb.py')
POSEC3D = 'configs/recognition/skeleton/posec3d-tiny_msr-action3d-heatmap.py'
STRIDE_WARNING = 'Grad strides do not match bucket view strides'
#: Largest float64 gradient difference, relative to the model's largest
#: gradient element. Channels-last convolutions sum the same products in
#: another order, and BatchNorm in training mode on 32 px clips amplifies
#: the rounding: in float32 the gradients differ by up to 2.6e-2 (not a
#: layout error: 4e-14 in float64). float64 rounds 5e8 times finer, which
#: puts float32's 2.6e-2 at 5e-11; a gradient in the wrong layout, or not
#: all-reduced (each process has its own batch), differs by O(1e-1).
GRAD_TOL = 1e-10


def single_teacher(tmp_dir, rank):
    """SingleTeacherDistill: TSM-R18 teacher, TSM-MobileNetV2 student."""
    cfg = Config.fromfile(osp.join(REPO, KD_CFG))
    cfg.model.teacher_ckpt = None
    model = MODELS.build(cfg.model)
    g = torch.Generator().manual_seed(rank)
    data = dict(inputs=[torch.randint(0, 256, (8, 3, 32, 32), generator=g,
                                      dtype=torch.uint8) for _ in range(2)],
                data_samples=[ActionDataSample().set_gt_label(i)
                              for i in range(2)])
    return model, model.data_preprocessor(data, True)


def multi_teacher():
    """MultiTeacherDistill: two TSM-MobileNetV2 teachers on 16 and 8
    frames, the student on 8."""
    helpers = load_script('tests/test_models/test_multi_teacher_distill.py')
    return helpers.build()


def cached_teacher(tmp_dir, rank):
    """CachedTeacherDistill: TSM-MobileNetV2 teacher and student."""
    helpers = load_script('tests/test_models/test_teacher_output_cache.py')
    model, _ = helpers.build(tempfile.mkdtemp(dir=tmp_dir))
    inputs, samples = helpers.batch(
        model, [helpers.metainfo(f'{rank}.mp4'), helpers.metainfo('b.mp4')])
    return model, dict(inputs=inputs, data_samples=samples)


def recognizer_3d(tmp_dir, rank):
    """A plain MMAction2 Recognizer3D: tiny PoseC3D (Conv3d)."""
    cfg = Config.fromfile(osp.join(REPO, POSEC3D))
    model = MODELS.build(cfg.model)
    g = torch.Generator().manual_seed(rank)
    data = dict(inputs=[torch.rand(1, 20, 8, 32, 32, generator=g)
                        for _ in range(2)],
                data_samples=[ActionDataSample().set_gt_label(i)
                              for i in range(2)])
    return model, model.data_preprocessor(data, True)


#: Models trained through ``MMDistributedDataParallel.train_step``, which
#: preprocesses the batch and calls ``forward(mode='loss')`` through DDP.
CASES = dict(SingleTeacherDistill=single_teacher,
             CachedTeacherDistill=cached_teacher,
             Recognizer3D=recognizer_3d)


def channels_last_strides(tensor):
    memory_format = (torch.channels_last if tensor.dim() == 4 else
                     torch.channels_last_3d)
    return torch.empty_like(tensor, memory_format=memory_format).stride()


def unconverted(model):
    """Names of the 4-D and 5-D parameters and buffers of ``model`` whose
    strides are not exactly the channels-last ones (``is_contiguous`` would
    accept the contiguous strides of ``(C, 1, k, k)`` and ``1x1`` weights)."""
    return [name for name, t in [*model.named_parameters(),
                                 *model.named_buffers()]
            if t.dim() in (4, 5) and t.stride() != channels_last_strides(t)]


def loss_and_grads(ddp, data):
    """Losses and all-reduced gradients of one forward and backward of
    ``ddp`` on ``data``, and the warnings raised meanwhile."""
    torch.manual_seed(0)  # same dropout masks
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        losses = ddp(**copy.deepcopy(data), mode='loss')
        loss, _ = ddp.module.parse_losses(losses)
        loss.backward()
    grads = {name: p.grad for name, p in ddp.module.named_parameters()
             if p.requires_grad}
    return ({k: v.detach() for k, v in losses.items()}, grads,
            [str(w.message) for w in caught])


def measure(case, dtype, tmp_dir, rank):
    """Channels-last DDP against contiguous DDP, for one model and dtype."""
    torch.manual_seed(0)
    model, data = CASES[case](tmp_dir, rank)
    model.train().to(dtype)
    data['inputs'] = data['inputs'].to(dtype)
    reference = MMDistributedDataParallel(
        module=copy.deepcopy(model), broadcast_buffers=False,
        find_unused_parameters=True)
    ddp = MODEL_WRAPPERS.build(dict(
        type='ChannelsLastDistributedDataParallel', module=model,
        find_unused_parameters=True))
    strides = bucket_strides(ddp)
    ChannelsLastHook().before_train(SimpleNamespace(model=ddp))
    losses, grads, caught = loss_and_grads(reference, data)
    cl_losses, cl_grads, cl_caught = loss_and_grads(ddp, data)
    largest = max(g.abs().max() for g in grads.values() if g is not None)
    return dict(
        losses=losses, cl_losses=cl_losses, warnings=caught + cl_caught,
        grad_errors={name: ((cl_grads[name] - g).abs().max() /
                            largest).item()
                     for name, g in grads.items() if g is not None},
        grad_norms={n: g.norm().item() for n, g in cl_grads.items()
                    if g is not None},
        stride_mismatches=stride_mismatches(ddp, strides),
        missing_grads=[n for n, g in grads.items()
                       if (g is None) != (cl_grads[n] is None)],
        unconverted=unconverted(ddp.module),
        conv_dims=sorted({p.dim() for p in ddp.module.parameters()
                          if p.dim() in (4, 5)}),
        broadcast_buffers=ddp.broadcast_buffers)


def bucket_strides(ddp):
    """The strides DDP lays out its gradient buckets with: the parameters'
    when it wraps them."""
    return {n: p.stride() for n, p in ddp.module.named_parameters()}


def stride_mismatches(ddp, strides):
    """Parameters whose gradient DDP copies into its bucket, strides
    differing (it warns only for the first one in a process)."""
    return [n for n, p in ddp.module.named_parameters()
            if p.grad is not None and p.grad.stride() != strides[n]]


def old_order(tmp_dir, rank):
    """DDP wraps the contiguous model, ChannelsLastHook meets it in
    before_train; what the hook raises, then what its old conversion
    does to DDP."""
    torch.manual_seed(0)
    model, data = single_teacher(tmp_dir, rank)
    model.train()
    ddp = MMDistributedDataParallel(module=model, broadcast_buffers=False,
                                    find_unused_parameters=True)
    strides = bucket_strides(ddp)
    result = dict(hook_error=None)
    try:
        ChannelsLastHook().before_train(SimpleNamespace(model=ddp))
    except RuntimeError as error:
        result['hook_error'] = str(error)
    to_channels_last(ddp.module)  # what the hook used to do
    result['warnings'] = loss_and_grads(ddp, data)[2]
    result['stride_mismatches'] = stride_mismatches(ddp, strides)
    return result


def run_rank(rank, port, tmp_dir):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group('gloo', rank=rank, world_size=2)
    init_default_scope('mmaction')
    # DDP warns once per process: the old order after the float32 runs,
    # before the float64 ones (see the test of the strides)
    result = dict(cases={case: {} for case in CASES})
    for case in CASES:
        result['cases'][case]['torch.float32'] = measure(
            case, torch.float32, tmp_dir, rank)
    result['old_order'] = old_order(tmp_dir, rank)
    for case in CASES:
        result['cases'][case]['torch.float64'] = measure(
            case, torch.float64, tmp_dir, rank)

    # MultiTeacherDistill: the teachers too.
    ddp = ChannelsLastDistributedDataParallel(module=multi_teacher())
    result['multi_teacher_unconverted'] = unconverted(ddp.module)
    result['multi_teacher_params'] = [
        n for n, p in ddp.module.named_parameters() if p.dim() == 4]

    # With model_wrapper_cfg, MMEngine drops the top-level key.
    cfg = Config(dict(find_unused_parameters=True, model_wrapper_cfg=dict(
        type='ChannelsLastDistributedDataParallel')))
    ddp = ChannelsLastDistributedDataParallel(module=recognizer_3d(
        tmp_dir, rank)[0])
    result['find_unused_error'] = None
    try:
        ChannelsLastHook().before_train(SimpleNamespace(model=ddp, cfg=cfg))
    except ValueError as error:
        result['find_unused_error'] = str(error)
    torch.save(result, osp.join(tmp_dir, f'{rank}.pt'))
    dist.destroy_process_group()



@pytest.fixture(scope='module')
def ranks(tmp_path_factory):
    """What each of 2 gloo processes measured."""
    tmp_dir = str(tmp_path_factory.mktemp('channels_last_ddp'))
    return spawn_ranks(run_rank, tmp_dir)


@pytest.mark.parametrize('case', list(CASES))
def test_wrapper_matches_contiguous_ddp_without_stride_copies(ranks, case):
    """float32, as trained: no stride warning, every gradient in its
    parameter's layout; float64: the same all-reduced gradients (in float32
    they differ by rounding only, see GRAD_TOL); both: the same losses.

    Strides are not checked in float64: CPU kernels without a channels-last
    path for it (``slow_conv3d``) return contiguous gradients."""
    for rank, result in enumerate(ranks):
        as_trained = result['cases'][case]['torch.float32']
        assert as_trained['warnings'] == [], (case, as_trained['warnings'])
        assert as_trained['stride_mismatches'] == [], case
        for dtype, measured in result['cases'][case].items():
            where = f'{case}, {dtype}, rank {rank}'
            assert measured['broadcast_buffers'] is False
            assert measured['conv_dims'], f'{where}: no convolution'
            assert measured['unconverted'] == [], where
            assert measured['missing_grads'] == [], where
            assert measured['losses'].keys() == measured['cl_losses'].keys()
            for key, value in measured['losses'].items():
                torch.testing.assert_close(
                    measured['cl_losses'][key], value, rtol=1e-4, atol=1e-5,
                    msg=f'{where}: {key}')
        errors = result['cases'][case]['torch.float64']['grad_errors']
        assert errors, f'{case}: no gradient'
        worst = max(errors, key=errors.get)
        assert errors[worst] < GRAD_TOL, (case, rank, worst, errors[worst])
    # all-reduced: both processes, given different batches, hold the same
    # gradients
    for dtype, measured in ranks[0]['cases'][case].items():
        assert measured['grad_norms'] == \
            ranks[1]['cases'][case][dtype]['grad_norms'], (case, dtype)


def test_both_layouts_are_exercised(ranks):
    dims = set()
    for measured in ranks[0]['cases'].values():
        dims.update(measured['torch.float32']['conv_dims'])
    assert dims == {4, 5}


def test_wrapper_converts_every_teacher(ranks):
    for result in ranks:
        assert result['multi_teacher_unconverted'] == []
        assert {name.split('.')[1] for name in result['multi_teacher_params']
                if name.startswith('teachers.')} == {'teacher', 'assistant'}


def test_old_order_warns_and_hook_names_the_config_key(ranks):
    for result in ranks:
        old = result['old_order']
        assert any(STRIDE_WARNING in w for w in old['warnings'])
        assert old['stride_mismatches']
        assert "model_wrapper_cfg = dict(type='ChannelsLastDistributed" \
            "DataParallel')" in old['hook_error']
        assert 'MMDistributedDataParallel' in old['hook_error']


def test_hook_refuses_a_dropped_find_unused_parameters(ranks):
    for result in ranks:
        assert 'add find_unused_parameters=True to model_wrapper_cfg' in \
            result['find_unused_error']


def test_dist_train_with_the_wrapper_trains(tmp_path):
    """tools/dist_train.sh, 2 CPU processes, a distillation config with the
    wrapper and ChannelsLastHook (which raises if DDP wrapped the model
    before its conversion): one epoch, no stride warning."""
    runs = load_script('tests/test_e2e/test_training_runs.py')
    motions = str(tmp_path / 'motions')
    load_script('tools/data/make_motion_dataset.py').make_motion_dataset(
        motions, num_train=4, num_val=1, frames=8, size=64)
    base = runs.override(tmp_path, motions, 'kd', batch=2, epochs=1)
    hooks = Config.fromfile(base).custom_hooks + [
        dict(type='ChannelsLastHook')]
    config = tmp_path / 'channels_last.py'
    config.write_text(
        f'_base_ = [{base!r}]\n'
        "model_wrapper_cfg = dict(type='ChannelsLastDistributedDataParallel')"
        f'\ncustom_hooks = {hooks!r}\n')
    work_dir = str(tmp_path / 'work')
    env = dict(os.environ, PORT=str(free_port()), OMP_NUM_THREADS='1',
               PATH=osp.dirname(sys.executable) + os.pathsep +
               os.environ['PATH'])
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', str(config), '2',
         '--work-dir', work_dir], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert 'Distributed launcher: pytorch' in output
    assert osp.isfile(osp.join(work_dir, 'epoch_1.pth'))
    assert STRIDE_WARNING not in output
