"""Print accuracy, parameters and CPU latency of tested models side by side.

Each ``--model NAME CONFIG TEST_WORK_DIR`` names a config and the work dir of
its ``mim test`` run (whose newest ``<timestamp>/<timestamp>.json`` holds the
metrics). Latency is measured here, in one process, for every model in turn:
one clip (``num_segments`` x 3 x ``crop_size``\u00b2 from the config) per
forward pass, after warm-up, median of ``--repeats`` runs.

Example::

    python tools/analysis/summarize_models.py \
        --model teacher configs/recognition/tsm/tsm_r18_1x1x8_20e_motions-rgb.py work_dirs/demo/test_teacher \
        --model student configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py work_dirs/demo/test_student
"""  # noqa: E501
import argparse
import glob
import json
import os.path as osp
import statistics
import time

import torch


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--model', nargs=3, action='append', required=True,
        metavar=('NAME', 'CONFIG', 'TEST_WORK_DIR'))
    parser.add_argument('--repeats', type=int, default=20)
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch default)')
    parser.add_argument('--out', help='also write the rows as JSON here')
    return parser.parse_args(argv)


def read_test_metrics(work_dir):
    """Metrics of the newest ``mim test`` run in ``work_dir``."""
    files = sorted(glob.glob(osp.join(work_dir, '*', '*.json')))
    if not files:
        raise FileNotFoundError(
            f'no test results (<timestamp>/<timestamp>.json) in {work_dir!r}')
    with open(files[-1]) as f:
        return json.loads(f.readline())


def cpu_latency_ms(model, shape, repeats):
    """Median wall time in ms of one forward pass on a zero clip."""
    model.eval()
    inputs = torch.zeros(shape)
    with torch.inference_mode():
        for _ in range(3):
            model(inputs, mode='tensor')
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            model(inputs, mode='tensor')
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def summarize(name, config, work_dir, repeats):
    from mmengine.config import Config

    from mmrazor_video_kd.models import model_from_config
    cfg = Config.fromfile(config)
    model = model_from_config(config)
    shape = (1, cfg.get('num_segments', 8), 3, cfg.get('crop_size', 224),
             cfg.get('crop_size', 224))
    metrics = read_test_metrics(work_dir)
    return dict(
        name=name,
        config=config,
        top1=metrics['acc/top1'],
        params_m=sum(p.numel() for p in model.parameters()) / 1e6,
        latency_ms=cpu_latency_ms(model, shape, repeats),
        input_shape=list(shape))


def main(argv=None):
    import mmrazor_video_kd  # noqa: F401
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    rows = [summarize(*entry, args.repeats) for entry in args.model]
    print(f'\n{"model":<10} {"top-1":>7} {"params":>9} {"CPU latency":>13}'
          f'  config')
    for row in rows:
        print(f'{row["name"]:<10} {row["top1"] * 100:6.1f}% '
              f'{row["params_m"]:8.2f}M {row["latency_ms"]:10.1f} ms  '
              f'{row["config"]}')
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        print(f'\n{last["name"]} vs {first["name"]}: '
              f'{first["params_m"] / last["params_m"]:.1f}x fewer parameters, '
              f'{first["latency_ms"] / last["latency_ms"]:.1f}x faster on '
              f'this CPU ({torch.get_num_threads()} threads, input '
              f'{tuple(last["input_shape"])})')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(rows, f, indent=2)


if __name__ == '__main__':
    main()
