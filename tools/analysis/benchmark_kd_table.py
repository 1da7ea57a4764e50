"""One Markdown table from the JSON files of ``benchmark_kd.py --out``.

    python tools/analysis/benchmark_kd_table.py RESULT.json [RESULT.json ...]

A row per file: the pair (read off the config name), the input, the median
times of (a) student step, (b) teacher forward, (c) distillation step,
``c/(a+b)``, ``c/a``, clips per second and the peak memory of each phase.
"""
import argparse
import json
import os.path as osp

HEADER = ('| config | device, amp | batch × clip | (a) student step | '
          '(b) teacher(s) forward | (c) distillation step | c/(a+b) | c/a | '
          'clips/s student → distill | peak memory a / b / c (MiB) |')


def row(result):
    """The table row of one ``benchmark_kd.py`` result."""
    t = {k: v * 1000 for k, v in result['median_seconds'].items()}
    mem = result['peak_memory_mib']
    clips = result['clips_per_second']
    name = osp.splitext(osp.basename(result['config']))[0]
    setting = result['device']
    if result['device'] == 'cpu':
        setting += f' ({result["threads"]} threads)'
    if result['amp']:
        setting += f', {result["amp"]}'
    if result['channels_last']:
        setting += ', channels-last'
    shape = '×'.join(str(s) for s in result['clip_shape'])
    return (f'| {name} | {setting} | {result["batch_size"]} × {shape} | '
            f'{t["student_step"]:.0f} ms | {t["teacher_forward"]:.0f} ms | '
            f'{t["distill_step"]:.0f} ms | '
            f'{result["distill_over_student_plus_teacher"]:.2f} | '
            f'{result["distill_over_student"]:.2f} | '
            f'{clips["student"]:.2f} → {clips["distill"]:.2f} | '
            f'{mem["student_step"]:.0f} / {mem["teacher_forward"]:.0f} / '
            f'{mem["distill_step"]:.0f} |')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('results', nargs='+', help='benchmark_kd.py JSONs')
    args = parser.parse_args(argv)
    lines = [HEADER, '|' + '---|' * HEADER.count(' | ') + '---|']
    for path in args.results:
        with open(path) as f:
            lines.append(row(json.load(f)))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
