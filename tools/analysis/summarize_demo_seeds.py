"""Per-seed top-1 of the demo's three models and the distillation gain.

Reads the ``summary.json`` that ``tools/run_demo.sh`` writes for each run
(rows ``teacher``, ``alone`` and ``distilled``), prints one Markdown row per
run, the mean and sample standard deviation over runs of ``distilled -
alone`` and ``teacher - alone`` in top-1 points, the 95% t interval of the
paired difference ``distilled - alone`` (runs paired by name) and AutoMM's
distillation ratio (gain / (teacher - alone)). ``tools/analysis/
run_demo_seeds.sh`` runs the demo once per seed and then this.

Example::

    python tools/analysis/summarize_demo_seeds.py \\
        work_dirs/demo_seeds/seed0/summary.json \\
        work_dirs/demo_seeds/seed1/summary.json
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchmark_stats import (distillation_ratio, is_gain,  # noqa: E402
                             mean_std, paired_difference)

MODELS = ('teacher', 'alone', 'distilled')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('summaries', nargs='+',
                        help='summary.json of each run (its folder names '
                        'the run)')
    parser.add_argument('--out', help='also write the figures as JSON here')
    return parser.parse_args(argv)


def read_run(path):
    """Top-1 in % of teacher, alone and distilled in one ``summary.json``."""
    with open(path) as f:
        rows = {row['name']: row for row in json.load(f)}
    missing = [name for name in MODELS if name not in rows]
    if missing:
        raise KeyError(f'{path}: no row {missing} (rows: {sorted(rows)})')
    return {name: rows[name]['top1'] * 100 for name in MODELS}


def summarize(paths):
    """Per-run figures and the mean +- std of the gains.

    Args:
        paths (list[str]): ``summary.json`` files, one per run.

    Returns:
        dict: ``runs`` (name, top-1 of each model, ``gain`` = distilled -
        alone, ``gap`` = teacher - alone, in points), ``gain`` / ``gap``
        (mean, std) over runs, ``positive`` (runs with a gain > 0) and,
        from two runs on, ``gain_ci`` (95% t interval of the paired
        difference) and ``ratio`` (mean gain / mean gap, None when the
        teacher does not beat the student alone).
    """
    names = [osp.basename(osp.dirname(osp.abspath(p))) for p in paths]
    if len(set(names)) < len(names):
        raise ValueError(f'runs are named by their folders, which repeat: '
                         f'{names} ({paths})')
    runs = []
    for name, path in zip(names, paths):
        top1 = read_run(path)
        runs.append(dict(
            run=name, **top1,
            gain=top1['distilled'] - top1['alone'],
            gap=top1['teacher'] - top1['alone']))
    result = dict(
        runs=runs,
        gain=mean_std([r['gain'] for r in runs]),
        gap=mean_std([r['gap'] for r in runs]),
        positive=sum(r['gain'] > 0 for r in runs),
        gain_ci=None, ratio=None)
    if len(runs) > 1:
        by_run = {name: {r['run']: r[name] for r in runs}
                  for name in MODELS}
        result['gain_ci'] = paired_difference(
            by_run['alone'], by_run['distilled']).ci
        result['ratio'] = distillation_ratio(
            *(mean_std(by_run[name].values())[0] for name in
              ('distilled', 'alone', 'teacher')))[0]
    return result


def main(argv=None):
    args = parse_args(argv)
    result = summarize(args.summaries)
    print('| run | teacher | student alone | student distilled | '
          'distilled - alone |')
    print('|---|---|---|---|---|')
    for r in result['runs']:
        print(f'| {r["run"]} | {r["teacher"]:.1f}% | {r["alone"]:.1f}% | '
              f'{r["distilled"]:.1f}% | {r["gain"]:+.1f} |')
    n = len(result['runs'])
    (gain, gain_std), (gap, gap_std) = result['gain'], result['gap']
    print(f'\ndistilled - alone: {gain:+.1f} +- {gain_std:.1f} points '
          f'(mean +- sample std over {n} runs; > 0 in '
          f'{result["positive"]} of {n})')
    if result['gain_ci'] is not None:
        low, high = result['gain_ci']
        side = 'above' if is_gain(result['gain_ci']) else 'not above'
        print(f'distilled - alone, 95% t interval: [{low:+.1f}, '
              f'{high:+.1f}] points ({side} 0)')
    print(f'teacher - alone: {gap:+.1f} +- {gap_std:.1f} points')
    if result['ratio'] is not None:
        print(f'distillation ratio (gain / (teacher - alone)): '
              f'{result["ratio"]:.2f}')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=2)


if __name__ == '__main__':
    main()
