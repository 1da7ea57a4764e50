"""Training accuracy of finished benchmark runs: each run's last checkpoint
tested on its own training list, with its validation pipeline (test mode:
no augmentation, the weights as they ended), written to
``RUN_DIR/train_accuracy.json``.

The training top-1 logged during training covers a few batches only and
changes with the weights within the epoch; this one is the share of the
training samples the final model classifies correctly, the figure that
tells whether a recipe trained to a plateau (or over-fits).

    python tools/analysis/train_accuracy.py RUN_DIR [RUN_DIR ...]

RUN_DIR is a work dir of ``tools/train.py`` with one dumped config and a
``last_checkpoint``; a distillation run tests its student. A run whose
``train_accuracy.json`` exists is skipped. The test's logs go to
``RUN_DIR/train_accuracy/``; nothing else in RUN_DIR is written.
"""
import argparse
import copy
import glob
import json
import os
import os.path as osp
import sys

OUT = 'train_accuracy.json'


def dumped_config(run_dir):
    """The one config MMEngine dumped into ``run_dir``."""
    found = glob.glob(osp.join(run_dir, '*.py'))
    if len(found) != 1:
        raise ValueError(f'{run_dir}: expected one dumped config *.py, '
                         f'found {len(found)}')
    return found[0]


def last_checkpoint(run_dir):
    """The checkpoint named in ``run_dir/last_checkpoint``, looked up in
    ``run_dir`` (the run may have been moved since)."""
    pointer = osp.join(run_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        raise ValueError(f'{run_dir}: no last_checkpoint; did the run '
                         'finish?')
    with open(pointer) as file:
        path = osp.join(run_dir, osp.basename(file.read().strip()))
    if not osp.isfile(path):
        raise ValueError(f'{pointer} names {path}, which does not exist')
    return path


def training_test_config(cfg, run_dir, checkpoint):
    """``cfg`` whose test loop runs the validation pipeline over the
    training list, from ``checkpoint``, logging under ``run_dir``.

    Raises:
        ValueError: If ``train_dataloader.dataset`` has no ``ann_file``.
    """
    train = cfg.train_dataloader.dataset
    if 'ann_file' not in train:
        raise ValueError(f'{run_dir}: train_dataloader.dataset has no '
                         'ann_file to test on')
    loader = copy.deepcopy(cfg.val_dataloader)
    loader.dataset.ann_file = train.ann_file
    for key in ('data_prefix', 'skip_invalid'):
        if key in train:
            loader.dataset[key] = copy.deepcopy(train[key])
    cfg.test_dataloader = loader
    cfg.test_evaluator = copy.deepcopy(cfg.val_evaluator)
    cfg.work_dir = osp.join(run_dir, 'train_accuracy')
    cfg.load_from = checkpoint
    cfg.resume = False
    return cfg


def top1_of(metrics):
    """The top-1 of a test's metrics (its one ``.../top1`` key)."""
    keys = [key for key in metrics if key.endswith('top1')]
    if len(keys) != 1:
        raise ValueError(f'expected one top-1 metric, got {sorted(metrics)}')
    return metrics[keys[0]]


def measure(run_dir):
    """Test ``run_dir``'s last checkpoint on its training list and write
    ``run_dir/train_accuracy.json``; return its top-1."""
    import mmrazor_video_kd  # noqa: F401
    from mmengine.config import Config
    from mmengine.runner import Runner
    checkpoint = last_checkpoint(run_dir)
    cfg = training_test_config(Config.fromfile(dumped_config(run_dir)),
                               run_dir, checkpoint)
    top1 = top1_of(Runner.from_cfg(cfg).test())
    result = dict(top1=top1, ann_file=cfg.test_dataloader.dataset.ann_file,
                  checkpoint=osp.basename(checkpoint))
    out = osp.join(run_dir, OUT)
    with open(out + '.tmp', 'w') as file:
        json.dump(result, file)
    os.replace(out + '.tmp', out)
    return top1


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='Test finished runs on their training list')
    parser.add_argument('run_dirs', nargs='+')
    args = parser.parse_args(argv)
    for run_dir in args.run_dirs:
        if osp.isfile(osp.join(run_dir, OUT)):
            continue
        try:
            top1 = measure(run_dir)
        except ValueError as error:
            sys.exit(f'error: {error}')
        print(f'{osp.basename(osp.normpath(run_dir))}: training top-1 '
              f'{100 * top1:.1f}%')


if __name__ == '__main__':
    main()
