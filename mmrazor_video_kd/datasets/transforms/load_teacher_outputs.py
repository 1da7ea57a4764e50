"""Attach stored teacher outputs to each sample, in the data-loader workers."""
from typing import Optional, Sequence

from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...utils.teacher_keys import VIEW_KEYS, view_key
from ..teacher_store import AUTO, PackedTeacherStore, resolve_fingerprint

#: ``PackActionInputs(meta_keys=...)`` of a pipeline whose views are keyed.
DEFAULT_META_KEYS = ('img_shape', 'filename', 'view_index', 'frame_inds',
                     'crop_bbox', 'flip', 'flip_direction')


class TeacherOutputsMissingError(KeyError):
    """A view of a clip is not in the packed teacher-output store."""

    def __str__(self) -> str:
        return str(self.args[0])


@TRANSFORMS.register_module()
class LoadTeacherOutputs(BaseTransform):
    """Attach the stored teacher outputs of the sample's view.

    Place it after the random transforms (``FixedViews``), just before
    ``PackActionInputs``, and list ``'teacher_outputs'`` in
    ``PackActionInputs(algorithm_keys=...)``: the data sample then carries
    ``teacher_outputs = dict(view_key=..., outputs={name: tensor})``, read
    by :class:`~mmrazor_video_kd.models.algorithms.StoredTeacherDistill`.
    The store is read here, in the data-loader workers (memory-mapped,
    opened lazily in each process), so batches arrive with their teacher
    outputs already loaded.

    The view key is :func:`view_key` of the keys ``meta_keys`` takes from
    the results, i.e. of the metainfo that ``PackActionInputs`` with the
    same ``meta_keys`` builds; the algorithm checks that both agree.

    Args:
        store_root (str): Root of the packed store (as given to
            ``TeacherStoreWriter`` and
            ``tools/precompute_teacher_outputs.py``).
        fingerprint (str): The teacher's fingerprint (printed by
            ``tools/precompute_teacher_outputs.py``), or ``'auto'``: the one
            teacher under ``store_root``, resolved when the first sample is
            loaded. Defaults to ``'auto'``.
        meta_keys (Sequence[str]): The ``meta_keys`` of the pipeline's
            ``PackActionInputs``. Defaults to :data:`DEFAULT_META_KEYS`.
        required (bool): Raise :class:`TeacherOutputsMissingError` for a view
            that is not stored; False leaves the sample without teacher
            outputs. Defaults to True.
        key (str): Results key of the attached outputs. Defaults to
            ``'teacher_outputs'``.
    """

    def __init__(self,
                 store_root: str,
                 fingerprint: str = AUTO,
                 meta_keys: Sequence[str] = DEFAULT_META_KEYS,
                 required: bool = True,
                 key: str = 'teacher_outputs') -> None:
        if not fingerprint:
            raise ValueError(
                'LoadTeacherOutputs: fingerprint is required (printed by '
                'tools/precompute_teacher_outputs.py)')
        missing = [k for k in ('filename', 'frame_inds') if k not in meta_keys]
        if missing:
            raise ValueError(f'LoadTeacherOutputs: meta_keys lacks {missing}; '
                             'use the meta_keys of PackActionInputs, which '
                             f'must carry the view ({VIEW_KEYS})')
        self.store_root = store_root
        self.fingerprint = fingerprint
        self.meta_keys = tuple(meta_keys)
        self.required = required
        self.key = key
        self.store = None

    def transform(self, results: dict) -> Optional[dict]:
        if self.store is None:
            self.store = PackedTeacherStore(
                self.store_root,
                resolve_fingerprint(self.store_root, self.fingerprint))
        metainfo = {k: results[k] for k in self.meta_keys if k in results}
        key = view_key(metainfo)
        outputs = self.store.get(key)
        if outputs is None:
            if self.required:
                raise TeacherOutputsMissingError(
                    f'no stored teacher outputs for clip '
                    f'{results.get("filename")!r} '
                    f'(view {results.get("view_index")}, key {key}) in '
                    f'{self.store.directory}; run '
                    'tools/precompute_teacher_outputs.py with this training '
                    'pipeline and the same FixedViews(num_views=...)')
            return results
        results[self.key] = dict(view_key=key, outputs=outputs)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(store_root={self.store_root!r}, '
                f'fingerprint={self.fingerprint[:16]!r}, '
                f'required={self.required})')
