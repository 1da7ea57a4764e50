"""Packed teacher-output store: round trips, keys, atomic shards, readers in
several processes."""
import glob
import hashlib
import json
import multiprocessing
import os
import os.path as osp
import re
import signal
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn as nn

from mmrazor_video_kd.datasets.teacher_store import (PackedTeacherStore,
                                                     ShardFormatError,
                                                     TeacherStoreWriter,
                                                     teacher_fingerprint,
                                                     view_key)
from mmrazor_video_kd.datasets.teacher_store.shard_format import FOOTER, MAGIC

FP = 'f' * 64
META = dict(filename='clips/a.mp4',
            view_index=1,
            frame_inds=np.arange(8),
            clip_len=8,
            num_clips=1,
            frame_interval=2,
            crop_bbox=np.array([10, 20, 234, 244]),
            img_shape=(224, 224),
            flip=False,
            flip_direction=None)


def outputs(seed):
    gen = torch.Generator().manual_seed(seed)
    return dict(logits=torch.randn(1, 400, generator=gen) * 4,
                feats=torch.randn(8, 2048, 3, 3, generator=gen))


def K(name):
    """A view key (64 hex characters) named after ``name``."""
    return hashlib.sha256(name.encode()).hexdigest()


def write(root, records, storage=None, fingerprint=FP, name=None):
    with TeacherStoreWriter(root, fingerprint, storage, name=name) as writer:
        for key, value in records.items():
            writer.put(key, value)
    return writer.path


def digest(tensors):
    sha = hashlib.sha256()
    for name in sorted(tensors):
        sha.update(tensors[name].numpy().tobytes())
    return sha.hexdigest()


def test_float32_round_trip_is_exact(tmp_path):
    records = {K(f'view{i}'): outputs(i) for i in range(5)}
    write(str(tmp_path), dict(list(records.items())[:3]), name='rank0')
    write(str(tmp_path), dict(list(records.items())[3:]), name='rank1')
    assert len(glob.glob(str(tmp_path / '*' / '*.shard'))) == 2
    store = PackedTeacherStore(str(tmp_path), FP)
    assert len(store) == 5
    for key, expected in records.items():
        got = store.get(key)
        assert set(got) == set(expected)
        for name in expected:
            assert got[name].dtype == torch.float32
            assert torch.equal(got[name], expected[name])
    assert store.get(K('other')) is None
    assert (store.hits, store.misses) == (5, 1)


@pytest.mark.parametrize('dtype,bound', [('float16', 2**-11),
                                         ('bfloat16', 2**-8)])
def test_half_precision_within_rounding_bound(tmp_path, dtype, bound):
    value = outputs(0)
    # float16's relative bound holds for normal values, |x| >= 2^-14.
    value['feats'] = value['feats'].sign() * value['feats'].abs().clamp(
        min=2**-14)
    write(str(tmp_path), {K('v'): value}, dict(feats=dict(dtype=dtype)))
    got = PackedTeacherStore(str(tmp_path), FP).get(K('v'))
    assert torch.equal(got['logits'], value['logits'])  # float32 default
    error = (got['feats'] - value['feats']).abs() / value['feats'].abs()
    assert error.max().item() <= bound
    assert error.max().item() > 0


def test_float16_overflow_names_the_view_and_tensor(tmp_path):
    writer = TeacherStoreWriter(str(tmp_path), FP,
                                dict(feats=dict(dtype='float16')))
    with pytest.raises(ValueError, match=f"view {K('v1')}: 'feats'.*float16"):
        writer.put(K('v1'), dict(feats=torch.tensor([1e5])))
    writer.abort()
    assert not os.listdir(writer.directory)


def test_bad_storage_names_the_tensor():
    with pytest.raises(ValueError, match="'logits'.*dtype"):
        TeacherStoreWriter('unused', FP, dict(logits=dict(dtype='int8')))
    with pytest.raises(ValueError, match="'logits'.*unknown keys"):
        TeacherStoreWriter('unused', FP, dict(logits=dict(top_k=5)))
    with pytest.raises(ValueError, match="'logits'.*temperature"):
        TeacherStoreWriter('unused', FP, dict(logits=dict(topk=5)))


@pytest.mark.parametrize('change', [
    dict(crop_bbox=np.array([12, 20, 236, 244])),
    dict(flip=True),
    dict(frame_inds=np.arange(8) + 1),
    dict(view_index=2),
    dict(filename='clips/b.mp4'),
])
def test_changed_view_misses(tmp_path, change):
    write(str(tmp_path), {view_key(META): outputs(0)})
    store = PackedTeacherStore(str(tmp_path), FP)
    assert store.get(view_key(dict(META))) is not None
    assert store.get(view_key(dict(META, **change))) is None


def test_changed_teacher_misses(tmp_path):
    teacher = nn.Linear(4, 3)
    config = dict(type='Linear', in_features=4)
    fingerprint = teacher_fingerprint(teacher, config)
    key = view_key(META)
    write(str(tmp_path), {key: outputs(0)}, fingerprint=fingerprint)
    assert PackedTeacherStore(str(tmp_path), fingerprint).get(key) is not None
    with torch.no_grad():
        teacher.weight[0, 0] += 1e-6
    changed_weight = teacher_fingerprint(teacher, config)
    changed_config = teacher_fingerprint(teacher, dict(config, bias=False))
    for other in (changed_weight, changed_config):
        store = PackedTeacherStore(str(tmp_path), other)
        assert other != fingerprint
        assert len(store) == 0 and store.get(key) is None


def test_fingerprint_is_checked_in_full(tmp_path):
    # Same folder (first 16 characters), another teacher: no hit.
    write(str(tmp_path), {K('v'): outputs(0)}, fingerprint='a' * 64)
    store = PackedTeacherStore(str(tmp_path), 'a' * 16 + 'b' * 48)
    assert store.directory == PackedTeacherStore(str(tmp_path),
                                                 'a' * 64).directory
    assert store.get(K('v')) is None


def _write_then_die(root):
    writer = TeacherStoreWriter(root, FP, name='rank1')
    for i in range(3):
        writer.put(K(f'new{i}'), outputs(10 + i))
    writer._file.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def test_killed_writer_leaves_no_shard(tmp_path):
    root = str(tmp_path)
    first = write(root, {K('old'): outputs(0)}, name='rank0')
    with open(first, 'rb') as f:
        before = f.read()
    process = multiprocessing.get_context('fork').Process(
        target=_write_then_die, args=(root, ))
    process.start()
    process.join(60)
    assert process.exitcode == -signal.SIGKILL
    folder = osp.dirname(first)
    assert sorted(os.listdir(folder)) == ['.rank1.shard.tmp', 'rank0.shard']
    with open(first, 'rb') as f:
        assert f.read() == before
    store = PackedTeacherStore(root, FP)
    assert store.keys() == [K('old')]
    assert torch.equal(store.get(K('old'))['feats'], outputs(0)['feats'])


def test_truncated_shard_is_reported(tmp_path):
    path = write(str(tmp_path), {K('v'): outputs(0)}, name='rank0')
    with open(path, 'r+b') as f:
        f.truncate(os.path.getsize(path) - 3)
    with pytest.raises(ShardFormatError, match='rank0.shard'):
        len(PackedTeacherStore(str(tmp_path), FP))
    assert len(PackedTeacherStore(str(tmp_path), FP, strict=False)) == 0


def test_shards_are_never_overwritten(tmp_path):
    write(str(tmp_path), {K('v'): outputs(0)}, name='rank0')
    with pytest.raises(FileExistsError, match='rank0.shard'):
        TeacherStoreWriter(str(tmp_path), FP, name='rank0')


READER = '''
import hashlib, sys, time
from mmrazor_video_kd.datasets.teacher_store import PackedTeacherStore
store = PackedTeacherStore(sys.argv[1], sys.argv[2])
while time.time() < float(sys.argv[3]):
    time.sleep(0.01)
for key in sorted(store.keys()):
    sha = hashlib.sha256()
    for name, tensor in sorted(store.get(key).items()):
        sha.update(tensor.numpy().tobytes())
    print(key, sha.hexdigest())
'''


def test_two_processes_read_the_same_values(tmp_path):
    import time
    records = {K(f'view{i}'): outputs(i) for i in range(6)}
    write(
        str(tmp_path), records,
        dict(logits=dict(dtype='float16', topk=10, temperature=4.0),
             feats=dict(dtype='bfloat16')))
    expected = PackedTeacherStore(str(tmp_path), FP)
    lines = sorted(f'{k} {digest(expected.get(k))}' for k in records)
    # Both readers start reading at the same moment (after start-up).
    start = str(time.time() + 15)
    env = dict(os.environ, OMP_NUM_THREADS='1')
    readers = [
        subprocess.Popen(
            [sys.executable, '-c', READER,
             str(tmp_path), FP, start],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env) for _ in range(2)
    ]
    for reader in readers:
        out, err = reader.communicate(timeout=300)
        assert reader.returncode == 0, err[-2000:]
        assert out.split('\n')[:-1] == lines


def test_forked_workers_read_through_an_open_store(tmp_path):
    records = {K(f'view{i}'): outputs(i) for i in range(4)}
    write(str(tmp_path), records)
    store = PackedTeacherStore(str(tmp_path), FP)
    assert len(store) == 4  # opened in the parent, like a dataset
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    # Forked like data-loader workers: they inherit the open store as is.
    workers = [
        context.Process(target=_read_all, args=(store, queue))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    got = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    expected = [digest(records[k]) for k in sorted(records)]
    assert got == [expected, expected]
    # Pickled (spawned workers): the maps are reopened in the new process.
    import pickle
    clone = pickle.loads(pickle.dumps(store))
    assert digest(clone.get(K('view0'))) == digest(records[K('view0')])


def _read_all(store, queue):
    queue.put([digest(store.get(k)) for k in sorted(store.keys())])


def test_new_shards_are_seen_after_refresh(tmp_path):
    write(str(tmp_path), {K('a'): outputs(0)}, name='rank0')
    store = PackedTeacherStore(str(tmp_path), FP)
    assert store.get(K('b')) is None
    write(str(tmp_path), {K('b'): outputs(1)}, name='rank1')
    store.refresh()
    assert torch.equal(store.get(K('b'))['logits'], outputs(1)['logits'])


def test_bytes_table_script_runs(capsys, monkeypatch):
    from conftest import load_script
    script = load_script('tools/analysis/teacher_store_bytes.py')
    monkeypatch.setattr(sys, 'argv',
                        ['teacher_store_bytes.py', '--views', '2'])
    script.main()
    out = capsys.readouterr().out
    # 400 + 2048 float32 values, the index and the shard's fixed bytes.
    size = int(out.split('| float32 | ')[1].split(' ')[0])
    assert 9792 < size < 9792 + 1024
    assert '| 4 | 50 |' in out


def test_a_view_is_written_once_per_shard_and_served_once(tmp_path):
    with TeacherStoreWriter(str(tmp_path), FP, name='rank0') as writer:
        assert writer.put(K('v'), outputs(0))
        assert not writer.put(K('v'), outputs(1))
        assert K('v') in writer and len(writer) == 1
    records = {K('v'): outputs(0), K('w'): outputs(2)}
    write(str(tmp_path), records, name='rank1')
    store = PackedTeacherStore(str(tmp_path), FP)
    assert store.keys() == sorted([K('v'), K('w')])
    assert torch.equal(store.get(K('v'))['logits'], outputs(0)['logits'])


def test_version_1_shard_is_refused(tmp_path):
    folder = tmp_path / FP[:16]
    folder.mkdir()
    index = json.dumps(dict(version=1, fingerprint=FP, storage={},
                            records={})).encode()
    (folder / 'old.shard').write_bytes(MAGIC + index +
                                       FOOTER.pack(8, len(index), MAGIC))
    with pytest.raises(ShardFormatError,
                       match=r'old\.shard: shard format version 1; .*'
                       r'version 2'):
        len(PackedTeacherStore(str(tmp_path), FP))
    assert len(PackedTeacherStore(str(tmp_path), FP, strict=False)) == 0


BAD_KEYS = ['v', 'g' * 64, K('v')[:-1], K('v') + '0', ' ' + K('v')[1:], 7]


@pytest.mark.parametrize('key', BAD_KEYS)
def test_a_key_that_is_not_64_hex_characters_is_refused(tmp_path, key):
    writer = TeacherStoreWriter(str(tmp_path), FP)
    with pytest.raises(ValueError, match=re.escape(repr(key))):
        writer.put(key, outputs(0))
    assert key not in writer and len(writer) == 0
    writer.abort()


def test_a_key_in_two_shards_is_served_by_the_first_by_name(tmp_path):
    write(str(tmp_path), {K('d'): outputs(1), K('b'): outputs(2)}, name='b')
    write(str(tmp_path), {K('d'): outputs(0), K('a'): outputs(3)}, name='a')
    store = PackedTeacherStore(str(tmp_path), FP)
    assert len(store) == 3
    assert store.keys() == sorted([K('a'), K('b'), K('d')])
    assert torch.equal(store.get(K('d'))['logits'], outputs(0)['logits'])
    assert torch.equal(store.get(K('b'))['logits'], outputs(2)['logits'])


def test_a_key_with_the_prefix_of_a_stored_key_misses(tmp_path):
    stored, other = ('0123456789abcdef' + K(n)[16:] for n in 'xy')
    write(str(tmp_path), {stored: outputs(0), K('z'): outputs(1)})
    store = PackedTeacherStore(str(tmp_path), FP)
    assert store.get(other) is None and other not in store
    assert torch.equal(store.get(stored)['logits'], outputs(0)['logits'])
    # Equal prefixes in several shards, one key in two of them.
    write(str(tmp_path), {other: outputs(2), stored: outputs(3)}, name='z')
    store.refresh()
    assert len(store) == 3
    assert torch.equal(store.get(stored)['logits'], outputs(0)['logits'])
    assert torch.equal(store.get(other)['logits'], outputs(2)['logits'])


def test_records_may_lack_a_name_but_keep_its_ndim(tmp_path):
    with TeacherStoreWriter(str(tmp_path), FP) as writer:
        writer.put(K('a'), dict(logits=torch.ones(1, 3)))
        writer.put(K('b'), dict(feats=torch.zeros(2), logits=torch.ones(1, 2)))
        with pytest.raises(ValueError, match=f"view {K('c')}: 'logits'"):
            writer.put(K('c'), dict(logits=torch.ones(3)))
    store = PackedTeacherStore(str(tmp_path), FP)
    assert set(store.get(K('a'))) == {'logits'}
    assert torch.equal(store.get(K('b'))['feats'], torch.zeros(2))


def test_thousands_of_random_keys_round_trip(tmp_path):
    rng = np.random.default_rng(0)

    def random_keys(n):
        return [bytes(k).hex() for k in rng.integers(0, 256, (n, 32), 'u1')]

    keys = random_keys(3000)
    values = torch.randn(3000, 2, 5)
    records = [(k, dict(logits=v)) for k, v in zip(keys, values)]
    for shard, start in enumerate(range(0, 3000, 1000)):
        chunk = dict(records[start:start + 1000])
        write(str(tmp_path), chunk, name=f'rank{shard}')
    store = PackedTeacherStore(str(tmp_path), FP)
    assert len(store) == 3000 and store.keys() == sorted(keys)
    for key, value in zip(keys, values):
        assert torch.equal(store.get(key)['logits'], value)
    absent = random_keys(1000)
    assert all(store.get(key) is None for key in absent)
    assert (store.hits, store.misses) == (3000, 1000)
    import pickle
    clone = pickle.loads(pickle.dumps(store))
    for key, value in zip(keys, values):
        assert torch.equal(clone.get(key)['logits'], value)
    assert clone.get(absent[0]) is None
