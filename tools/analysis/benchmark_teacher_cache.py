"""Epoch cost of offline distillation (teacher-output cache) against
training the student alone.

Trains, one after the other and on the same data, (1) the student config
alone and (2) the cached distillation config, for ``--epochs`` epochs each
through ``tools/train.py``, reads the per-iteration times MMEngine logs
(``vis_data/scalars.json``) and prints the median iteration time of every
epoch and the ratio cached / student per epoch. Validation is switched off;
``--cfg-options`` is passed to both runs (e.g. to shrink the data).

Example::

    python tools/analysis/benchmark_teacher_cache.py \
        configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_40e_avletters-rgb.py \
        configs/distill/logits_kd/kd-logits-cached_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py \
        --epochs 3 --num-views 1 --work-dir work_dirs/bench_cache
"""  # noqa: E501
import argparse
import glob
import json
import os.path as osp
import shutil
import statistics
import subprocess
import sys

TOOLS = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('student_config')
    parser.add_argument('cached_config')
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--num-views', type=int, default=1,
                        help='FixedViews views per clip in the cached run')
    parser.add_argument('--work-dir', default='work_dirs/bench_cache')
    parser.add_argument('--teacher-ckpt', default='None',
                        help='model.teacher_ckpt of the cached run (the '
                        'teacher\'s weights do not change its cost)')
    parser.add_argument('--cfg-options', nargs='*', default=[])
    return parser.parse_args(argv)


def train(config, work_dir, epochs, options, env=None):
    """Train ``config`` for ``epochs`` epochs without validation through
    ``tools/train.py`` in a new process (environment ``env``)."""
    command = [
        sys.executable, osp.join(TOOLS, 'train.py'), config, '--work-dir',
        work_dir, '--cfg-options', f'train_cfg.max_epochs={epochs}',
        f'train_cfg.val_begin={epochs + 1}', 'val_cfg=None',
        'val_dataloader=None', 'val_evaluator=None',
        'default_hooks.checkpoint.save_best=None', *options
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f'{config} failed:\n{result.stderr[-3000:]}')


def iteration_times(work_dir):
    """``{epoch: [logged iteration times]}`` of the run in ``work_dir``
    (``vis_data/scalars.json``)."""
    [scalars] = glob.glob(osp.join(work_dir, '*', 'vis_data',
                                   'scalars.json'))
    per_epoch = {}
    with open(scalars) as f:
        for line in f:
            record = json.loads(line)
            if 'time' in record and 'epoch' in record:
                per_epoch.setdefault(record['epoch'], []).append(
                    record['time'])
    return dict(sorted(per_epoch.items()))


def run(config, work_dir, epochs, options):
    """Median logged iteration time of each epoch of a training run."""
    train(config, work_dir, epochs, options)
    return {e: statistics.median(t)
            for e, t in iteration_times(work_dir).items()}


def main(argv=None):
    args = parse_args(argv)
    shutil.rmtree(args.work_dir, ignore_errors=True)
    student = run(args.student_config, osp.join(args.work_dir, 'student'),
                  args.epochs, args.cfg_options)
    cached = run(args.cached_config, osp.join(args.work_dir, 'cached'),
                 args.epochs, args.cfg_options + [
                     f'num_views={args.num_views}',
                     f'train_dataloader.dataset.pipeline.1.num_views='
                     f'{args.num_views}',
                     f'model.cache_dir={osp.join(args.work_dir, "cache")}',
                     f'model.teacher_ckpt={args.teacher_ckpt}'
                 ])
    print(f'median iteration time per epoch (logged `time`), '
          f'{args.num_views} view(s) per clip')
    print(f'{"epoch":>5} {"student":>9} {"cached KD":>10} {"ratio":>6}')
    for epoch in student:
        print(f'{epoch:>5} {student[epoch]:8.3f}s {cached[epoch]:9.3f}s '
              f'{cached[epoch] / student[epoch]:6.2f}')


if __name__ == '__main__':
    main()
