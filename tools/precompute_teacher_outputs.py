"""Precompute the teacher outputs of a distillation config for offline
distillation: every view of every training clip, into a packed store.

Builds the config's algorithm (``VideoDistill``, ``CachedTeacherDistill`` or
another ``VideoDistill`` subclass), runs its frozen teacher in eval mode
under ``torch.inference_mode()`` (optionally autocast) and the distiller's
teacher recorders, and writes every recorded tensor of each view into a
:class:`~mmrazor_video_kd.datasets.teacher_store.PackedTeacherStore` under
the teacher's fingerprint, with the ``teacher.json`` that
``StoredTeacherDistill`` checks. A ``MultiTeacherDistill`` config (several
teachers, ``model.teachers``, each with its ``ckpt``) is built as a plain
``MultiTeacherDistill`` whose own ``forward_teachers`` fills the recorders
of every teacher; its store has one fingerprint for the whole set
(``teachers_fingerprint`` of every teacher's config and weights, in order)
and its ``teacher.json`` lists every teacher's config and checkpoint. The
views are the ``--num-views`` fixed views of the training pipeline's
``FixedViews``: view ``v`` of clip ``i`` is made exactly as training draws
it, so its key is the ``view_key`` training computes. Each rank writes its own shards (clips ``rank::world_size``),
publishing one every ``--shard-size`` views; a rerun skips the views of
published shards, so a killed run loses at most ``--shard-size`` views per
rank.

Example::

    python tools/precompute_teacher_outputs.py \
        configs/distill/logits_kd/kd-logits-cached_tsm-r50_tsm-mobilenetv2-w0.5_40e_avletters-rgb.py \
        --num-views 4 --out work_dirs/teacher_store --storage logits=float16
    torchrun --nproc_per_node=8 tools/precompute_teacher_outputs.py \
        CONFIG --num-views 4 --launcher pytorch
"""  # noqa: E501
import argparse
import glob
import os
import os.path as osp
import time
from contextlib import nullcontext

import torch

AMP_DTYPES = {'bf16': torch.bfloat16, 'fp16': torch.float16}


def parse_args(argv=None):
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(
        description='Precompute teacher outputs for offline distillation')
    parser.add_argument('config', help='distillation config')
    parser.add_argument(
        '--num-views', type=int, default=None,
        help='fixed views per clip (default: num_views of the training '
        'pipeline\'s FixedViews, which it must equal)')
    parser.add_argument(
        '--out', default=None,
        help='store directory (default: model.store_root of the config, '
        'else work_dirs/teacher_store/CONFIG_NAME)')
    parser.add_argument(
        '--storage', nargs='+', default=[],
        help='per recorder: NAME=float32|float16|bfloat16 or '
        'NAME=topk:K:T[:DTYPE] (e.g. logits=topk:10:1.0); others float32')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--num-workers', type=int, default=2,
                        help='data-loading processes per rank')
    parser.add_argument('--amp', choices=sorted(AMP_DTYPES), default=None,
                        help='run the teacher under autocast')
    parser.add_argument('--shard-size', type=int, default=1000,
                        help='publish a shard every this many views')
    parser.add_argument('--max-views', type=int, default=None,
                        help='debug: stop after writing this many views '
                        'per rank (published), as if interrupted')
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm', 'mpi'])
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings (key=value)')
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def parse_storage(items):
    """``{name: TensorStorage spec}`` from ``NAME=SPEC`` strings."""
    storage = {}
    for item in items:
        name, sep, spec = item.partition('=')
        if not sep or not name:
            raise ValueError(f'--storage {item!r}: expected NAME=SPEC')
        parts = spec.split(':')
        if parts[0] != 'topk':
            storage[name] = dict(dtype=spec)
            continue
        if len(parts) not in (3, 4):
            raise ValueError(f'--storage {item!r}: top-k is '
                             'NAME=topk:K:T[:DTYPE]')
        storage[name] = dict(topk=int(parts[1]), temperature=float(parts[2]))
        if len(parts) == 4:
            storage[name]['dtype'] = parts[3]
    return storage


def find_fixed_views(dataset, config):
    """The single ``FixedViews`` of the training pipeline."""
    from mmrazor_video_kd.datasets import FixedViews
    pipeline = getattr(dataset, 'pipeline', None)
    found = [t for t in getattr(pipeline, 'transforms', [])
             if isinstance(t, FixedViews)]
    if len(found) != 1:
        raise ValueError(
            f'{config}: train_dataloader.dataset.pipeline needs exactly one '
            f'FixedViews (found {len(found)}); without it training views '
            'are not reproducible and cannot be precomputed')
    return found[0]


class ClipViews(torch.utils.data.Dataset):
    """Samples ``(clip, view)`` of a dataset, each made as FixedViews makes
    that view during training."""

    def __init__(self, dataset, fixed_views, items):
        self.dataset, self.fixed_views, self.items = (dataset, fixed_views,
                                                      items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        from mmrazor_video_kd.datasets.transforms.fixed_view_index import \
            apply_fixed_view
        from mmrazor_video_kd.datasets.transforms import LoadTeacherOutputs
        clip, view = self.items[index]
        results = self.dataset.get_data_info(clip)
        for transform in self.dataset.pipeline.transforms:
            if isinstance(transform, LoadTeacherOutputs):
                continue  # what is being computed
            if transform is self.fixed_views:
                results = apply_fixed_view(transform, results, view)
            else:
                results = transform(results)
            if results is None:
                raise RuntimeError(f'{transform!r} dropped clip {clip}')
        return results


SINGLE_KEYS = ('architecture', 'teacher', 'teacher_ckpt', 'distiller',
               'data_preprocessor', 'calculate_student_loss',
               'teacher_module_inplace', '_scope_')
MULTI_KEYS = ('architecture', 'teachers', 'distiller', 'data_preprocessor',
              'calculate_student_loss', 'teacher_module_inplace',
              'student_view', '_scope_')


def build_teacher_algorithm(cfg, config):
    """The config's algorithm as a plain ``VideoDistill`` (same teacher,
    recorders and data preprocessor; no cache or store of its own), or for
    several teachers (``model.teachers``) a plain ``MultiTeacherDistill``."""
    from mmrazor.registry import MODELS

    from mmrazor_video_kd.models.algorithms import (MultiTeacherDistill,
                                                    VideoDistill)
    model_cfg = cfg.model.copy()
    name = model_cfg.get('type')
    with MODELS.switch_scope_and_registry('mmrazor') as registry:
        cls = registry.get(name)
    if cls is None or not issubclass(cls, VideoDistill):
        raise TypeError(f'{config}: model.type={name!r} is not a VideoDistill '
                        'algorithm with model.teacher')
    if model_cfg.get('teacher_trainable'):
        raise ValueError(f'{config}: model.teacher_trainable=True; only a '
                         'frozen teacher can be precomputed')
    if issubclass(cls, MultiTeacherDistill):
        check_teacher_ckpts(model_cfg, config)
        keep, kind = MULTI_KEYS, 'MultiTeacherDistill'
    elif not model_cfg.get('teacher_ckpt'):
        raise ValueError(f'{config}: model.teacher_ckpt is not set; a '
                         'randomly initialised teacher is not worth storing')
    else:
        keep, kind = SINGLE_KEYS, 'VideoDistill'
    model_cfg = {k: v for k, v in model_cfg.items() if k in keep}
    model_cfg.update(type=kind, _scope_='mmrazor')
    return MODELS.build(model_cfg)


def check_teacher_ckpts(model_cfg, config):
    """Every one of several teachers has ``model.teachers.NAME.ckpt``."""
    for name, spec in (model_cfg.get('teachers') or {}).items():
        if not spec.get('ckpt'):
            raise ValueError(
                f'{config}: model.teachers.{name}.ckpt is not set; a '
                'randomly initialised teacher is not worth storing')


def is_multi_teacher(cfg):
    """Whether the config has several teachers (``model.teachers``)."""
    return 'teachers' in cfg.model


def plain(value):
    """A config value as plain dicts and lists."""
    return value.to_dict() if hasattr(value, 'to_dict') else value


def teacher_identity(cfg):
    """``(config, checkpoint)`` of the teacher that ``teacher.json`` records
    and the fingerprint covers; for several teachers two lists, in order,
    each config being the teacher's spec without ``ckpt`` plus its
    ``name`` (what ``StoredTeacherDistill(teacher=..., teacher_ckpt=...)``
    takes)."""
    if not is_multi_teacher(cfg):
        return plain(cfg.model.teacher), cfg.model.teacher_ckpt
    configs, ckpts = [], []
    for name, spec in cfg.model.teachers.items():
        spec = plain(spec)
        ckpts.append(spec.pop('ckpt'))
        configs.append(dict(name=name, **spec))
    return configs, ckpts


def store_fingerprint(algorithm, cfg):
    """The fingerprint training computes for the config's teacher, or one
    for the whole set of teachers (``teachers_fingerprint``)."""
    from mmrazor_video_kd.utils.teacher_keys import (teacher_fingerprint,
                                                     teachers_fingerprint)
    configs, _ = teacher_identity(cfg)
    if not is_multi_teacher(cfg):
        return teacher_fingerprint(algorithm.teacher, dict(cfg.model.teacher))
    teachers = [algorithm.teachers[config['name']] for config in configs]
    return teachers_fingerprint(teachers, configs)


def check_teacher_inputs(inputs, num_samples):
    """Each of several teachers takes one input row per sample, so its
    recorded tensors can be split per clip."""
    if not isinstance(inputs, dict) or 'teachers' not in inputs:
        return
    for name, tensor in inputs['teachers'].items():
        rows = getattr(tensor, 'shape', (None, ))[0]
        if not torch.is_tensor(tensor) or rows != num_samples:
            raise ValueError(
                f'teacher {name!r} takes {type(tensor).__name__} inputs '
                f'with {rows} rows for {num_samples} samples; only one row '
                'per sample can be split per clip: check model.teachers.'
                f'{name}.view and that teacher\'s data preprocessor')


def teacher_records(algorithm, data, amp):
    """Recorded teacher tensors of a batch, split per clip."""
    data = algorithm.data_preprocessor(data, True)
    inputs, samples = data['inputs'], data['data_samples']
    check_teacher_inputs(inputs, len(samples))
    distiller = algorithm.distiller
    device = next(algorithm.parameters()).device
    autocast = (torch.autocast(device.type, dtype=AMP_DTYPES[amp])
                if amp else nullcontext())
    distiller.set_deliveries_override(False)
    with torch.inference_mode(), autocast:
        with distiller.teacher_recorders, distiller.deliveries:
            # the built algorithm is a plain VideoDistill or
            # MultiTeacherDistill: its forward_teachers is training's
            algorithm.forward_teachers(inputs, samples)
    per_clip = [dict() for _ in samples]
    for name, recorder in distiller.teacher_recorders.recorders.items():
        record = recorder.get_record_data()
        if not torch.is_tensor(record) or record.shape[0] % len(samples):
            raise TypeError(
                f'teacher recorder {name!r} recorded '
                f'{getattr(record, "shape", type(record).__name__)}; only '
                f'tensors whose first dimension is a multiple of the batch '
                f'({len(samples)}) can be stored')
        for i, chunk in enumerate(record.float().cpu().chunk(len(samples))):
            per_clip[i][name] = chunk.clone()
    return samples, per_clip


class ShardWriter:
    """Writes views into shards of at most ``shard_size`` views."""

    def __init__(self, out, fingerprint, storage, shard_size, prefix):
        self.args = (out, fingerprint, storage)
        self.shard_size, self.prefix = shard_size, prefix
        self.writer, self.written, self.paths = None, 0, []

    def put(self, key, outputs):
        from mmrazor_video_kd.datasets.teacher_store import TeacherStoreWriter
        if self.writer is None:
            out, fingerprint, storage = self.args
            self.writer = TeacherStoreWriter(out, fingerprint, storage,
                                             prefix=self.prefix)
        if self.writer.put(key, outputs):
            self.written += 1
        if len(self.writer) >= self.shard_size:
            self.close()

    def close(self):
        if self.writer is not None and len(self.writer):
            self.paths.append(self.writer.close())
        elif self.writer is not None:
            self.writer.abort()
        self.writer = None


def check_deterministic(views, config):
    """Two renderings of the first view must give the same key."""
    from mmrazor_video_kd.datasets.teacher_store import view_key
    if not len(views):
        return
    keys = {view_key(views[0]['data_samples'].metainfo) for _ in range(2)}
    if len(keys) != 1:
        raise ValueError(f'{config}: a view of the training pipeline is not '
                         'reproducible; random transforms must all be inside '
                         'FixedViews')


def main(argv=None):
    args = parse_args(argv)
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.dist import barrier, get_dist_info, init_dist
    from mmengine.registry import init_default_scope
    from mmengine.utils import ProgressBar
    from mmaction.registry import DATASETS

    import mmrazor_video_kd  # noqa: F401  (registrations, CPU launchers)
    from mmrazor_video_kd.datasets.teacher_store import (
        PackedTeacherStore, store_directory, view_key, write_teacher_record)

    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.launcher != 'none':
        init_dist(args.launcher)
    rank, world_size = get_dist_info()
    if args.out is None:
        args.out = cfg.model.get('store_root') or osp.join(
            'work_dirs', 'teacher_store',
            osp.splitext(osp.basename(args.config))[0])
    init_default_scope(cfg.get('default_scope', 'mmaction'))

    algorithm = build_teacher_algorithm(cfg, args.config)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    fixed_views = find_fixed_views(dataset, args.config)
    num_views = args.num_views or fixed_views.num_views
    if num_views != fixed_views.num_views:
        raise ValueError(
            f'--num-views {num_views} differs from the num_views='
            f'{fixed_views.num_views} of FixedViews in {args.config}: '
            'training would draw other views')
    device = (torch.device('cuda', torch.cuda.current_device())
              if torch.cuda.is_available() else torch.device('cpu'))
    algorithm.to(device).eval()
    fingerprint = store_fingerprint(algorithm, cfg)
    storage = parse_storage(args.storage)
    done = set(PackedTeacherStore(args.out, fingerprint).keys())
    if rank == 0:  # what training checks (StoredTeacherDistill)
        write_teacher_record(store_directory(args.out, fingerprint),
                             fingerprint, *teacher_identity(cfg))

    items = [(clip, view) for clip in range(rank, len(dataset), world_size)
             for view in range(num_views)]
    views = ClipViews(dataset, fixed_views, items)
    check_deterministic(views, args.config)
    loader = torch.utils.data.DataLoader(
        views, batch_size=args.batch_size, num_workers=args.num_workers,
        collate_fn=pseudo_collate)
    writer = ShardWriter(args.out, fingerprint, storage, args.shard_size,
                         prefix=f'rank{rank}')
    progress = ProgressBar(len(items)) if rank == 0 else None
    skipped, start = 0, time.perf_counter()
    try:
        for data in loader:
            keys = [view_key(s.metainfo) for s in data['data_samples']]
            todo = [i for i, key in enumerate(keys) if key not in done]
            skipped += len(keys) - len(todo)
            if todo:
                batch = {k: [v[i] for i in todo] for k, v in data.items()}
                _, outputs = teacher_records(algorithm, batch, args.amp)
                for i, record in zip(todo, outputs):
                    writer.put(keys[i], record)
                    done.add(keys[i])
            if progress is not None:
                for _ in keys:
                    progress.update()
            if args.max_views is not None and writer.written >= args.max_views:
                break
    finally:
        writer.close()
    seconds = time.perf_counter() - start
    print(f'\nrank {rank}: wrote {writer.written} views in '
          f'{len(writer.paths)} shards, skipped {skipped} stored views, '
          f'{seconds:.1f} s ({seconds / max(writer.written, 1):.3f} s per '
          'written view)', flush=True)
    if world_size > 1:
        barrier()
    if rank == 0:
        store = PackedTeacherStore(args.out, fingerprint)
        tmp = glob.glob(osp.join(store.directory, '.*.tmp'))
        print(f'store {store.directory}: {len(store)} views of '
              f'{len(dataset) * num_views} ({len(dataset)} clips x '
              f'{num_views} views); fingerprint {fingerprint}' +
              (f'; {len(tmp)} temporary files of interrupted runs may be '
               'deleted when no writer runs' if tmp else ''), flush=True)


if __name__ == '__main__':
    main()
