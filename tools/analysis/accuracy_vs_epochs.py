"""Validation top-1 against epochs for the student without distillation and
each method of a benchmark work dir: does distillation reach a higher
accuracy, or only reach the same one sooner?

The runs must have validated along the way, e.g.
``VAL_INTERVAL=10 bash tools/analysis/run_benchmark.sh WORK``. Validating
does not change what a run trains (EpochSeedHook re-seeds every training
epoch and the validation loader does not shuffle), so the last point of each
curve is the run's final result. Reads each run's logged scalars
(``WORK/<name>_seed<N>/*/vis_data/scalars.json``: the student's
``acc/top1`` per validation, and the training batches' ``top1_acc`` or
``student.top1_acc`` per epoch) and writes a Markdown table (mean ± std over
seeds at each validated epoch; each method's paired difference to the
student with a 95% t interval) and a plot::

    python tools/analysis/accuracy_vs_epochs.py WORK --methods kd-kl trd \\
        --seeds 0 1 2 3 4 --out docs/benchmark/accuracy_vs_epochs
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchmark_report import (logged_scalars,  # noqa: E402
                              train_top1_by_epoch)
from benchmark_stats import mean_std, paired_difference  # noqa: E402

BASELINE = 'student'
VAL_KEY = 'acc/top1'


def val_curve(run_dir):
    """``{epoch: validation top-1}`` of a run (the student's in a
    distillation run; a resumed run's sessions are read in order)."""
    return {entry['step']: entry[VAL_KEY]
            for entry in logged_scalars(run_dir) if VAL_KEY in entry}


def load_curves(work, names, seeds):
    """``{name: {seed: {epoch: top-1}}}`` of the validation curves.

    Raises:
        ValueError: If a run has no logged scalars, or validated only once
            (it ran without VAL_INTERVAL), or the runs validated at
            different epochs.
    """
    curves, epochs = {}, None
    for name in names:
        for seed in seeds:
            run = osp.join(work, f'{name}_seed{seed}')
            curve = val_curve(run)
            if not curve:
                raise ValueError(f'{run}: no logged validation '
                                 '(*/vis_data/scalars.json); did it run?')
            if len(curve) < 2:
                raise ValueError(
                    f'{run}: validated only at epoch {min(curve)}; rerun '
                    'the benchmark with VAL_INTERVAL=N in another work dir')
            if epochs is not None and sorted(curve) != epochs:
                raise ValueError(f'{run}: validated at epochs '
                                 f'{sorted(curve)}, other runs at {epochs}')
            epochs = sorted(curve)
            curves.setdefault(name, {})[seed] = curve
    return curves


def at_epoch(runs, epoch):
    """``{seed: top-1}`` of ``runs`` (``{seed: {epoch: top-1}}``)."""
    return {seed: curve[epoch] for seed, curve in runs.items()}


def markdown(curves):
    """The table: one row per validated epoch, top-1 in % (mean ± std over
    seeds), and for each method its paired difference to the student (with
    two seeds or more)."""
    names = list(curves)
    paired = BASELINE in curves and len(curves[BASELINE]) > 1
    methods = [name for name in names if name != BASELINE]
    header = ['epoch'] + [f'{"no KD" if n == BASELINE else n} top-1'
                          for n in names]
    if paired:
        header += [f'{m} - no KD [95% CI]' for m in methods]
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '---|' * len(header)]
    epochs = sorted(next(iter(next(iter(curves.values())).values())))
    for epoch in epochs:
        cells = [str(epoch)]
        for name in names:
            mean, std = mean_std(at_epoch(curves[name], epoch).values())
            cells.append(f'{100 * mean:.1f} ± {100 * std:.1f}')
        if paired:
            baseline = at_epoch(curves[BASELINE], epoch)
            for method in methods:
                diff = paired_difference(baseline,
                                         at_epoch(curves[method], epoch))
                low, high = diff.ci
                cells.append(f'{100 * diff.mean:+.1f} '
                             f'[{100 * low:+.1f}, {100 * high:+.1f}]')
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def plot(curves, train_curves, path):
    """Validation (left) and training-batch (right) top-1 against epochs,
    mean over seeds with a band of ± one std."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for axis, data, title in ((axes[0], curves, 'validation top-1'),
                              (axes[1], train_curves,
                               'training batches top-1')):
        for name, runs in data.items():
            epochs = sorted(set.intersection(*(set(c) for c in
                                               runs.values())))
            stats = [mean_std(at_epoch(runs, e).values()) for e in epochs]
            mean = [100 * m for m, _ in stats]
            std = [100 * s for _, s in stats]
            label = 'no KD' if name == BASELINE else name
            axis.plot(epochs, mean, marker='.', label=label)
            axis.fill_between(epochs, [m - s for m, s in zip(mean, std)],
                              [m + s for m, s in zip(mean, std)], alpha=0.2)
        axis.set_xlabel('epoch')
        axis.set_ylabel('%')
        axis.set_title(title)
        axis.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('work', help='work dir of run_benchmark.sh')
    parser.add_argument('--methods', nargs='+', required=True)
    parser.add_argument('--seeds', nargs='+', type=int, required=True)
    parser.add_argument('--out', help='write OUT.md and OUT.png (default: '
                        'print the table only)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    names = [BASELINE] + [m for m in args.methods if m != BASELINE]
    try:
        curves = load_curves(args.work, names, args.seeds)
    except ValueError as error:
        sys.exit(str(error))
    table = markdown(curves)
    print(table, end='')
    if args.out:
        with open(args.out + '.md', 'w') as file:
            file.write(table)
        train = {name: {seed: train_top1_by_epoch(osp.join(args.work,
                                                   f'{name}_seed{seed}'))
                        for seed in args.seeds} for name in names}
        plot(curves, train, args.out + '.png')


if __name__ == '__main__':
    main()
