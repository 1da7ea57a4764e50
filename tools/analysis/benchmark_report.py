"""Results of ``tools/analysis/run_benchmark.sh``: per-run collection, the
results table of docs/benchmark.md, plots, model costs.

    python tools/analysis/benchmark_report.py collect RUN_DIR --config CFG [--seed S]
    python tools/analysis/benchmark_report.py report WORK_DIR --student-config CFG \
        --teacher-config CFG [--single-teacher-config CFG] --methods M [M ...]
    python tools/analysis/benchmark_report.py costs --model NAME CFG SHAPE ...

``collect`` reads a finished run (its ``RUN_DIR.log`` and the
``vis_data/scalars.json`` files of every session, resumed ones included)
and writes ``RUN_DIR/result.json``: final validation top-1 of the model
(and of the teacher, for distillation runs), the mean training top-1 of the
last epoch's logged batches, the torch thread count and the training
curves.
``report`` turns all results into ``results.md``, ``results.json`` and
PNG plots in WORK_DIR. ``costs`` measures parameters, GFLOPs and CPU
latency of models side by side (e.g. ``--model student CFG 1x1x32x20x3``
for an ST-GCN on 32 frames of 20 joints; used by run_msr_benchmark.sh).
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchmark_recipe import run_recipe, run_settings  # noqa: E402
from benchmark_stats import (format_paired, format_ratio,  # noqa: E402
                             method_row, train_accuracy)

METRIC = re.compile(r'(?<![\w.])acc/top1: ([0-9.]+)')
TEACHER_METRIC = re.compile(r'teacher\.acc/top1: ([0-9.]+)')

# what the ``split`` file of a run_benchmark.sh work dir says was validated
SPLITS = dict(
    val='Validated on the 2 validation speakers (156 clips), trained on the '
    '5 training speakers.',
    dev='Development split: validated on the development speaker, trained '
    'on the other 4 training speakers (not the reported split).')

# where results.md is published in the repository; its config links are
# relative to it
RESULTS_DIR = 'docs/benchmark'


def last_match(pattern, lines):
    """The value of the last line matching ``pattern``, or None."""
    for line in reversed(lines):
        found = pattern.search(line)
        if found:
            return float(found.group(1))
    return None


def logged_scalars(run_dir):
    """The logged scalar entries of every session of a run, in order."""
    for path in sorted(glob.glob(osp.join(run_dir, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path) as file:
            for line in file:
                yield json.loads(line)


def training_curves(run_dir):
    """Loss terms per iteration over all sessions of a run, in order."""
    curves = {}
    for entry in logged_scalars(run_dir):
        if 'step' not in entry or 'loss' not in entry:
            continue
        for key, value in entry.items():
            if key == 'loss' or key.startswith('loss') or '.loss' in key:
                curves.setdefault(key, {})[entry['step']] = value
    return {key: sorted(points.items()) for key, points in curves.items()}


TRAIN_TOP1_KEYS = ('top1_acc', 'student.top1_acc')


def train_top1_by_epoch(run_dir):
    """``{epoch: mean logged training top-1}`` of a run: ``top1_acc`` of
    the training batches, ``student.top1_acc`` in a distillation run."""
    batches = {}
    for entry in logged_scalars(run_dir):
        key = next((key for key in TRAIN_TOP1_KEYS if key in entry), None)
        if key is not None and 'epoch' in entry:
            batches.setdefault(entry['epoch'], []).append(entry[key])
    return {epoch: sum(values) / len(values)
            for epoch, values in batches.items()}


def last_epoch_train_top1(run_dir):
    """Mean logged training top-1 over the last epoch of a run
    (:func:`train_top1_by_epoch`), or None if none was logged."""
    by_epoch = train_top1_by_epoch(run_dir)
    return by_epoch[max(by_epoch)] if by_epoch else None


def collect(args):
    """Write RUN_DIR/result.json from a finished run."""
    log = args.run_dir.rstrip('/') + '.log'
    with open(log) as file:
        lines = file.read().splitlines()
    top1 = last_match(METRIC, lines)
    if top1 is None:
        sys.exit(f'{log}: no "acc/top1" line; did the run finish?')
    threads = os.environ.get('OMP_NUM_THREADS')
    result = dict(config=args.config, seed=args.seed, top1=top1,
                  teacher_top1=last_match(TEACHER_METRIC, lines),
                  threads=int(threads) if threads else None,
                  train_top1=last_epoch_train_top1(args.run_dir),
                  curves=training_curves(args.run_dir))
    with open(osp.join(args.run_dir, 'result.json'), 'w') as file:
        json.dump(result, file)
    print(f'{osp.basename(args.run_dir)}: top-1 {100 * top1:.1f}%')


def recipe_text(work_dir, runs, losses):
    """How the runs ``{prefix: {seed: result}}`` (``PREFIX_seed<N>``)
    trained: epochs, learning rate and label smoothing (one phrase if all
    agree), each method's distillation losses (``{method: text}``, as
    :func:`benchmark_recipe.loss_parameters` writes them) and each one's
    mean training top-1: of its final models on their training list when
    every run has one (``train_accuracy.json``), else of the last epoch's
    logged batches."""
    recipes = {run_recipe(osp.join(work_dir, f'{name}_seed{seed}'))
               for name, results in runs.items() for seed in results}
    parts = []
    if len(recipes) == 1 and None not in recipes:
        epochs, lr, smoothing = recipes.pop()
        smoothing = ('' if smoothing is None else
                     f', label smoothing {smoothing:g}')
        parts.append(f'Every student trained {epochs} epochs (AdamW, lr '
                     f'{lr:g}, cosine{smoothing}).')
    losses = [f'{name}: {text}' for name, text in losses.items() if text]
    if losses:
        parts.append('Distillation losses: ' + '; '.join(losses) + '.')
    measured = {name: [train_accuracy(osp.join(work_dir,
                                               f'{name}_seed{seed}'))
                       for seed in results]
                for name, results in runs.items()}
    if measured and all(values and None not in values
                        for values in measured.values()):
        train, text = measured, ('Training top-1 of the final models '
                                 '(their training list, test mode; mean ± '
                                 'std over seeds): ')
    else:
        train = {name: [r.get('train_top1') for r in results.values()]
                 for name, results in runs.items()}
        text = 'Last-epoch training top-1 (logged batches, mean ± std ' \
            'over seeds): '
    logged = [f'{"no KD" if name == "student" else name} '
              f'{100 * mean:.1f} ± {100 * std:.1f}%'
              for name, values in train.items()
              if values and None not in values
              for mean, std in [mean_std(values)]]
    if logged:
        parts.append(text + '; '.join(logged) + '.')
    return ' '.join(parts)


def load_results(work_dir, prefix, seeds=None):
    """``{seed: result}`` of the runs named ``PREFIX_seed<N>`` (only
    ``seeds``, if given)."""
    results = {}
    for path in sorted(glob.glob(osp.join(work_dir, f'{prefix}_seed*',
                                          'result.json'))):
        with open(path) as file:
            result = json.load(file)
        if seeds is None or result['seed'] in seeds:
            results[result['seed']] = result
    return results


def read_split(work_dir):
    """``val``, ``dev`` or None: the ``split`` file run_benchmark.sh writes."""
    path = osp.join(work_dir, 'split')
    if not osp.isfile(path):
        return None
    with open(path) as file:
        return file.read().strip()


def training_threads(work_dir):
    """The torch thread count (``OMP_NUM_THREADS``) that every training run
    of WORK_DIR (a ``result.json`` with a seed) was collected under.

    The same seed lands several points apart under another thread count
    (other arithmetic order), so one table must not mix them: exits naming
    the runs of each count.
    """
    runs = {}
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'result.json'))):
        with open(path) as file:
            result = json.load(file)
        if result.get('seed') is not None:
            runs.setdefault(result.get('threads'), []).append(
                osp.basename(osp.dirname(path)))
    if len(runs) > 1:
        sys.exit(f'{work_dir}: training runs under different thread '
                 'settings (OMP_NUM_THREADS), which changes their results: ' +
                 '; '.join(f'{threads}: {", ".join(names)}'
                           for threads, names in runs.items()) +
                 '. Rerun them with one JOBS setting (remove their folders).')
    return next(iter(runs), None)


def mean_std(values):
    """Mean and sample standard deviation (0 for one value)."""
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, (sum((v - mean)**2 for v in values) / (len(values) - 1))**.5


def paired_columns(baseline_top1, top1, teacher_top1):
    """Paired difference to the baseline over the common seeds (95% t
    interval) and distillation ratio of one method (benchmark_stats)."""
    row = method_row('method', top1, baseline_top1, teacher_top1)
    paired = row['paired']
    return dict(paired_diff=paired._asdict() if paired else None,
                distillation_ratio=row['ratio'], ci_gain=row['gain'],
                paired_text=format_paired(row), ratio_text=format_ratio(row))


def model_costs(models, repeats):
    """Parameters (M), GFLOPs and median CPU latency (ms) of one sample for
    each ``name: (config, shape)``: ``shape`` is the number of frames of a
    video clip (``frames x 3 x crop_size x crop_size``, from the config) or
    the whole shape of one sample's input (e.g. ``(1, 1, 32, 20, 3)``:
    clips, persons, frames, joints, channels of an ST-GCN). Latency repeats
    interleave the models, so that load changes on the machine affect them
    alike."""
    import statistics
    import time

    import torch
    from mmengine.analysis import get_model_complexity_info
    from mmengine.config import Config

    from mmrazor_video_kd.models import model_from_config
    built, costs = {}, {}
    for name, (config, shape) in models.items():
        if isinstance(shape, int):
            crop = Config.fromfile(config).crop_size
            shape = (shape, 3, crop, crop)
        model = model_from_config(config).eval()
        clip = torch.zeros(1, *shape)
        flops = get_model_complexity_info(
            model, inputs=(clip, ), show_table=False,
            show_arch=False)['flops']
        built[name] = (model, clip)
        costs[name] = dict(
            params_m=sum(p.numel() for p in model.parameters()) / 1e6,
            gflops=flops / 1e9, input=list(clip.shape))
    times = {name: [] for name in built}
    with torch.inference_mode():
        for repeat in range(repeats + 3):  # 3 warm-up rounds
            for name, (model, clip) in built.items():
                start = time.perf_counter()
                model(clip, mode='tensor')
                if repeat >= 3:
                    times[name].append(1000 * (time.perf_counter() - start))
    for name in built:
        costs[name]['latency_ms'] = statistics.median(times[name])
    costs['threads'] = torch.get_num_threads()
    return costs


def plot_accuracy(rows, baseline, path):
    """Bar chart: top-1 per method, mean and std over seeds."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    names = ['no KD'] + [row['method'] for row in rows]
    stats = [baseline] + [(row['top1_mean'], row['top1_std']) for row in rows]
    figure, axes = plt.subplots(figsize=(1.1 * len(names) + 2, 4))
    axes.bar(names, [100 * m for m, _ in stats],
             yerr=[100 * s for _, s in stats], capsize=4,
             color=['grey'] + ['tab:blue'] * len(rows))
    axes.axhline(100 * baseline[0], color='grey', linestyle='--', linewidth=1)
    axes.set_ylabel('val top-1 (%), mean and std over seeds')
    axes.set_title('AVLetters, TSM-MobileNetV2 x0.5 student')
    plt.setp(axes.get_xticklabels(), rotation=30, ha='right')
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_curves(runs, path):
    """One panel per run: every logged loss term against the iteration."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    columns = 3
    rows = (len(runs) + columns - 1) // columns
    figure, panels = plt.subplots(rows, columns, squeeze=False,
                                  figsize=(5 * columns, 3.2 * rows))
    for panel, (name, result) in zip(panels.flat, runs.items()):
        for key, points in sorted(result['curves'].items()):
            if key == 'loss':
                continue
            panel.plot([p[0] for p in points], [p[1] for p in points],
                       label=key, linewidth=1)
        panel.set_title(name, fontsize=9)
        panel.set_xlabel('iteration')
        panel.set_yscale('log')
        panel.legend(fontsize=7)
    for panel in list(panels.flat)[len(runs):]:
        panel.axis('off')
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def write_metafile(rows, baseline, student_cost, path):
    """OpenMMLab ``metafile.yml`` of the distilled students."""
    import yaml
    models = []
    for row in rows:
        models.append({
            'Name': osp.splitext(osp.basename(row['config']))[0],
            'In Collection': 'AVLetters distillation benchmark',
            'Config': row['config'],
            'Metadata': {
                'Training Data': 'AVLetters (speakers Anya, Bill, Faye, '
                                 'John, Steve)',
                'Parameters': round(student_cost['params_m'] * 1e6),
                'FLOPs': round(student_cost['gflops'] * 1e9),
                'Seeds': row['seeds'],
                # the runs' own (run_benchmark.sh may override the config's)
                **({'Epochs': row['epochs'], 'Learning Rate': row['lr']}
                   if row.get('epochs') else {}),
                **({'Label Smoothing': row['label_smoothing']}
                   if row.get('label_smoothing') is not None else {}),
                **({'Distillation Losses': row['distill_losses']}
                   if row.get('distill_losses') else {}),
            },
            'Results': [{
                'Dataset': 'AVLetters (speakers Kate, Nicola)',
                'Task': 'Action Recognition',
                'Metrics': {
                    'Top 1 Accuracy': round(100 * row['top1_mean'], 2),
                    'Top 1 Accuracy std': round(100 * row['top1_std'], 2),
                    'Top 1 Accuracy without KD': round(100 * baseline[0], 2),
                    'Teacher Top 1 Accuracy': round(
                        100 * row['teacher_top1'], 2),
                },
            }],
            'Weights': None,
        })
    meta = {'Collections': [{
        'Name': 'AVLetters distillation benchmark',
        'README': 'docs/benchmark.md',
        'Metadata': {'Training Resources': 'CPU',
                     'Script': 'tools/analysis/run_benchmark.sh'}}],
            'Models': models}
    with open(path, 'w') as file:
        yaml.safe_dump(meta, file, sort_keys=False)


def teachers_of(args):
    """``{run name: (label, config, frames)}`` of the benchmark's teachers:
    the ensemble tested on 8 and 16 frames, and the single network (on the
    frames of its config) if ``--single-teacher-config`` is given."""
    teachers = {
        f'teacher_{frames}frames': (
            f'3 x TSM-MobileNetV2 x0.5 ensemble (ensemble distillation), '
            f'{frames} frames', args.teacher_config, frames)
        for frames in (8, 16)}
    if args.single_teacher_config:
        from mmengine.config import Config
        cfg = Config.fromfile(args.single_teacher_config)
        frames = cfg.model.backbone.num_segments
        teachers['single_teacher'] = (
            f'TSM-MobileNetV2 x0.5, {frames} frames, {cfg.crop_size} px '
            '(single network)', args.single_teacher_config, frames)
    return teachers


def teacher_of(method):
    """Run name of the teacher a method distils from: ``*-single``
    methods the single network, ``fewer-frames`` the ensemble on 16
    frames, the others the ensemble on the student's 8."""
    if method.endswith('-single'):
        return 'single_teacher'
    return 'teacher_16frames' if method == 'fewer-frames' else \
        'teacher_8frames'


def read_top1(work, name):
    """Top-1 of ``WORK/NAME/result.json``; exits naming the file if it is
    missing."""
    path = osp.join(work, name, 'result.json')
    if not osp.isfile(path):
        sys.exit(f'{path}: missing (the teacher {name} was not trained or '
                 'tested; rerun tools/analysis/run_benchmark.sh)')
    with open(path) as file:
        return json.load(file)['top1']


def report(args):
    """results.md, results.json, accuracy.png, training_curves.png."""
    import shutil
    work = args.work_dir
    baseline_runs = load_results(work, 'student', args.seeds)
    if not baseline_runs:
        sys.exit(f'{work}: no student_seed*/result.json yet')
    baseline = mean_std([r['top1'] for r in baseline_runs.values()])
    threads = training_threads(work)
    split = SPLITS.get(read_split(work))
    teachers = teachers_of(args)
    teacher = {name: read_top1(work, name) for name in teachers
               if name != 'single_teacher' or any(
                   teacher_of(method) == name for method in args.methods)}
    costs = model_costs(dict(
        student=(args.student_config, 8),
        **{name: teachers[name][1:] for name in teacher}), args.repeats)
    rows, loaded = [], {'student': baseline_runs}
    for method in args.methods:
        runs = load_results(work, method, args.seeds)
        if not runs:
            print(f'[missing] {method}: no finished seed')
            continue
        loaded[method] = runs
        name = teacher_of(method)
        recipe = run_settings(osp.join(work, f'{method}_seed{min(runs)}'))
        top1 = [runs[seed]['top1'] for seed in sorted(runs)]
        mean, std = mean_std(top1)
        rows.append(dict(
            method=method, config=runs[min(runs)]['config'],
            seeds=sorted(runs), top1=top1, top1_mean=mean, top1_std=std,
            **(recipe or dict(epochs=None, lr=None, label_smoothing=None,
                              distill_losses=None)),
            gain=mean - baseline[0], teacher=name,
            teacher_label=teachers[name][0],
            teacher_top1=teacher[name], **paired_columns(
                {s: r['top1'] for s, r in baseline_runs.items()},
                {s: r['top1'] for s, r in runs.items()}, teacher[name])))
    student, lines = costs['student'], []
    lines.append('| Method | Teacher | Teacher top-1 | Student top-1 w/o KD '
                 '| Student top-1 with KD | Gain | Paired diff [95% CI] '
                 '| Distillation ratio | Student vs teacher: '
                 'params / GFLOPs / CPU latency | Config |')
    lines.append('|---|---|---|---|---|---|---|---|---|---|')
    for row in rows:
        cost = costs[row['teacher']]
        lines.append(
            f'| {row["method"]} | {row["teacher_label"]} '
            f'| {100 * row["teacher_top1"]:.1f} '
            f'| {100 * baseline[0]:.1f} ± {100 * baseline[1]:.1f} '
            f'| {100 * row["top1_mean"]:.1f} ± {100 * row["top1_std"]:.1f} '
            f'| {100 * row["gain"]:+.1f} '
            f'| {row["paired_text"]} | {row["ratio_text"]} '
            f'| {student["params_m"]:.2f}M / {cost["params_m"]:.2f}M, '
            f'{student["gflops"]:.3f} / {cost["gflops"]:.3f}, '
            f'{student["latency_ms"]:.1f} / {cost["latency_ms"]:.1f} ms '
            f'({cost["latency_ms"] / student["latency_ms"]:.1f}x faster) '
            f'| [config]({osp.relpath(row["config"], RESULTS_DIR)}) |')
    seeds = sorted(baseline_runs)
    lines.append('')
    lines.append(f'Per seed ({", ".join(map(str, seeds))}), top-1 %: no KD '
                 + ' / '.join(f'{100 * baseline_runs[s]["top1"]:.1f}'
                              for s in seeds) + '; ' + '; '.join(
                     f'{r["method"]} ' + ' / '.join(
                         f'{100 * v:.1f}' for v in r['top1'])
                     for r in rows) + '.')
    lines.append('')
    lines.append(recipe_text(work, loaded, {
        row['method']: row['distill_losses'] for row in rows}))
    lines.append('')
    lines.append('Paired diff: mean of (with KD - w/o KD) over the seeds of '
                 'both, points, 95% t interval; distillation ratio: (with '
                 'KD - w/o KD) / (teacher - w/o KD); see '
                 'docs/benchmark_protocol.md. Every training ran with '
                 f'{threads or "unrecorded"} torch thread(s) '
                 '(OMP_NUM_THREADS). CPU latency: one clip, median of '
                 f'{args.repeats} runs with {costs["threads"]} torch '
                 'thread(s), every model measured side by side.'
                 + (f' {split}' if split else ''))
    table = '\n'.join(lines) + '\n'
    print(table)
    with open(osp.join(work, 'results.md'), 'w') as file:
        file.write(table)
    with open(osp.join(work, 'results.json'), 'w') as file:
        json.dump(dict(baseline=baseline, teacher=teacher, costs=costs,
                       threads=threads, split=read_split(work),
                       methods=rows), file, indent=2)
    plot_accuracy(rows, baseline, osp.join(work, 'accuracy.png'))
    write_metafile(rows, baseline, student, osp.join(work, 'metafile.yml'))
    curves = {'no KD (seed %d)' % seeds[0]: baseline_runs[seeds[0]]}
    for row in rows:
        curves[f'{row["method"]} (seed {row["seeds"][0]})'] = load_results(
            work, row['method'], args.seeds)[row['seeds'][0]]
    plot_curves(curves, osp.join(work, 'training_curves.png'))
    if args.publish_dir:
        import os
        os.makedirs(args.publish_dir, exist_ok=True)
        for name in ('results.md', 'accuracy.png', 'training_curves.png'):
            shutil.copy(osp.join(work, name), args.publish_dir)
        print(f'copied results.md and the plots to {args.publish_dir}')
    if args.metafile:
        shutil.copy(osp.join(work, 'metafile.yml'), args.metafile)
        print(f'wrote {args.metafile}')


def reusable_costs(path, models):
    """The costs JSON at ``path`` if it was measured for these ``models``
    (``{name: (config, shape)}`` as for :func:`model_costs`: same names,
    configs and one-sample input shapes), else None (also when it is not
    valid JSON: it is measured again and rewritten)."""
    if not path or not osp.isfile(path):
        return None
    try:
        with open(path) as f:
            measured = json.load(f)
    except json.JSONDecodeError as error:
        print(f'{path} is not valid JSON ({error}): measured again')
        return None
    for name, (config, shape) in models.items():
        cost = measured.get(name, {})
        if (cost.get('config'), cost.get('input')) != (config, [1, *shape]):
            return None
    return measured


def costs(args):
    """Print the costs of ``--model``s as a Markdown table (and append it to
    ``--markdown``, write them as JSON to ``--out``). With ``--reuse``, the
    costs already in ``--out`` for the same models are kept instead of
    measured again."""
    models = {name: (config, tuple(int(n) for n in shape.split('x')))
              for name, config, shape in args.model}
    measured = reusable_costs(args.out, models) if args.reuse else None
    if measured is None:
        measured = model_costs(models, args.repeats)
        for name, (config, _) in models.items():
            measured[name]['config'] = config
    else:
        print(f'costs of {args.out} kept (same models)')
    lines = [f'| model | params (M) | GFLOPs | CPU latency (ms, '
             f'{measured["threads"]} thread(s)) |', '|---|---|---|---|']
    for name, _, _ in args.model:
        cost = measured[name]
        lines.append(f'| {name} | {cost["params_m"]:.2f} | '
                     f'{cost["gflops"]:.3f} | {cost["latency_ms"]:.1f} |')
    print('\n'.join(lines))
    if args.markdown:
        with open(args.markdown, 'a') as f:
            f.write('\n' + '\n'.join(lines) + '\n')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(measured, f, indent=1)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    commands = parser.add_subparsers(dest='command', required=True)
    one = commands.add_parser('collect', help='result.json of one run')
    one.add_argument('run_dir')
    one.add_argument('--config', required=True)
    one.add_argument('--seed', type=int)
    every = commands.add_parser('report', help='table and plots')
    every.add_argument('work_dir')
    every.add_argument('--student-config', required=True)
    every.add_argument('--teacher-config', required=True)
    every.add_argument('--single-teacher-config',
                       help='config of the single-network teacher '
                       '(WORK/single_teacher) of the *-single methods')
    every.add_argument('--methods', nargs='+', required=True)
    every.add_argument('--seeds', type=int, nargs='+',
                       help='report only these seeds (default: all found)')
    every.add_argument('--repeats', type=int, default=30,
                       help='latency repeats (median)')
    every.add_argument('--publish-dir',
                       help='also copy results.md and the plots here')
    every.add_argument('--metafile',
                       help='also copy metafile.yml to this path')
    cost = commands.add_parser(
        'costs', help='parameters, GFLOPs and CPU latency of models')
    cost.add_argument('--model', nargs=3, action='append', required=True,
                      metavar=('NAME', 'CONFIG', 'SHAPE'),
                      help='SHAPE: one sample\'s input, e.g. 1x1x32x20x3')
    cost.add_argument('--repeats', type=int, default=30,
                      help='latency repeats (median)')
    cost.add_argument('--out', help='also write the costs as JSON here')
    cost.add_argument('--markdown',
                      help='also append the table to this Markdown file')
    cost.add_argument('--reuse', action='store_true',
                      help='keep the costs in --out if measured for the '
                      'same models (names, configs, shapes)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    {'collect': collect, 'report': report, 'costs': costs}[args.command](args)


if __name__ == '__main__':
    main()
