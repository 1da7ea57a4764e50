"""``teacher.json``: which teacher filled a store directory, checked by
training without reading the teacher's weights."""
import glob
import json
import os
import os.path as osp
from typing import Optional, Union

from ...utils.teacher_keys import path_independent
from .shard_writer import store_directory

#: File of a store directory that records which teacher filled it.
TEACHER_RECORD = 'teacher.json'
#: ``fingerprint`` value that selects the one teacher of a store root.
AUTO = 'auto'


class StoredTeacherError(RuntimeError):
    """The stored teacher outputs do not fit the configured teacher."""


def teacher_record(teacher: Union[dict, list, None],
                   teacher_ckpt: Union[str, list, None]) -> dict:
    """What identifies a teacher without reading its weights.

    Args:
        teacher (dict | list | None): The teacher config (or the configs of
            several teachers); files it names are identified by content
            (:func:`~mmrazor_video_kd.utils.path_independent`).
        teacher_ckpt (str | list | None): Checkpoint path(s), identified by
            resolved path, size and modification time.

    Returns:
        dict: ``dict(teacher=..., teacher_ckpt=...)``, JSON-serialisable.
    """
    def checkpoint(path):
        if not path:
            return None
        stat = os.stat(path)
        return dict(path=osp.realpath(path), size=stat.st_size,
                    mtime_ns=stat.st_mtime_ns)

    ckpt = ([checkpoint(p) for p in teacher_ckpt] if isinstance(
        teacher_ckpt, (list, tuple)) else checkpoint(teacher_ckpt))
    return dict(teacher=json.loads(json.dumps(
        path_independent(teacher), sort_keys=True, default=str)),
                teacher_ckpt=ckpt)


def write_teacher_record(directory: str, fingerprint: str,
                         teacher: Union[dict, list, None],
                         teacher_ckpt: Union[str, list, None]) -> str:
    """Write ``teacher.json`` (fingerprint and :func:`teacher_record`) into
    a store directory (``store_directory(root, fingerprint)``); the producer
    of the store calls it. Returns the file's path."""
    os.makedirs(directory, exist_ok=True)
    path = osp.join(directory, TEACHER_RECORD)
    tmp = f'{path}.{os.getpid()}.tmp'
    with open(tmp, 'w') as file:
        json.dump(dict(fingerprint=fingerprint,
                       **teacher_record(teacher, teacher_ckpt)), file,
                  indent=1, sort_keys=True)
    os.replace(tmp, path)
    return path


def resolve_fingerprint(store_root: str, fingerprint: str = AUTO) -> str:
    """The fingerprint to read: ``fingerprint`` itself, or with ``'auto'``
    that of the one teacher whose ``teacher.json`` is under ``store_root``.

    Raises:
        StoredTeacherError: ``'auto'`` and no teacher or several teachers
            under ``store_root``.
    """
    if fingerprint != AUTO:
        return fingerprint
    records = sorted(glob.glob(osp.join(store_root, '*', TEACHER_RECORD)))
    if len(records) == 1:
        with open(records[0]) as file:
            return json.load(file)['fingerprint']
    if not records:
        raise StoredTeacherError(
            f'no teacher outputs under {store_root!r} (no */{TEACHER_RECORD})'
            ': fill it with tools/precompute_teacher_outputs.py CONFIG '
            '(its --out defaults to model.store_root)')
    raise StoredTeacherError(
        f'{store_root!r} holds the outputs of {len(records)} teachers '
        f'({[osp.basename(osp.dirname(r)) for r in records]}); with '
        "fingerprint='auto' a store root holds one: use another "
        'model.store_root per teacher, or set the fingerprint printed by '
        'tools/precompute_teacher_outputs.py')


def check_teacher_record(store_root: str, fingerprint: str,
                         teacher: Union[dict, list, None],
                         teacher_ckpt: Union[str, list, None],
                         required: bool = True) -> Optional[str]:
    """Compare a store's ``teacher.json`` with the configured teacher.

    Args:
        store_root (str): Root of the store.
        fingerprint (str): The stored teacher's fingerprint.
        teacher, teacher_ckpt: The configured teacher (see
            :func:`teacher_record`).
        required (bool): A missing ``teacher.json`` is an error; else the
            path of the missing file is returned. Defaults to True.

    Returns:
        str | None: None if the record exists and fits.

    Raises:
        StoredTeacherError: naming the file and what differs.
    """
    path = osp.join(store_directory(store_root, fingerprint), TEACHER_RECORD)
    if not osp.isfile(path):
        if required:
            raise StoredTeacherError(
                f'{path} is missing: fill the store with '
                'tools/precompute_teacher_outputs.py')
        return path
    with open(path) as file:
        stored = json.load(file)
    current = dict(fingerprint=fingerprint,
                   **teacher_record(teacher, teacher_ckpt))
    differ = sorted(k for k in current if stored.get(k) != current[k])
    if differ:
        raise StoredTeacherError(
            f'{path} was written for another teacher: {differ} differ '
            f'(stored {[stored.get(k) for k in differ]}, configured '
            f'{[current[k] for k in differ]}); refill the store with '
            'tools/precompute_teacher_outputs.py')
    return None
