"""Measure what distillation costs over training the student alone.

For one distillation config, in one process and on one synthetic batch of
the config's input shape, this times side by side:

(a) a student training step (forward, backward, optimizer step),
(b) a teacher forward pass alone (eval mode, ``torch.inference_mode``),
(c) a distillation training step (the algorithm's ``train_step``),

with warm-up, several repeats and the median, and reports peak memory of
each (CUDA: ``max_memory_allocated`` growth; CPU: growth of the peak
resident set (sampled every ms) over the built models, each phase alone
in its own process),
the ratios ``c / (a + b)`` (the online floor is 1.0) and ``c / a``, and clips
per second. Phases are interleaved repeat by repeat, so machine noise hits
them alike.

Example::

    python tools/analysis/benchmark_kd.py \
        configs/distill/logits_kd/kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py \
        --batch-size 8 --repeats 10 [--device cuda] [--amp bf16|fp16] \
        [--channels-last] [--crop-size 112]

``--amp`` runs all three phases under ``torch.autocast`` (bf16 or fp16; the
same autocast as MMEngine's ``AmpOptimWrapper``, without its loss scaler);
``--channels-last`` converts the models (student and teachers) to the
channels-last memory format (channels-last-3d for 5-D weights), as
``ChannelsLastHook`` does in training.
"""  # noqa: E501
import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

import torch


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='distillation config')
    parser.add_argument('--batch-size', type=int, default=None,
                        help='clips per step (default: the config\'s)')
    parser.add_argument('--crop-size', type=int, default=None,
                        help='frame size (default: the config\'s crop_size)')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=10)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--amp', choices=['bf16', 'fp16'], default=None,
                        help='autocast all phases to this dtype')
    parser.add_argument('--channels-last', action='store_true',
                        help='channels-last memory format for all models')
    parser.add_argument('--out', help='write the results as JSON here')
    parser.add_argument('--memory-phase', help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def rss_bytes():
    """Current resident set size of this process."""
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def cpu_phase_memory_mib(args, name):
    """Peak RSS growth of one phase, run alone in a fresh process."""
    command = [sys.executable, __file__, args.config, '--memory-phase', name,
               '--batch-size', str(args.batch_size), '--crop-size',
               str(args.crop_size), '--device', args.device]
    if args.amp:
        command += ['--amp', args.amp]
    if args.channels_last:
        command.append('--channels-last')
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f'memory run of {name} failed: '
                           f'{result.stderr[-2000:]}')
    return float(result.stdout.strip().splitlines()[-1])


def synthetic_batch(cfg, model, batch_size, crop_size):
    """A batch in the form the data loader gives (uint8 clips + labels)."""
    from mmaction.structures import ActionDataSample
    fmt = getattr(model, 'student', model).data_preprocessor.format_shape
    segments = cfg.get('num_segments', None) or cfg.get('num_frames', 8)
    if fmt == 'NCHW':
        shape = (segments, 3, crop_size, crop_size)
    else:
        shape = (1, 3, cfg.get('num_frames', segments), crop_size, crop_size)
    inputs = [torch.randint(0, 256, shape, dtype=torch.uint8)
              for _ in range(batch_size)]
    samples = [ActionDataSample().set_gt_label(i % 2)
               for i in range(batch_size)]
    return dict(inputs=inputs, data_samples=samples), shape


def build(config, device):
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import MODELS, init_default_scope
    cfg = Config.fromfile(config)
    if 'teachers' in cfg.model:  # MultiTeacherDistill
        for spec in cfg.model.teachers.values():
            spec.ckpt = None
    else:
        cfg.model.teacher_ckpt = None
    # random weights: no pretrained (ImageNet) download
    from mmrazor_video_kd.models.builders import find_pretrained_weights
    cfg.merge_from_dict({key: value
                         for weights in find_pretrained_weights(cfg.model)
                         for key, value in weights.scratch.items()})
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    distill = MODELS.build(cfg.model).to(device)
    distill.init_weights()
    student = MODELS.build(dict(cfg.model.architecture,
                                _scope_='mmrazor')).to(device)
    student.init_weights()
    return (cfg, distill, student,
            build_optim_wrapper(distill, cfg.optim_wrapper),
            build_optim_wrapper(student, cfg.optim_wrapper))


def autocast_phase(fn, device, dtype):
    """``fn`` run under ``torch.autocast`` to ``dtype`` ('bf16'/'fp16')."""
    dtype = dict(bf16=torch.bfloat16, fp16=torch.float16)[dtype]

    def run():
        with torch.autocast(device_type=device.split(':')[0], dtype=dtype):
            return fn()
    return run


def teachers_forward(distill, batch):
    """Phase (b): every teacher of ``distill`` alone, as it runs in (c).

    ``SingleTeacherDistill``: its teacher in ``mode='tensor'`` on the
    algorithm's preprocessed batch; ``MultiTeacherDistill``: its own
    ``forward_teachers`` on the batch its data preprocessor prepares (each
    teacher's input through that teacher's preprocessor, with its forward
    arguments). The synthetic batch has one view, so configs whose models
    take named views are refused.
    """
    if not hasattr(distill, 'teachers'):
        teacher = distill.teacher.eval()

        def run():
            with torch.inference_mode():
                data = distill.data_preprocessor(batch, False)
                teacher(data['inputs'], mode='tensor')
        return run
    named = {name: view for name, view in distill.teacher_views.items()
             if view is not None}
    if named or distill.student_view is not None:
        raise ValueError(
            f'benchmark_kd.py feeds one synthetic view to all models; '
            f'this config names input views (teachers: {named}, '
            f'student: {distill.student_view!r})')
    distill.teachers.eval()

    def run():
        with torch.inference_mode():
            data = distill.data_preprocessor(batch, True)
            distill.forward_teachers(data['inputs'], data['data_samples'])
    return run


def timed(fn, device):
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def main(argv=None):
    import mmrazor_video_kd  # noqa: F401
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg, distill, student, distill_optim, student_optim = build(
        args.config, args.device)
    batch_size = args.batch_size = (args.batch_size
                                    or cfg.train_dataloader.batch_size)
    crop = args.crop_size = args.crop_size or cfg.get('crop_size', 224)
    batch, shape = synthetic_batch(cfg, distill, batch_size, crop)
    teacher_forward = teachers_forward(distill, batch)

    phases = dict(
        student_step=lambda: student.train_step(batch, student_optim),
        teacher_forward=teacher_forward,
        distill_step=lambda: distill.train_step(batch, distill_optim))
    if args.channels_last:
        from mmrazor_video_kd.engine.hooks import to_channels_last
        to_channels_last(distill)
        to_channels_last(student)
    if args.amp:
        phases = {name: autocast_phase(fn, args.device, args.amp)
                  for name, fn in phases.items()}
    student.train()
    distill.train()
    if args.memory_phase:
        before = peak = rss_bytes()
        done = threading.Event()

        def sample():
            nonlocal peak
            while not done.is_set():
                peak = max(peak, rss_bytes())
                time.sleep(0.001)

        sampler = threading.Thread(target=sample)
        sampler.start()
        for _ in range(2):
            phases[args.memory_phase]()
        done.set()
        sampler.join()
        print((max(peak, rss_bytes()) - before) / 2**20)
        return None
    times = {name: [] for name in phases}
    peaks = {name: 0.0 for name in phases}
    for repeat in range(args.warmup + args.repeats):
        for name, fn in phases.items():
            if args.device.startswith('cuda'):
                torch.cuda.reset_peak_memory_stats()
                base = torch.cuda.memory_allocated()
            seconds = timed(fn, args.device)
            if repeat >= args.warmup:
                times[name].append(seconds)
            if args.device.startswith('cuda'):
                peaks[name] = max(peaks[name], (
                    torch.cuda.max_memory_allocated() - base) / 2**20)
    if not args.device.startswith('cuda'):
        peaks = {name: cpu_phase_memory_mib(args, name) for name in phases}
    median = {name: statistics.median(t) for name, t in times.items()}
    a, b, c = (median['student_step'], median['teacher_forward'],
               median['distill_step'])
    result = dict(
        config=args.config, device=args.device, amp=args.amp,
        channels_last=args.channels_last,
        threads=torch.get_num_threads(), batch_size=batch_size,
        clip_shape=list(shape), repeats=args.repeats,
        median_seconds=median, peak_memory_mib=peaks,
        distill_over_student_plus_teacher=c / (a + b),
        distill_over_student=c / a,
        clips_per_second=dict(student=batch_size / a,
                              distill=batch_size / c))
    print(f'{args.config}\n  device {args.device} ({result["threads"]} '
          f'threads), amp {args.amp}, channels-last {args.channels_last}, '
          f'batch {batch_size} x {tuple(shape)}, median of {args.repeats}')
    for name in phases:
        print(f'  {name:<16} {median[name] * 1000:9.1f} ms  '
              f'peak +{peaks[name]:8.1f} MiB')
    print(f'  c/(a+b) = {c / (a + b):.3f}   c/a = {c / a:.3f}   clips/s: '
          f'student {batch_size / a:.1f}, distill {batch_size / c:.1f}')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=2)
    return result


if __name__ == '__main__':
    main()
