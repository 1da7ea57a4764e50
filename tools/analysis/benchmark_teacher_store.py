"""Epoch cost of offline distillation from the packed teacher-output store
against the student alone and online distillation, and a Kinetics-400
projection of the store.

1. Makes a teacher checkpoint (any weights of the teacher config: the cost
   does not depend on them) unless ``--teacher-ckpt`` is given.
2. Runs ``tools/precompute_teacher_outputs.py`` once over the ``--num-views``
   fixed views of every training clip of the stored config, timing it.
3. Trains, interleaved in ``--rounds`` rounds (round r: student, stored,
   online), ``--epochs`` epochs of (a) the student config alone, (b) the
   stored config (``StoredTeacherDistill`` + ``LoadTeacherOutputs``) and
   (c) the online distillation config, each in its own ``tools/train.py``
   process with validation off, the same batch size, workers, seed and
   ``--threads`` torch threads, logging every iteration. An epoch's time is
   its number of iterations x its median logged iteration time
   (``vis_data/scalars.json``; ``time`` includes waiting for data); the
   first epoch of a run with several epochs is reported apart (warm-up:
   worker start, store opening, page cache) and left out of the medians.
4. Prints Markdown tables: epoch time per configuration (median over
   rounds x epochs, min-max) and its ratio to the student's; precompute time
   against one online epoch; store bytes per clip (all files of the store /
   clips).
5. With ``--project-kinetics``: files and bytes of a Kinetics-400 store
   (240,000 clips x K views in shards of ``--shard-size`` views plus
   ``teacher.json``) per storage option, from records written with
   ``TeacherStoreWriter`` (payload bytes from ``TensorStorage.layout``), and
   the precompute cost from the TSM-R50 teacher's forward at Kinetics input
   (8 x 3 x 224 x 224), measured here with 1 thread and all threads,
   interleaved; GPU-hours are an estimate from the teacher's FLOPs at an
   assumed throughput (``--gpu-tflops``), not a measurement.

``--cfg-options`` go to the precompute and to every training run (e.g.
``train_dataloader.dataset.indices=4`` for a quick check).

Example::

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python tools/analysis/benchmark_teacher_store.py \
        --num-views 4 --epochs 3 --online-epochs 1 --rounds 2 --project-kinetics \
        --work-dir /tmp/bench_store
"""  # noqa: E501
import argparse
import glob
import json
import math
import os
import os.path as osp
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchmark_teacher_cache import TOOLS, iteration_times, train  # noqa: E402,E501

STUDENT = 'configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py'  # noqa: E501
STORED = 'configs/distill/logits_kd/kd-logits-stored_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py'  # noqa: E501
ONLINE = 'configs/distill/logits_kd/kd-logits_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py'  # noqa: E501
TEACHER = 'configs/recognition/tsm/tsm_r50_1x1x8_40e_avletters-rgb.py'
#: Index of LoadTeacherOutputs in the stored config's training pipeline.
LOAD_STEP = 2
KINETICS_CLIPS = 240_000
KINETICS_CLASSES = 400
#: Kinetics-400 storage options: name -> (record, storage spec).
KINETICS_OPTIONS = {
    'logits float32': (dict(logits=(KINETICS_CLASSES, )), {}),
    'logits float16': (dict(logits=(KINETICS_CLASSES, )),
                       dict(logits=dict(dtype='float16'))),
    'logits top-10 (T = 1)': (dict(logits=(KINETICS_CLASSES, )),
                              dict(logits=dict(topk=10, temperature=1.0))),
    'logits + 2048-d pooled feature, float16':
    (dict(logits=(KINETICS_CLASSES, ), feats=(2048, )),
     dict(logits=dict(dtype='float16'), feats=dict(dtype='float16'))),
}


def parse_args(argv=None):
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--student-config', default=STUDENT)
    parser.add_argument('--stored-config', default=STORED)
    parser.add_argument('--online-config', default=ONLINE)
    parser.add_argument('--teacher-config', default=TEACHER,
                        help='config of the teacher checkpoint made here')
    parser.add_argument('--teacher-ckpt', default=None,
                        help='teacher weights (default: made here)')
    parser.add_argument('--num-views', type=int, default=4)
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--rounds', type=int, default=2)
    parser.add_argument('--online-epochs', type=int, default=None,
                        help='epochs of each online run (default: --epochs)')
    parser.add_argument('--skip-online', action='store_true')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--num-workers', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, default=1,
                        help='OMP/MKL threads of every run')
    parser.add_argument('--shard-size', type=int, default=1000,
                        help='precompute --shard-size (also the projection)')
    parser.add_argument('--work-dir', default='work_dirs/bench_store')
    parser.add_argument('--project-kinetics', action='store_true')
    parser.add_argument('--kinetics-batch', type=int, default=4)
    parser.add_argument('--kinetics-repeats', type=int, default=3)
    parser.add_argument('--kinetics-crop', type=int, default=224)
    parser.add_argument('--gpu-tflops', type=float, default=100.0,
                        help='assumed sustained GPU TFLOP/s of the estimate')
    parser.add_argument('--out', help='also write the results as JSON')
    parser.add_argument('--cfg-options', nargs='*', default=[])
    return parser.parse_args(argv)


def thread_env(threads):
    """The environment of a run with ``threads`` OMP/MKL threads."""
    return dict(os.environ, OMP_NUM_THREADS=str(threads),
                MKL_NUM_THREADS=str(threads))


def make_teacher_ckpt(config, path):
    """Save weights of ``config``'s model (randomly initialised) at
    ``path``."""
    import torch
    from mmaction.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import mmrazor_video_kd  # noqa: F401
    init_default_scope('mmaction')
    model = MODELS.build(Config.fromfile(config).model)
    torch.save({'state_dict': model.state_dict()}, path)
    return path


def store_options(store, ckpt):
    """``--cfg-options`` that point the stored config at ``store``."""
    return [
        f'model.store_root={store}',
        f'train_dataloader.dataset.pipeline.{LOAD_STEP}.store_root={store}',
        f'model.teacher_ckpt={ckpt}'
    ]


def precompute(args, store, ckpt):
    """Run the precompute tool; ``dict(wall_s, loop_s, views, clips)``."""
    command = [
        sys.executable, osp.join(TOOLS, 'precompute_teacher_outputs.py'),
        args.stored_config, '--num-views', str(args.num_views), '--out',
        store, '--batch-size', str(args.batch_size), '--num-workers',
        str(args.num_workers), '--shard-size', str(args.shard_size),
        '--cfg-options', *store_options(store, ckpt), *args.cfg_options
    ]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True,
                            env=thread_env(args.threads))
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f'precompute failed:\n{result.stderr[-3000:]}')
    return dict(wall_s=wall, **parse_precompute(result.stdout))


def parse_precompute(stdout):
    """Views written, loop seconds and clips from the tool's output."""
    wrote = re.search(r'wrote (\d+) views .*?, ([\d.]+) s \(', stdout)
    stored = re.search(r'(\d+) views of (\d+) \((\d+) clips', stdout)
    if not wrote or not stored:
        raise RuntimeError(f'unexpected precompute output:\n{stdout[-2000:]}')
    return dict(views=int(wrote.group(1)), loop_s=float(wrote.group(2)),
                clips=int(stored.group(3)))


def store_bytes(store):
    """``(total bytes, number of files)`` of every file under ``store``."""
    files = [f for f in glob.glob(osp.join(store, '**', '*'), recursive=True)
             if osp.isfile(f)]
    return sum(osp.getsize(f) for f in files), len(files)


def train_options(args):
    """``--cfg-options`` every training run shares."""
    workers = args.num_workers
    return [
        f'train_dataloader.batch_size={args.batch_size}',
        f'train_dataloader.num_workers={workers}',
        f'train_dataloader.persistent_workers={workers > 0}',
        f'randomness.seed={args.seed}', 'default_hooks.logger.interval=1',
        'log_processor.window_size=1',
        'default_hooks.checkpoint.interval=100000'
    ]


def configurations(args, store, ckpt):
    """``{name: (config, epochs, extra --cfg-options)}`` in the order of a
    round."""
    configs = {
        'student only': (args.student_config, args.epochs, []),
        'stored teacher outputs': (args.stored_config, args.epochs,
                                   store_options(store, ckpt)),
        'online teacher': (args.online_config, args.online_epochs
                           or args.epochs, [f'model.teacher_ckpt={ckpt}'])
    }
    if args.skip_online:
        del configs['online teacher']
    return configs


def epoch_times(work_dir):
    """``{epoch: iterations x median logged iteration time}`` of a run."""
    return {
        epoch: len(times) * statistics.median(times)
        for epoch, times in iteration_times(work_dir).items()
    }


def train_rounds(args, store, ckpt):
    """Train every configuration once per round, interleaved; per
    configuration the list of ``{epoch: seconds}`` of its runs."""
    runs = {}
    options = train_options(args)
    for r in range(args.rounds):
        for name, (config, epochs, extra) in configurations(
                args, store, ckpt).items():
            work_dir = osp.join(args.work_dir, 'train',
                                f'{name.replace(" ", "_")}-round{r}')
            train(config, work_dir, epochs,
                  options + extra + args.cfg_options,
                  thread_env(args.threads))
            runs.setdefault(name, []).append(epoch_times(work_dir))
            print(f'round {r}: {name}: ' + ', '.join(
                f'epoch {e} {s:.1f} s' for e, s in runs[name][-1].items()),
                  flush=True)
    return runs


def summarize_runs(runs):
    """Per configuration: median, min and max epoch seconds over rounds x
    epochs after the first (all epochs if a run has only one), and the
    median first epoch."""
    summary = {}
    for name, per_run in runs.items():
        later = [s for run in per_run for e, s in run.items()
                 if e > 1 or len(run) == 1]
        summary[name] = dict(
            epoch_s=statistics.median(later), min_s=min(later),
            max_s=max(later), measured=len(later),
            first_s=statistics.median(run[1] for run in per_run))
    base = summary['student only']['epoch_s']
    for row in summary.values():
        row['ratio'] = row['epoch_s'] / base
    return summary


def epoch_table(summary):
    """Markdown table of epoch times and ratios."""
    lines = [
        '| configuration | epochs measured | epoch s (median) | min-max s '
        '| ratio to student-only | first epoch s |',
        '|---|---|---|---|---|---|'
    ]
    for name, row in summary.items():
        lines.append(f'| {name} | {row["measured"]} | {row["epoch_s"]:.1f} | '
                     f'{row["min_s"]:.1f}-{row["max_s"]:.1f} | '
                     f'{row["ratio"]:.3f} | {row["first_s"]:.1f} |')
    return '\n'.join(lines)


def precompute_table(pre, summary, size, files, num_views):
    """Markdown table of the precompute cost and the store's size."""
    online = summary.get('online teacher')
    versus = (f'{pre["wall_s"] / online["epoch_s"]:.2f}'
              if online else 'n/a (--skip-online)')
    return '\n'.join([
        '| precompute wall s | loop s | s per view | s per clip | '
        'wall / one online epoch | store files | store bytes | '
        'bytes per clip |', '|---|---|---|---|---|---|---|---|',
        f'| {pre["wall_s"]:.1f} | {pre["loop_s"]:.1f} | '
        f'{pre["loop_s"] / pre["views"]:.3f} | '
        f'{pre["loop_s"] / pre["clips"]:.3f} | {versus} | {files} | {size} | '
        f'{size / pre["clips"]:.0f} |', '',
        f'({pre["clips"]} clips x {num_views} views = {pre["views"]} views; '
        'wall: the whole process, start-up included; loop: the tool\'s own '
        'timing of its loop over views, from which the per-view and per-clip '
        'seconds are computed)'
    ])


def payload_bytes(record, storage):
    """Bytes of a record's arrays as ``TensorStorage.layout`` lays them out
    (before alignment and index)."""
    import numpy as np

    from mmrazor_video_kd.datasets.teacher_store import TensorStorage
    total = 0
    for name, shape in record.items():
        spec = TensorStorage.from_dict(name, dict(storage.get(name, {})))
        for dtype, sub_shape in spec.layout(list(shape)):
            total += np.dtype(dtype).itemsize * math.prod(sub_shape)
    return total


def shard_bytes(record, storage, views):
    """Size of one shard of ``views`` random records written by
    ``TeacherStoreWriter`` (payload, alignment and index)."""
    import hashlib
    import tempfile

    import torch

    from mmrazor_video_kd.datasets.teacher_store import TeacherStoreWriter
    gen = torch.Generator().manual_seed(0)
    with tempfile.TemporaryDirectory() as root:
        with TeacherStoreWriter(root, '0' * 64, storage) as writer:
            for i in range(views):
                key = hashlib.sha256(f'view{i}'.encode()).hexdigest()
                writer.put(key, {
                    name: torch.randn((1, ) + shape, generator=gen)
                    for name, shape in record.items()
                })
        return osp.getsize(writer.path)


def kinetics_storage_rows(num_views, shard_size, teacher_json_bytes):
    """Files and bytes of a Kinetics-400 store per storage option."""
    views = KINETICS_CLIPS * num_views
    shards = math.ceil(views / shard_size)
    rows = []
    for option, (record, storage) in KINETICS_OPTIONS.items():
        full = shard_bytes(record, storage, shard_size)
        last = views - (shards - 1) * shard_size
        tail = full if last == shard_size else shard_bytes(
            record, storage, last)
        total = (shards - 1) * full + tail + teacher_json_bytes
        rows.append(dict(option=option, files=shards + 1,
                         payload=payload_bytes(record, storage),
                         per_view=full / shard_size, total=total))
    return rows


def kinetics_storage_table(rows, num_views, shard_size):
    """Markdown table of :func:`kinetics_storage_rows`."""
    lines = [
        f'Kinetics-400 store: {KINETICS_CLIPS} clips x {num_views} views = '
        f'{KINETICS_CLIPS * num_views} views, shards of {shard_size} views '
        '+ teacher.json', '',
        '| storage | files | payload bytes per record (TensorStorage) | '
        f'bytes per view in a {shard_size}-view shard | total GB |',
        '|---|---|---|---|---|'
    ]
    for row in rows:
        lines.append(f'| {row["option"]} | {row["files"]} | {row["payload"]} '
                     f'| {row["per_view"]:.1f} | {row["total"] / 1e9:.2f} |')
    return '\n'.join(lines)


def kinetics_teacher(config):
    """The teacher of ``config`` with a 400-class head, in eval mode."""
    from mmaction.registry import MODELS
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import mmrazor_video_kd  # noqa: F401
    init_default_scope('mmaction')
    cfg = Config.fromfile(config)
    cfg.model.cls_head.num_classes = KINETICS_CLASSES
    return MODELS.build(cfg.model).eval()


def time_forwards(model, batch, crop, repeats):
    """Median seconds of a teacher forward on ``batch`` clips of
    8 x 3 x crop x crop, with 1 thread and with all threads, interleaved;
    ``{threads: seconds}``."""
    import torch
    inputs = torch.zeros(batch, 8, 3, crop, crop)
    settings = sorted({1, os.cpu_count() or 1})
    times = {threads: [] for threads in settings}
    with torch.inference_mode():
        for repeat in range(repeats + 1):
            for threads in settings:
                torch.set_num_threads(threads)
                start = time.perf_counter()
                model(inputs, mode='tensor')
                if repeat:  # the first pass is warm-up
                    times[threads].append(time.perf_counter() - start)
    return {t: statistics.median(s) for t, s in times.items()}


def teacher_macs(model, crop):
    """Multiply-accumulates of one 8-frame clip (MMEngine's counter)."""
    import torch
    from mmengine.analysis import FlopAnalyzer
    inputs = torch.zeros(1, 8, 3, crop, crop)
    with torch.inference_mode():
        analyzer = FlopAnalyzer(model, inputs=(inputs, ))
        analyzer.unsupported_ops_warnings(False)
        analyzer.uncalled_modules_warnings(False)
        return analyzer.total()


def kinetics_cost(args):
    """Measured teacher seconds per view and estimated MACs per view."""
    model = kinetics_teacher(args.teacher_config)
    seconds = time_forwards(model, args.kinetics_batch, args.kinetics_crop,
                            args.kinetics_repeats)
    return seconds, teacher_macs(model, args.kinetics_crop)


def kinetics_cost_table(seconds, macs, args):
    """Markdown table of the projected precompute cost."""
    views = KINETICS_CLIPS * args.num_views
    crop = args.kinetics_crop
    lines = [
        f'TSM-R50 teacher forward at 8 x 3 x {crop} x {crop}, batch '
        f'{args.kinetics_batch}, torch.inference_mode, this CPU, median of '
        f'{args.kinetics_repeats} (measured; decoding not included):', '',
        '| threads | s per batch | s per view | wall hours for '
        f'{views} views | CPU core-hours |', '|---|---|---|---|---|'
    ]
    for threads, s in seconds.items():
        per_view = s / args.kinetics_batch
        hours = per_view * views / 3600
        lines.append(f'| {threads} | {s:.2f} | {per_view:.3f} | '
                     f'{hours:.0f} | {hours * threads:.0f} |')
    flops = 2 * macs * views
    lines += [
        '', f'GPU estimate (NOT measured): {macs / 1e9:.1f} GMACs per view '
        '(MMEngine FlopAnalyzer) = '
        f'{flops / 1e15:.1f} PFLOP for {views} views; at an assumed '
        f'{args.gpu_tflops:g} TFLOP/s sustained that is '
        f'{flops / (args.gpu_tflops * 1e12) / 3600:.2f} GPU-hours of teacher '
        'compute (decoding not included)'
    ]
    return '\n'.join(lines)


def ensure_teacher_ckpt(args):
    """The teacher checkpoint to use (made under the work dir if not
    given)."""
    if args.teacher_ckpt:
        return osp.abspath(args.teacher_ckpt)
    return make_teacher_ckpt(args.teacher_config,
                             osp.join(osp.abspath(args.work_dir),
                                      'teacher.pth'))


def main(argv=None):
    """Run the benchmark and print its tables."""
    args = parse_args(argv)
    shutil.rmtree(args.work_dir, ignore_errors=True)
    os.makedirs(args.work_dir)
    ckpt = ensure_teacher_ckpt(args)
    store = osp.join(osp.abspath(args.work_dir), 'store')
    pre = precompute(args, store, ckpt)
    print(f'precompute: {pre}', flush=True)
    size, files = store_bytes(store)
    summary = summarize_runs(train_rounds(args, store, ckpt))
    print(f'\nEpoch time = iterations x median logged iteration time; '
          f'{args.rounds} round(s) x {args.epochs} epoch(s) (online: '
          f'{args.online_epochs or args.epochs}), first epoch of a run with '
          f'several apart; batch {args.batch_size}, {args.num_workers} '
          f'workers, {args.threads} thread(s) per run\n')
    print(epoch_table(summary) + '\n')
    print(precompute_table(pre, summary, size, files, args.num_views))
    results = dict(precompute=pre, store_bytes=size, store_files=files,
                   epochs=summary)
    if args.project_kinetics:
        teacher_json = sum(osp.getsize(f) for f in glob.glob(
            osp.join(store, '*', 'teacher.json')))
        rows = kinetics_storage_rows(args.num_views, args.shard_size,
                                     teacher_json)
        seconds, macs = kinetics_cost(args)
        print('\n' + kinetics_storage_table(rows, args.num_views,
                                            args.shard_size) + '\n')
        print(kinetics_cost_table(seconds, macs, args))
        results['kinetics'] = dict(storage=rows, seconds_per_batch=seconds,
                                   macs_per_view=macs)
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
