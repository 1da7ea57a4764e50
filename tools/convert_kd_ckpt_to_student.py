"""Convert a distillation checkpoint to a student-only checkpoint.

Examples::

    python tools/convert_kd_ckpt_to_student.py work_dirs/kd/epoch_20.pth \
        --out student.pth \
        --verify configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py
"""
import argparse
import os.path as osp
import sys

import torch


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Keep only the student (architecture.*) weights of a '
        'distillation checkpoint')
    parser.add_argument('checkpoint', help='distillation checkpoint (.pth)')
    parser.add_argument(
        '--out', help='output file (default: <checkpoint>_student.pth)')
    parser.add_argument(
        '--verify', metavar='STUDENT_CONFIG',
        help='build the student from this config and load the result '
        'strictly')
    parser.add_argument(
        '--force', action='store_true', help='overwrite an existing --out')
    return parser.parse_args(argv)


def verify(state_dict, config):
    """Build the model of ``config`` and load ``state_dict`` strictly."""
    from mmrazor_video_kd.models import model_from_config
    model = model_from_config(config)
    result = model.load_state_dict(state_dict, strict=False)
    if result.missing_keys or result.unexpected_keys:
        raise SystemExit(
            f'--verify {config}: the student does not match the checkpoint. '
            f'Missing keys: {result.missing_keys}; '
            f'unexpected keys: {result.unexpected_keys}')
    return model


def main(argv=None):
    import mmrazor_video_kd  # noqa: F401  (compat: safe torch.load)
    from mmrazor_video_kd.utils.checkpoints import atomic_torch_save
    from mmrazor_video_kd.utils import (NotADistillationCheckpoint,
                                        student_checkpoint)
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'checkpoint {args.checkpoint!r} does not exist')
    out = args.out or osp.splitext(args.checkpoint)[0] + '_student.pth'
    if osp.abspath(out) == osp.abspath(args.checkpoint):
        raise SystemExit(f'--out {out!r} would overwrite the input')
    if osp.exists(out) and not args.force:
        raise SystemExit(f'{out!r} exists; pass --force to overwrite it')
    checkpoint = torch.load(args.checkpoint, map_location='cpu')
    try:
        converted = student_checkpoint(checkpoint, source=args.checkpoint)
    except NotADistillationCheckpoint as error:
        raise SystemExit(str(error))
    if args.verify:
        verify(converted['state_dict'], args.verify)
        print(f'verified: {args.verify} loads the student strictly')
    atomic_torch_save(converted, out)
    dropped = converted['meta']['converted_from_distillation'][
        'dropped_prefixes']
    print(f'saved {len(converted["state_dict"])} student tensors to {out} '
          f'(dropped: {", ".join(dropped) or "nothing"})')


if __name__ == '__main__':
    sys.exit(main())
