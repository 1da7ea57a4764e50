"""Put the checkpoints of an ``EnsembleRecognizer``'s members into one
checkpoint of the ensemble, for ``tools/test.py`` and ``teacher_ckpt``.

    python tools/analysis/build_ensemble_checkpoint.py ENSEMBLE_CONFIG \
        MEMBER_1.pth [MEMBER_2.pth ...] --out ensemble.pth

Members are loaded strictly, in the order of ``model.members``; the output
is written atomically and never overwrites an existing file without
``--force``.
"""
import argparse
import os.path as osp
import sys


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config with an EnsembleRecognizer')
    parser.add_argument('members', nargs='+', help='member checkpoints')
    parser.add_argument('--out', required=True, help='output checkpoint')
    parser.add_argument('--force', action='store_true',
                        help='overwrite an existing --out')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if osp.exists(args.out) and not args.force:
        sys.exit(f'{args.out} exists; pass --force to overwrite it')
    from mmengine.config import Config

    import mmrazor_video_kd  # noqa: F401  (registers EnsembleRecognizer)
    from mmrazor_video_kd.utils.checkpoints import atomic_torch_save
    from mmrazor_video_kd.models.builders import model_from_config
    cfg = Config.fromfile(args.config)
    members = cfg.model.get('members', [])
    if cfg.model.get('type') != 'EnsembleRecognizer':
        sys.exit(f'{args.config}: model.type is {cfg.model.get("type")!r}, '
                 'not EnsembleRecognizer')
    if len(members) != len(args.members):
        sys.exit(f'{args.config} has {len(members)} members '
                 f'(model.members); got {len(args.members)} checkpoints')
    for member, checkpoint in zip(members, args.members):
        member['ckpt'] = checkpoint
    model = model_from_config(args.config,
                              cfg_options={'model.members': members})
    atomic_torch_save(
        dict(state_dict=model.state_dict(),
             meta=dict(members=list(args.members))), args.out)
    print(f'{args.out}: ensemble of {len(members)} members')


if __name__ == '__main__':
    main()
