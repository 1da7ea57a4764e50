"""Cost of the packed teacher-output store's index at scale: bytes per view,
time and memory to open the store, and time per lookup.

Writes ``--views`` synthetic views (10 float16 logits each, sha256 keys) in
shards of ``--shard-size`` views into a temporary store, then opens it in a
fresh process (as every DDP rank x data-loader worker does) and reports a
Markdown table. Peak memory is ``ru_maxrss`` after opening minus before;
retained memory is the resident set (``/proc/self/statm``) after minus
before, split into private memory and file-backed shared pages (the
memory-mapped shards, i.e. page cache that all processes share; the kernel
maps up to 64 KiB around each touched page). ``--module`` reads and writes
with another implementation of ``TeacherStoreWriter`` and
``PackedTeacherStore`` (e.g. a previous shard format version checked out
into a package on ``PYTHONPATH``).

Example:
    python tools/analysis/teacher_store_index.py --views 1000000
"""
import argparse
import glob
import hashlib
import importlib
import json
import os
import os.path as osp
import struct
import subprocess
import sys
import tempfile
import time

FP = '0' * 64
MODULE = 'mmrazor_video_kd.datasets.teacher_store'
FOOTER = struct.Struct('<QQ8s')  # index offset, index length, magic

OPEN = '''
import hashlib, json, os, random, resource, sys, time
import torch
torch.set_num_threads(1)
module, root, fp, views, lookups = sys.argv[1:]
views, lookups = int(views), int(lookups)
store_cls = __import__(module, fromlist=['x']).PackedTeacherStore
def rss():
    with open('/proc/self/statm') as f:
        resident, shared = f.read().split()[1:3]
    page = os.sysconf('SC_PAGE_SIZE')
    return (int(resident) - int(shared)) * page, int(shared) * page
def key(i):
    return hashlib.sha256(i.to_bytes(8, 'little')).hexdigest()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
private, mapped = rss()
store = store_cls(root, fp)
start = time.perf_counter()
store.refresh()
open_s = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak
private, mapped = rss()[0] - private, rss()[1] - mapped
rng = random.Random(0)
times = {}
for kind, first in (('hit', 0), ('miss', views)):
    keys = [key(first + rng.randrange(views)) for _ in range(lookups)]
    start = time.perf_counter()
    found = sum(store.get(k) is not None for k in keys)
    times[kind] = (time.perf_counter() - start) / lookups
    assert found == (lookups if kind == 'hit' else 0), (kind, found)
print(json.dumps(dict(open_s=open_s, peak_kib=peak, private=private,
                      mapped=mapped,
                      views=len(store), **times)))
'''


def view_key(i: int) -> str:
    """The key (64 hex characters) of synthetic view ``i``."""
    return hashlib.sha256(i.to_bytes(8, 'little')).hexdigest()


def write_store(module, root: str, views: int, shard_size: int) -> float:
    """Write ``views`` tiny records into ``root``.

    Args:
        module: Module with ``TeacherStoreWriter``.
        root (str): Store directory.
        views (int): Number of views.
        shard_size (int): Views per shard.

    Returns:
        float: Seconds taken.
    """
    import torch
    logits = torch.randn(10)
    storage = dict(logits=dict(dtype='float16'))
    start = time.perf_counter()
    for first in range(0, views, shard_size):
        with module.TeacherStoreWriter(root,
                                       FP,
                                       storage,
                                       name=f'rank0-{first:09d}') as writer:
            for i in range(first, min(first + shard_size, views)):
                writer.put(view_key(i), dict(logits=logits))
    return time.perf_counter() - start


def index_bytes(root: str) -> int:
    """Bytes from each shard's index (header) offset to its end, summed.

    Args:
        root (str): Store directory.

    Returns:
        int: Index bytes of all shards, footers included.
    """
    total = 0
    for path in glob.glob(osp.join(root, '*', '*.shard')):
        with open(path, 'rb') as f:
            f.seek(-FOOTER.size, os.SEEK_END)
            offset = FOOTER.unpack(f.read())[0]
        total += osp.getsize(path) - offset
    return total


def open_in_fresh_process(module: str, root: str, views: int,
                          lookups: int) -> dict:
    """Open the store in a new interpreter and time lookups there.

    Args:
        module (str): Module with ``PackedTeacherStore``.
        root (str): Store directory.
        views (int): Number of stored views.
        lookups (int): Number of ``get`` calls timed, for stored and for
            absent keys each.

    Returns:
        dict: ``open_s``, ``peak_kib``, ``private`` and ``mapped`` (bytes
        retained), ``hit`` and
        ``miss`` (seconds per ``get``) and ``views`` (``len(store)``).
    """
    env = dict(os.environ, OMP_NUM_THREADS='1')
    out = subprocess.run([
        sys.executable, '-c', OPEN, module, root, FP,
        str(views),
        str(lookups)
    ],
                         capture_output=True,
                         text=True,
                         env=env,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--views', type=int, default=1_000_000)
    parser.add_argument('--shard-size', type=int, default=1000)
    parser.add_argument('--lookups', type=int, default=10_000)
    parser.add_argument('--module',
                        default=MODULE,
                        help='module providing TeacherStoreWriter and '
                        f'PackedTeacherStore (default {MODULE})')
    args = parser.parse_args()
    module = importlib.import_module(args.module)
    with tempfile.TemporaryDirectory() as root:
        write_s = write_store(module, root, args.views, args.shard_size)
        size = index_bytes(root)
        got = open_in_fresh_process(args.module, root, args.views,
                                    args.lookups)
    assert got['views'] == args.views, got
    shards = -(-args.views // args.shard_size)
    print(f'{args.views} views in {shards} shards via {args.module} '
          f'(written in {write_s:.1f} s)\n')
    print('| index bytes per view | open (refresh) s | peak RSS added MiB | '
          'private RSS retained MiB | shared mapped RSS MiB | get hit us | '
          'get miss us |')
    print('|---|---|---|---|---|---|---|')
    mib = 2**20
    print(f'| {size / args.views:.1f} | {got["open_s"]:.3f} | '
          f'{got["peak_kib"] / 1024:.1f} | {got["private"] / mib:.1f} | '
          f'{got["mapped"] / mib:.1f} | {got["hit"] * 1e6:.1f} | '
          f'{got["miss"] * 1e6:.1f} |')


if __name__ == '__main__':
    main()
