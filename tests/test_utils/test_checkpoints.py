"""Teacher weights from MMEngine, PyTorch Lightning and DeepSpeed files, and
position-embedding interpolation.

The files are written as those libraries write them (MMEngine 0.10.7
``Runner.save_checkpoint``; Lightning 2.4.0 ``dump_checkpoint`` and its
DeepSpeed strategy; DeepSpeed 0.15.0 ``engine.save_checkpoint``), without
installing Lightning or DeepSpeed.
"""
import collections
import copy
import os.path as osp

import mmrazor_video_kd  # noqa: F401  (installs the safe torch.load)
import pytest
import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmengine.runner.checkpoint import save_checkpoint, weights_to_cpu
from torch import nn

from mmrazor_video_kd.models.builders.model_from_config import \
    model_from_config
from mmrazor_video_kd.utils.checkpoints import (CheckpointFormatError,
                                                TeacherCheckpointError,
                                                interpolate_pos_embed,
                                                load_teacher_checkpoint,
                                                read_state_dict, strip_prefix)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'recognition', 'videomae',
                  'vit-micro-p16_8x2x1_40e_avletters-rgb.py')
KEY = 'model.teacher_ckpt'


def build(**backbone):
    """The micro ViT (8 frames, 64x64, 96 channels), backbone overridden."""
    options = {f'model.backbone.{k}': v for k, v in backbone.items()}
    torch.manual_seed(0)
    return model_from_config(CONFIG, cfg_options=options)


@pytest.fixture(scope='module')
def model():
    return build()


@pytest.fixture(scope='module')
def state(model):
    return weights_to_cpu(model.state_dict())


def assert_same(actual, expected):
    assert list(actual) == list(expected)
    for key, value in expected.items():
        assert actual[key].dtype == value.dtype, key
        assert torch.equal(actual[key], value), key


def optimizer_states(params):
    """State dicts of an AdamW after one step and of its scheduler."""
    params = list(params)
    optimizer = torch.optim.AdamW(params, lr=1e-3)
    for param in params:
        param.grad = torch.zeros_like(param)
    optimizer.step()
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5)
    return optimizer.state_dict(), scheduler.state_dict()


# --------------------------------------------------------------------------
# Writers emulating each library
# --------------------------------------------------------------------------


def write_mmengine(path, model):
    """As ``mmengine.runner.Runner.save_checkpoint`` (0.10.7)."""
    hub = MessageHub.get_instance('test_checkpoints')
    for i in range(3):
        hub.update_scalar('train/loss', float(i))
    optimizer, scheduler = optimizer_states(build().parameters())
    checkpoint = dict(meta=dict(epoch=3,
                                iter=30,
                                cfg='model = dict()',
                                seed=0,
                                experiment_name='exp',
                                time='20250101_000000',
                                mmengine_version='0.10.7',
                                dataset_meta=dict(classes=('a', 'b'))),
                      state_dict=weights_to_cpu(model.state_dict()),
                      message_hub=hub.state_dict(),
                      optimizer=dict(state=optimizer['state'],
                                     param_groups=optimizer['param_groups']),
                      param_schedulers=[scheduler])
    save_checkpoint(checkpoint, path)


class LitModule(nn.Module):
    """A LightningModule's attributes: the network as ``self.model``."""

    def __init__(self, network, **extra):
        super().__init__()
        self.model = network
        for name, module in extra.items():
            setattr(self, name, module)


def lightning_checkpoint(module, version='2.4.0'):
    """As Lightning 2.4.0 ``_CheckpointConnector.dump_checkpoint``."""
    optimizer, scheduler = optimizer_states(build().parameters())
    progress = dict(ready=1, started=1, processed=1, completed=1)
    callback = ("ModelCheckpoint{'monitor': None, 'mode': 'min', "
                "'every_n_train_steps': 0, 'every_n_epochs': 1, "
                "'train_time_interval': None}")
    return {
        'epoch': 0,
        'global_step': 10,
        'pytorch-lightning_version': version,
        'state_dict': module.state_dict(),
        'loops': {
            'fit_loop': {
                'state_dict': {},
                'epoch_loop.state_dict': {
                    '_batches_that_stepped': 10
                },
                'epoch_progress': {
                    'total': progress,
                    'current': progress
                }
            },
            'validate_loop': {
                'state_dict': {}
            },
            'test_loop': {
                'state_dict': {}
            },
            'predict_loop': {
                'state_dict': {}
            },
        },
        'callbacks': {
            callback: {
                'monitor': None,
                'best_model_score': None,
                'best_model_path': '/tmp/epoch=0-step=10.ckpt',
                'current_score': None,
                'dirpath': '/tmp',
                'best_k_models': {},
                'kth_best_model_path': '',
                'kth_value': torch.tensor(float('inf')),
                'last_model_path': ''
            }
        },
        'optimizer_states': [optimizer],
        'lr_schedulers': [scheduler],
        'hparams_name': 'kwargs',
        'hyper_parameters': {
            'lr': 1e-3,
            'num_classes': 26
        },
    }


def buffer_names(module):
    return [name for name, _ in module.named_buffers()]


def deepspeed_states(module, client_state=None):
    """``mp_rank_00_model_states.pt`` of DeepSpeed 0.15.0 ``_save_checkpoint``
    under ZeRO stage 2 (the optimizer state lives in the optim files)."""
    state = dict(module=module.state_dict(),
                 buffer_names=buffer_names(module),
                 optimizer=None,
                 param_shapes=[
                     collections.OrderedDict(
                         (name, p.shape)
                         for name, p in module.named_parameters())
                 ],
                 frozen_param_shapes=None,
                 shared_params={},
                 frozen_param_fragments=None,
                 lr_scheduler=None,
                 data_sampler=None,
                 random_ltd=None,
                 sparse_tensor_module_names=set(),
                 skipped_steps=0,
                 global_steps=10,
                 global_samples=80,
                 dp_world_size=1,
                 mp_world_size=1,
                 ds_config={
                     'train_micro_batch_size_per_gpu': 8,
                     'zero_optimization': {
                         'stage': 2
                     },
                     'bf16': {
                         'enabled': False
                     }
                 },
                 ds_version='0.15.0')
    state.update(client_state or {})
    return state


def write_deepspeed(save_dir,
                    module,
                    tag='global_step10',
                    client_state=None,
                    model_file='mp_rank_00_model_states.pt'):
    """As DeepSpeed 0.15.0 ``engine.save_checkpoint(save_dir)``."""
    tag_dir = save_dir / tag
    tag_dir.mkdir(parents=True)
    torch.save(deepspeed_states(module, client_state), tag_dir / model_file)
    torch.save(
        dict(optimizer_state_dict=dict(zero_stage=2, partition_count=1),
             ds_config={'zero_optimization': {
                 'stage': 2
             }},
             ds_version='0.15.0'),
        tag_dir / 'zero_pp_rank_0_mp_rank_00_optim_states.pt')
    (save_dir / 'zero_to_fp32.py').write_text('# recovery script\n')
    (save_dir / 'latest').write_text(tag)  # written without a newline
    return tag_dir


# --------------------------------------------------------------------------
# Reading the three formats
# --------------------------------------------------------------------------


def test_mmengine_checkpoint(tmp_path, model, state):
    path = str(tmp_path / 'epoch_3.pth')
    write_mmengine(path, model)
    read, fmt = read_state_dict(path)
    assert fmt == 'mmengine'
    assert_same(read, state)


def test_mmengine_bare_and_ddp_state_dict(tmp_path, state):
    torch.save(state, tmp_path / 'bare.pth')
    read, fmt = read_state_dict(str(tmp_path / 'bare.pth'))
    assert fmt == 'mmengine'
    assert_same(read, state)
    ddp = {'module.' + k: v for k, v in state.items()}
    torch.save({'state_dict': ddp, 'meta': {}}, tmp_path / 'ddp.pth')
    assert_same(read_state_dict(str(tmp_path / 'ddp.pth'))[0], state)


def test_lightning_checkpoint(tmp_path, model, state):
    path = tmp_path / 'epoch=0-step=10.ckpt'
    torch.save(lightning_checkpoint(LitModule(model)), path)
    read, fmt = read_state_dict(path)
    assert fmt == 'lightning'
    assert_same(read, state)
    # without stripping the keys keep the attribute name of the network
    raw, _ = read_state_dict(path, prefix='')
    assert_same(raw, {'model.' + k: v for k, v in state.items()})


def test_lightning_prefix_not_shared_is_kept(tmp_path, model, state):
    module = LitModule(model, criterion=nn.BatchNorm1d(2))
    path = tmp_path / 'last.ckpt'
    torch.save(lightning_checkpoint(module), path)
    read, _ = read_state_dict(path)
    assert set(read) == set(module.state_dict())  # mixed: left as is
    only_model, _ = read_state_dict(path, prefix='model.')
    assert_same(only_model, state)


def test_lightning_explicit_prefix_picks_teacher(tmp_path, model, state):
    module = nn.Module()
    module.student = build(embed_dims=48, num_heads=1)
    module.teacher = model
    path = tmp_path / 'kd.ckpt'
    torch.save(lightning_checkpoint(module), path)
    read, fmt = read_state_dict(path, prefix='teacher.')
    assert fmt == 'lightning'
    assert_same(read, state)
    with pytest.raises(CheckpointFormatError) as error:
        read_state_dict(path, config_key='teacher_cfg.ckpt', prefix='net.')
    message = str(error.value)
    assert 'teacher_cfg.ckpt' in message and str(path) in message
    assert "'net.'" in message and 'student.' in message


def test_deepspeed_directory(tmp_path, model, state):
    save_dir = tmp_path / 'ds'
    tag_dir = write_deepspeed(save_dir, model)
    for path in (save_dir, tag_dir, tag_dir / 'mp_rank_00_model_states.pt'):
        read, fmt = read_state_dict(str(path))
        assert fmt == 'deepspeed', path
        assert_same(read, state)


def test_deepspeed_module_prefix_and_bf16(tmp_path, model, state):
    wrapped = nn.Module()
    wrapped.module = copy.deepcopy(model).to(torch.bfloat16)
    write_deepspeed(tmp_path / 'ds', wrapped)
    read, _ = read_state_dict(str(tmp_path / 'ds'))
    assert list(read) == list(state)
    assert read['backbone.pos_embed'].dtype == torch.bfloat16
    target = build()
    target.load_state_dict(read, strict=True)  # casts to float32
    expected = state['backbone.blocks.0.mlp.layers.0.0.weight']
    assert torch.equal(
        target.state_dict()['backbone.blocks.0.mlp.layers.0.0.weight'],
        expected.to(torch.bfloat16).float())


@pytest.mark.parametrize('wrapper', ['', '_forward_module.'])
def test_lightning_deepspeed_directory(tmp_path, model, state, wrapper):
    """Lightning's DeepSpeed strategy: ``save_checkpoint(filepath,
    client_state=checkpoint, tag='checkpoint')`` without ``state_dict`` and
    ``optimizer_states``; Lightning < 2.1 wraps in ``_forward_module``."""
    module = LitModule(model)
    if wrapper:
        outer = nn.Module()
        outer._forward_module = module
        module = outer
    client = {
        k: v
        for k, v in lightning_checkpoint(LitModule(model)).items()
        if k not in ('state_dict', 'optimizer_states')
    }
    save_dir = tmp_path / 'epoch=0-step=10.ckpt'
    write_deepspeed(save_dir, module, tag='checkpoint', client_state=client)
    read, fmt = read_state_dict(str(save_dir))
    assert fmt == 'deepspeed'
    assert_same(read, state)


def test_strip_prefix():
    tensor = torch.zeros(1)
    nested = {
        '_forward_module.model.backbone.w': tensor,
        '_forward_module.model.cls_head.b': tensor
    }
    assert set(strip_prefix(nested)) == {'backbone.w', 'cls_head.b'}
    assert strip_prefix(nested, '') is nested
    assert set(strip_prefix(nested, '_forward_module.')) == {
        'model.backbone.w', 'model.cls_head.b'
    }
    mixed = {'model.w': tensor, 'loss.w': tensor}
    assert strip_prefix(mixed) == mixed
    assert strip_prefix({'backbone.w': tensor}) == {'backbone.w': tensor}


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


def assert_names(error, config_key, path, *words):
    message = str(error.value)
    assert config_key in message, message
    assert str(path) in message, message
    for word in words:
        assert word in message, message


def test_missing_path(tmp_path):
    path = tmp_path / 'nope.pth'
    with pytest.raises(CheckpointFormatError) as error:
        read_state_dict(str(path), config_key='teacher.ckpt')
    assert isinstance(error.value, TeacherCheckpointError)
    assert isinstance(error.value, RuntimeError)
    assert_names(error, 'teacher.ckpt', path, 'does not exist', 'DeepSpeed')


def test_directory_without_layout(tmp_path):
    (tmp_path / 'notes.txt').write_text('x')
    with pytest.raises(CheckpointFormatError) as error:
        read_state_dict(str(tmp_path))
    assert_names(error, KEY, tmp_path, 'latest', 'mp_rank_00_model_states.pt',
                 'notes.txt')


def test_latest_names_missing_tag(tmp_path):
    (tmp_path / 'latest').write_text('global_step99')
    with pytest.raises(CheckpointFormatError) as error:
        read_state_dict(str(tmp_path))
    assert_names(error, KEY, tmp_path, 'global_step99')


def test_file_without_tensors(tmp_path):
    path = tmp_path / 'meta_only.pth'
    torch.save({'meta': {'epoch': 1}, 'message_hub': {}}, path)
    with pytest.raises(CheckpointFormatError) as error:
        read_state_dict(str(path))
    assert_names(error, KEY, path, 'no tensors', 'meta')
    torch.save({'state_dict': {}, 'meta': {}}, path)
    with pytest.raises(CheckpointFormatError) as error:
        read_state_dict(str(path))
    assert_names(error, KEY, path, 'no tensors')


class Hparams(dict):
    """A class weights_only unpickling must refuse."""


def test_unsafe_pickle_is_refused(tmp_path, model):
    checkpoint = lightning_checkpoint(LitModule(model))
    checkpoint['hparams_type'] = Hparams
    path = tmp_path / 'omegaconf.ckpt'
    torch.save(checkpoint, path)
    with pytest.raises(CheckpointFormatError) as error:
        read_state_dict(str(path))
    assert_names(error, KEY, path, 'weights_only=True')


def test_model_parallel_deepspeed(tmp_path, model):
    tag_dir = write_deepspeed(tmp_path / 'ds', model)
    torch.save(deepspeed_states(model), tag_dir / 'mp_rank_01_model_states.pt')
    for path in (tmp_path / 'ds', tag_dir / 'mp_rank_00_model_states.pt'):
        with pytest.raises(NotImplementedError) as error:
            read_state_dict(str(path))
        assert_names(error, KEY, tag_dir, 'mp_rank_01', 'model-parallel')


def test_zero3_deepspeed(tmp_path, model):
    tag_dir = write_deepspeed(
        tmp_path / 'ds',
        model,
        model_file='zero_pp_rank_0_mp_rank_00_model_states.pt')
    with pytest.raises(NotImplementedError) as error:
        read_state_dict(str(tmp_path / 'ds'))
    assert_names(error, KEY, tag_dir, 'ZeRO-3', 'zero_to_fp32.py')


# --------------------------------------------------------------------------
# Position embeddings
# --------------------------------------------------------------------------


def by_hand(pos_embed, src_grid, grid):
    """Reference: F.interpolate on the (1, C, T, H, W) grid."""
    channels = pos_embed.shape[-1]
    volume = pos_embed.reshape(1, *src_grid, channels).permute(0, 4, 1, 2, 3)
    volume = F.interpolate(volume,
                           size=grid,
                           mode='trilinear',
                           align_corners=False)
    return volume.permute(0, 2, 3, 4, 1).reshape(1, -1, channels)


def per_frame(pos_embed, src_hw, hw, frames):
    """Second reference when T is unchanged: bilinear frame by frame."""
    channels = pos_embed.shape[-1]
    planes = pos_embed.reshape(frames, *src_hw, channels).permute(0, 3, 1, 2)
    planes = F.interpolate(planes,
                           size=hw,
                           mode='bilinear',
                           align_corners=False)
    return planes.permute(0, 2, 3, 1).reshape(1, -1, channels)


@pytest.mark.parametrize('learnable', [True, False])
def test_smaller_image_checkpoint_loads_after_interpolation(
        tmp_path, learnable):
    small = build(img_size=32, use_learnable_pos_emb=learnable)
    if learnable:
        with torch.no_grad():
            small.backbone.pos_embed.normal_()
    path = str(tmp_path / 'small.pth')
    write_mmengine(path, small)
    target = build(use_learnable_pos_emb=learnable)
    read, _ = read_state_dict(path)
    old = read['backbone.pos_embed']
    assert old.shape == (1, 4 * 2 * 2, 96)
    with pytest.raises(RuntimeError, match='size mismatch'):
        target.load_state_dict(read, strict=True)

    new_state, resized = interpolate_pos_embed(read, target)

    assert resized == [('backbone.pos_embed', (1, 16, 96), (1, 64, 96))]
    new = new_state['backbone.pos_embed']
    assert torch.allclose(new, by_hand(old, (4, 2, 2), (4, 4, 4)))
    assert torch.allclose(new, per_frame(old, (2, 2), (4, 4), 4), atol=1e-6)
    assert read['backbone.pos_embed'] is old  # input left unchanged
    for key in read:
        if key != 'backbone.pos_embed':
            assert new_state[key] is read[key]
    target.load_state_dict(new_state, strict=True)
    assert torch.equal(target.backbone.pos_embed, new)
    with torch.no_grad():
        out = target.backbone(torch.zeros(1, 3, 8, 64, 64))
    assert out.shape == (1, 96)


def test_same_shape_is_untouched(model, state):
    new_state, resized = interpolate_pos_embed(state, model)
    assert resized == []
    assert new_state['backbone.pos_embed'] is state['backbone.pos_embed']


def test_temporal_change_needs_explicit_grids(model):
    short = build(num_frames=4, img_size=32, use_learnable_pos_emb=True)
    old = short.state_dict()
    with pytest.raises(ValueError) as error:
        interpolate_pos_embed(old, model)
    message = str(error.value)
    assert 'backbone.pos_embed' in message
    assert '(1, 8, 96)' in message and '(1, 64, 96)' in message
    new_state, resized = interpolate_pos_embed(old,
                                               model,
                                               grid=(4, 4, 4),
                                               src_grid=(2, 2, 2))
    assert resized == [('backbone.pos_embed', (1, 8, 96), (1, 64, 96))]
    assert torch.allclose(
        new_state['backbone.pos_embed'],
        by_hand(old['backbone.pos_embed'], (2, 2, 2), (4, 4, 4)))


class TokenViT(nn.Module):
    """A ViT with a class token: pos_embed (1, 1 + T*H*W, C)."""

    def __init__(self, frames, side, channels=8, grid_size=True):
        super().__init__()
        if grid_size:
            self.grid_size = (side, side)
        self.pos_embed = nn.Parameter(
            torch.randn(1, 1 + frames * side * side, channels))


def test_class_token_is_kept():
    head = nn.Module()
    head.vit = TokenViT(frames=2, side=4)
    old = TokenViT(frames=2, side=3).pos_embed.detach()
    new_state, resized = interpolate_pos_embed({'vit.pos_embed': old}, head)
    assert resized == [('vit.pos_embed', (1, 19, 8), (1, 33, 8))]
    new = new_state['vit.pos_embed']
    assert torch.equal(new[:, :1], old[:, :1])
    assert torch.allclose(new[:, 1:], by_hand(old[:, 1:], (2, 3, 3),
                                              (2, 4, 4)))


def test_grid_inferred_without_model_attributes():
    model = TokenViT(frames=1, side=5, grid_size=False)  # 26 = 1 + 5 * 5
    old = torch.randn(1, 10, 8)  # 1 + 3 * 3
    new_state, resized = interpolate_pos_embed({'pos_embed': old}, model)
    assert resized == [('pos_embed', (1, 10, 8), (1, 26, 8))]
    assert torch.allclose(new_state['pos_embed'][:, 1:],
                          by_hand(old[:, 1:], (1, 3, 3), (1, 5, 5)))


def test_uninferable_grid_names_key_and_shapes(model):
    bad = {'backbone.pos_embed': torch.zeros(1, 24, 96)}
    with pytest.raises(ValueError) as error:
        interpolate_pos_embed(bad, model)
    message = str(error.value)
    assert 'backbone.pos_embed' in message
    assert '(1, 24, 96)' in message and '(1, 64, 96)' in message
    plain = TokenViT(frames=4, side=4, grid_size=False)
    plain.pos_embed = nn.Parameter(torch.zeros(1, 64, 8))
    with pytest.raises(ValueError, match='ambiguous'):
        interpolate_pos_embed({'pos_embed': torch.zeros(1, 16, 8)}, plain)


# --------------------------------------------------------------------------
# Through the teacher loader (what MultiTeacherDistill / teacher_ckpt use)
# --------------------------------------------------------------------------


def test_teacher_loader_takes_every_format_and_names_bad_keys(tmp_path,
                                                               model):
    lightning = tmp_path / 'teacher.ckpt'

    class Module(torch.nn.Module):  # a LightningModule holds `self.model`
        def __init__(self):
            super().__init__()
            self.model = model

    torch.save(lightning_checkpoint(Module()), lightning)
    deepspeed = tmp_path / 'ds'
    write_deepspeed(deepspeed, model)
    mmengine = str(tmp_path / 'teacher.pth')
    write_mmengine(mmengine, model)
    for path in (lightning, deepspeed, mmengine):
        torch.manual_seed(1)  # other initial weights than `model`
        fresh = model_from_config(CONFIG)
        assert not torch.equal(fresh.cls_head.fc_cls.weight,
                               model.cls_head.fc_cls.weight)
        load_teacher_checkpoint(fresh, str(path), config_key='model.x.ckpt')
        for key, value in model.state_dict().items():
            assert torch.equal(fresh.state_dict()[key], value), (path, key)
    broken = dict(model.state_dict())
    broken.pop('cls_head.fc_cls.bias')
    broken['backbone.extra.weight'] = torch.zeros(1)
    torch.save({'state_dict': broken}, tmp_path / 'broken.pth')
    with pytest.raises(TeacherCheckpointError,
                       match=r'model\.x\.ckpt.*cls_head\.fc_cls\.bias.*'
                       r'backbone\.extra\.weight'):
        load_teacher_checkpoint(model_from_config(CONFIG),
                                str(tmp_path / 'broken.pth'),
                                config_key='model.x.ckpt')
