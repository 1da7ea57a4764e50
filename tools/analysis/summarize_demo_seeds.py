"""Per-seed top-1 of the demo's three models and the distillation gain.

Reads the ``summary.json`` that ``tools/run_demo.sh`` writes for each run
(rows ``teacher``, ``alone`` and ``distilled``), prints one Markdown row per
run and the mean and sample standard deviation over runs of ``distilled -
alone`` and ``teacher - alone`` in top-1 points. ``tools/analysis/
run_demo_seeds.sh`` runs the demo once per seed and then this.

Example::

    python tools/analysis/summarize_demo_seeds.py \\
        work_dirs/demo_seeds/seed0/summary.json \\
        work_dirs/demo_seeds/seed1/summary.json
"""
import argparse
import json
import os.path as osp
import statistics

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


def mean_std(values):
    """Mean and sample standard deviation (0 for a single value)."""
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return statistics.mean(values), std


def summarize(paths):
    """Per-run figures and the mean +- std of the gains.

    Args:
        paths (list[str]): ``summary.json`` files, one per run.

    Returns:
        dict: ``runs`` (name, top-1 of each model, ``gain`` = distilled -
        alone, ``gap`` = teacher - alone, in points) and ``gain`` /
        ``gap`` (mean, std) over runs, ``positive`` (runs with a gain > 0).
    """
    runs = []
    for path in paths:
        top1 = read_run(path)
        runs.append(dict(
            run=osp.basename(osp.dirname(osp.abspath(path))), **top1,
            gain=top1['distilled'] - top1['alone'],
            gap=top1['teacher'] - top1['alone']))
    return dict(
        runs=runs,
        gain=mean_std([r['gain'] for r in runs]),
        gap=mean_std([r['gap'] for r in runs]),
        positive=sum(r['gain'] > 0 for r in runs))


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
    print(f'teacher - alone: {gap:+.1f} +- {gap_std:.1f} points')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=2)


if __name__ == '__main__':
    main()
