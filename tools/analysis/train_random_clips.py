"""Train a config for a few iterations on random clips and report clips/s.

MMEngine's ``Runner`` is built from the config as ``tools/train.py`` builds
it, with these changes so that it runs on a bare machine:

- the training set is random ``uint8`` clips of the shape the config's train
  pipeline produces (``SampleFrames`` x ``FormatShape`` at ``--crop-size``):
  no video files, no decoder;
- no weights are loaded: ``teacher_ckpt``, the ``ckpt`` of every teacher,
  ``load_from`` and pretrained (ImageNet, timm) weights are switched off,
  also inside the configs that ``model_from_config`` reads (the overrides
  of ``find_pretrained_weights``);
- ``--iters`` iterations of ``IterBasedTrainLoop`` at a constant learning
  rate, no validation, no checkpoints.

``--amp`` does what ``tools/train.py --amp`` does: ``AmpOptimWrapper``
(float16 with dynamic loss scaling on a GPU, bfloat16 on a CPU).

Example::

    python tools/analysis/train_random_clips.py \
        configs/distill/soft_label_kd/soft-label-t5_tsm-r50_tsm-mobilenetv2_1x1x8_100e_kinetics400-rgb.py \
        --iters 20 --amp --device cuda --out train.json
"""  # noqa: E501
import argparse
import json
import os
import os.path as osp
import runpy
import statistics
import time

import torch
from mmaction.registry import DATASETS
from mmaction.structures import ActionDataSample
from mmengine.config import Config, DictAction
from mmengine.hooks import Hook

TRAIN_PY = osp.join(osp.dirname(osp.abspath(__file__)), '..', 'train.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='training or distillation config')
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=5,
                        help='iterations left out of clips/s')
    parser.add_argument('--batch-size', type=int, default=None,
                        help='clips per iteration (default: the config\'s)')
    parser.add_argument('--crop-size', type=int, default=None,
                        help='frame size (default: the config\'s crop_size '
                        'or 224)')
    parser.add_argument('--device', default='cuda',
                        help='cuda or cpu (default: cuda)')
    parser.add_argument('--amp', action='store_true',
                        help='mixed precision, as tools/train.py --amp')
    parser.add_argument('--work-dir', default=None)
    parser.add_argument('--out', help='write the results as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='overrides, as in tools/train.py')
    args = parser.parse_args(argv)
    if args.iters < 1:
        parser.error(f'--iters must be at least 1, not {args.iters}')
    return args


def without_weights(cfg):
    """Switch off in ``cfg`` every weight file the model would load: the
    teachers' checkpoints, ``load_from`` and pretrained (ImageNet) weights,
    also in the configs ``model_from_config`` builds."""
    from mmrazor_video_kd.models.builders import find_pretrained_weights
    if 'teachers' in cfg.model:  # MultiTeacherDistill
        for spec in cfg.model.teachers.values():
            spec.ckpt = None
    elif 'teacher' in cfg.model:
        cfg.model.teacher_ckpt = None
    cfg.load_from, cfg.resume = None, False
    cfg.merge_from_dict({key: value
                         for weights in find_pretrained_weights(cfg.model)
                         for key, value in weights.scratch.items()})


def find_pipeline(dataset):
    """The ``pipeline`` of a dataset config (through dataset wrappers)."""
    while 'pipeline' not in dataset and isinstance(
            dataset.get('dataset'), dict):
        dataset = dataset['dataset']
    return dataset.get('pipeline')


def clip_shape(cfg, crop_size):
    """Shape of one clip as the train pipeline packs it."""
    pipeline = find_pipeline(cfg.train_dataloader.dataset) or []
    steps = {step['type']: step for step in pipeline}
    if 'SampleFrames' not in steps or 'FormatShape' not in steps:
        raise ValueError(
            'train_random_clips.py reads the clip shape from SampleFrames '
            'and FormatShape of train_dataloader.dataset.pipeline; this '
            f'config\'s pipeline has {list(steps)}')
    sample = steps['SampleFrames']
    frames, clips = sample.get('clip_len', 1), sample.get('num_clips', 1)
    layout = steps['FormatShape']['input_format']
    if layout == 'NCHW':
        return (frames * clips, 3, crop_size, crop_size)
    if layout == 'NCTHW':
        return (clips, 3, frames, crop_size, crop_size)
    raise ValueError(f'train_random_clips.py: FormatShape input_format '
                     f'{layout!r} is not NCHW or NCTHW')


@DATASETS.register_module(force=True)
class RandomClips(torch.utils.data.Dataset):
    """``length`` samples cycling over a few random ``uint8`` clips of
    ``shape``, with labels 0 and 1, in the form ``PackActionInputs`` gives.
    """

    def __init__(self, shape, length, pool=4):
        shape = tuple(shape)
        generator = torch.Generator().manual_seed(0)
        self.clips = [
            torch.randint(0, 256, shape, dtype=torch.uint8,
                          generator=generator) for _ in range(pool)
        ]
        self.length = length

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        sample = ActionDataSample().set_gt_label(index % 2)
        return dict(inputs=self.clips[index % len(self.clips)],
                    data_samples=sample)


class IterTimer(Hook):
    """Wall time of every training iteration (CUDA synchronised)."""

    priority = 'VERY_LOW'

    def __init__(self, device):
        self.cuda = device.startswith('cuda')
        self.seconds = []

    def _now(self):
        if self.cuda:
            torch.cuda.synchronize()
        return time.perf_counter()

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.start = self._now()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.seconds.append(self._now() - self.start)


def random_clip_config(cfg, args):
    """``cfg`` changed as the module docstring says; returns the clip
    shape and batch size."""
    batch_size = args.batch_size or cfg.train_dataloader.batch_size
    crop = args.crop_size or cfg.get('crop_size', 224)
    shape = clip_shape(cfg, crop)
    without_weights(cfg)
    cfg.train_dataloader = dict(
        batch_size=batch_size, num_workers=0, persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(type='RandomClips', shape=shape,
                     length=batch_size * (args.iters + 1)))
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=args.iters)
    for phase in ('val', 'test'):
        cfg[f'{phase}_dataloader'] = cfg[f'{phase}_cfg'] = None
        cfg[f'{phase}_evaluator'] = None
    cfg.param_scheduler = None
    cfg.default_hooks.checkpoint = None
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=5)
    cfg.log_processor = dict(type='LogProcessor', window_size=5,
                             by_epoch=False)
    if args.amp:
        amp_cfg_options = runpy.run_path(TRAIN_PY)['amp_cfg_options']
        cfg.merge_from_dict(amp_cfg_options(cfg.optim_wrapper))
    cfg.work_dir = args.work_dir or osp.join(
        'work_dirs', 'train_random_clips',
        osp.splitext(osp.basename(args.config))[0])
    return shape, batch_size


def main(argv=None):
    from mmengine.runner import Runner

    import mmrazor_video_kd  # noqa: F401
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    shape, batch_size = random_clip_config(cfg, args)
    if args.device == 'cpu':  # MMEngine takes a GPU whenever it sees one
        os.environ['CUDA_VISIBLE_DEVICES'] = ''
    elif not torch.cuda.is_available():
        raise RuntimeError(f'--device {args.device}: torch '
                           f'{torch.__version__} sees no CUDA device')
    runner = Runner.from_cfg(cfg)
    timer = IterTimer(args.device)
    runner.register_hook(timer)
    runner.train()
    warmup = min(args.warmup, len(timer.seconds) - 1)
    median = statistics.median(timer.seconds[warmup:])
    result = dict(
        config=args.config, device=args.device, amp=args.amp,
        torch=torch.__version__,
        optim_wrapper=type(runner.optim_wrapper).__name__,
        amp_dtype=str(getattr(runner.optim_wrapper, 'cast_dtype', None)),
        batch_size=batch_size, clip_shape=list(shape), iters=args.iters,
        warmup=warmup, seconds_per_iter=timer.seconds,
        median_seconds_per_iter=median,
        clips_per_second=batch_size / median,
        peak_memory_mib=(torch.cuda.max_memory_allocated() / 2**20
                         if args.device.startswith('cuda') else None))
    print(f'{args.config}\n  device {args.device}, '
          f'{result["optim_wrapper"]} ({result["amp_dtype"]}), batch '
          f'{batch_size} x {shape}, {args.iters} iterations\n  median '
          f'{median * 1000:.1f} ms/iter over {len(timer.seconds) - warmup}: '
          f'{batch_size / median:.2f} clips/s')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=2)
    return result


if __name__ == '__main__':
    main()
