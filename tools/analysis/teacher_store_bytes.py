"""Bytes per clip view of the packed teacher-output store, per storage
option, and the top-k distillation-loss error.

Records shaped like Kinetics-400 teacher outputs: 400 logits and a 2048-d
pooled feature, or a TSM-R50 feature map (8 segments x 2048 x 7 x 7).
Values are random (peaked logits: one dominant class plus N(0, 2^2)), so the
top-k rows measure this synthetic distribution, not a trained teacher.

Example:
    python tools/analysis/teacher_store_bytes.py --views 16
"""
import argparse
import hashlib
import io
import os
import tempfile
import time

import torch

from mmrazor_video_kd.datasets.teacher_store import (PackedTeacherStore,
                                                     TeacherStoreWriter,
                                                     decode_topk, encode_topk,
                                                     topk_kd_loss_bound,
                                                     topk_tail_mass)
from mmrazor_video_kd.models.losses import SoftLabelDistillLoss

FP = '0' * 64
OPTIONS = {
    'float32': {},
    'float16':
    dict(dtype='float16'),
    'bfloat16':
    dict(dtype='bfloat16'),
    'logits top-10 (float32), rest float16':
    dict(dtype='float16', logits=dict(topk=10, temperature=4.0)),
    'logits top-10 (float16), rest float16':
    dict(dtype='float16',
         logits=dict(dtype='float16', topk=10, temperature=4.0)),
}


def peaked_logits(n, num_classes=400, seed=0):
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(n, num_classes, generator=gen) * 2
    logits[torch.arange(n),
           torch.randint(num_classes, (n, ), generator=gen)] += 12
    return logits


def record(kind, seed):
    gen = torch.Generator().manual_seed(seed)
    out = dict(logits=peaked_logits(1, seed=seed))
    if kind == 'pooled':
        out['feats'] = torch.randn(1, 2048, generator=gen)
    else:
        out['feats'] = torch.randn(8, 2048, 7, 7, generator=gen)
    return out


def key(i):
    """The view key (64 hex characters) of synthetic view ``i``."""
    return hashlib.sha256(f'view{i}'.encode()).hexdigest()


def storage_of(option):
    spec = dict(OPTIONS[option])
    dtype = spec.pop('dtype', 'float32')
    storage = dict(logits=dict(dtype=dtype), feats=dict(dtype=dtype))
    storage.update(spec)
    return storage


def bytes_per_view(kind, option, views):
    with tempfile.TemporaryDirectory() as root:
        with TeacherStoreWriter(root, FP, storage_of(option)) as writer:
            for i in range(views):
                writer.put(key(i), record(kind, i))
        store = PackedTeacherStore(root, FP)
        start = time.perf_counter()
        for i in range(views):
            store.get(key(i))
        read_ms = (time.perf_counter() - start) / views * 1e3
        return os.path.getsize(writer.path) / views, read_ms


def pt_bytes(kind):
    buffer = io.BytesIO()
    torch.save(record(kind, 0), buffer)
    return len(buffer.getvalue())


def topk_rows(n=256):
    rows = []
    teacher = peaked_logits(n, seed=1)
    student = peaked_logits(n, seed=2) * 0.5
    for t in (1.0, 4.0):
        full = SoftLabelDistillLoss(temperature=t)(student, teacher)
        for k in (5, 10, 20, 50):
            values, indices, lse = encode_topk(teacher, k, t)
            rebuilt = decode_topk(values, indices, lse, 400, t)
            topk = SoftLabelDistillLoss(temperature=t)(student, rebuilt)
            mass = topk_tail_mass(values, lse, t)
            bound = topk_kd_loss_bound(student, indices, mass, t).mean()
            rows.append(f'| {t:g} | {k} | {mass.mean():.4f} | '
                        f'{abs(full - topk) / full:.2e} | '
                        f'{abs(full - topk):.4f} | {bound:.4f} |')
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--views', type=int, default=16)
    args = parser.parse_args()
    torch.set_num_threads(1)
    for kind, title in (('pooled', '400 logits + 2048-d pooled feature'),
                        ('map', '400 logits + 8x2048x7x7 feature map')):
        print(f'\n{title}; one .pt file per view (torch.save): '
              f'{pt_bytes(kind)} bytes\n')
        print('| storage | bytes per view | read ms per view |')
        print('|---|---|---|')
        for option in OPTIONS:
            size, read_ms = bytes_per_view(kind, option, args.views)
            print(f'| {option} | {size:.0f} | {read_ms:.2f} |')
    print('\nKL loss on top-k logits against full logits '
          '(SoftLabelDistillLoss, 256 clips, batch mean)\n')
    print('| T | k | mean tail mass | relative error | absolute error | '
          'bound |')
    print('|---|---|---|---|---|---|')
    print('\n'.join(topk_rows()))


if __name__ == '__main__':
    main()
