"""Skeleton heatmap volumes for the sampled frames of a video."""
import os.path as osp
from typing import Dict, Optional, Sequence

import mmengine
import numpy as np
from mmaction.datasets.transforms import GeneratePoseTarget
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class LoadSkeletonHeatmaps(BaseTransform):
    """Render the 2D skeletons of the sampled frames as heatmap volumes,
    aligned with the RGB frames of the same sample.

    Keypoints come from an MMAction2 pose annotation file (the format of
    ``PoseDataset``: a pickle holding a list of annotations, or a dict with
    an ``annotations`` list; each annotation has ``frame_dir``,
    ``total_frames``, ``img_shape`` ``(H, W)``, ``keypoint`` ``(M, T, V, 2)``
    in pixels and optionally ``keypoint_score`` ``(M, T, V)``). A video's
    annotation is the one whose ``frame_dir`` is the video's file stem
    (``videos/abc.mp4`` -> ``abc``).

    Only the frames of ``results['frame_inds']`` are used (the indices that
    ``SampleFrames`` made and ``DecordDecode`` decodes), so the heatmaps line
    up with the RGB frames in time. In space, the keypoints are scaled from
    the annotation's ``img_shape`` to the decoded frame
    (``results['original_shape']``, when present), moved into the crop
    recorded in ``crop_quadruple`` (``RandomCrop``, ``CenterCrop``,
    ``RandomResizedCrop``, ``MultiScaleCrop``) and scaled to ``size``; a
    horizontal ``flip`` mirrors the rendered heatmaps column by column, as
    ``Flip`` mirrors the images, and swaps the ``left_kp``/``right_kp``
    channels. Place it after the spatial transforms of the RGB frames.

    Heatmaps are drawn by MMAction2's :class:`GeneratePoseTarget`
    (``heatmap`` holds its arguments), and formatted like
    ``FormatShape('NCTHW_Heatmap')``: ``(num_clips, V, T, H, W)`` float32 in
    ``results[key]``, with ``frames_per_clip`` frames per clip (None: all
    sampled frames form one clip, e.g. the 8 segments of TSN/TSM
    sampling). ``PackActionInputs(collect_keys=('imgs', 'skeleton'))`` then
    packs RGB and skeleton as two views of one sample.

    Required keys: ``filename``, ``frame_inds``; optional
    ``total_frames``, ``original_shape``, ``crop_quadruple``, ``flip``,
    ``flip_direction``. Added keys: ``results[key]``.

    Args:
        ann_file (str): The pose annotation pickle.
        size (Sequence[int]): Output ``(W, H)`` of the heatmaps.
        heatmap (dict, optional): ``GeneratePoseTarget`` arguments (sigma,
            use_score, with_kp, with_limb, skeletons, left_kp, right_kp,
            ...) with one of ``with_kp``/``with_limb``; ``double`` is not
            supported. Defaults to ``GeneratePoseTarget``'s defaults (17
            COCO joints).
        frames_per_clip (int, optional): Frames of one clip. Defaults to
            None (all sampled frames in one clip).
        key (str): Results key of the heatmaps. Defaults to 'skeleton'.
    """

    def __init__(self,
                 ann_file: str,
                 size: Sequence[int] = (56, 56),
                 heatmap: Optional[dict] = None,
                 frames_per_clip: Optional[int] = None,
                 key: str = 'skeleton') -> None:
        if len(size) != 2 or min(size) < 1:
            raise ValueError(f'size must be (W, H) > 0; got {size}')
        heatmap = dict(heatmap or {})
        if heatmap.pop('double', False):
            raise ValueError('LoadSkeletonHeatmaps: heatmap.double is not '
                             'supported; flip with the RGB frames instead')
        heatmap.pop('type', None)
        if heatmap.get('with_kp', True) == heatmap.get('with_limb', False):
            raise ValueError('LoadSkeletonHeatmaps: heatmap needs exactly one '
                             'of with_kp and with_limb')
        self.generator = GeneratePoseTarget(**heatmap)
        self.ann_file = ann_file
        self.size = (int(size[0]), int(size[1]))
        self.frames_per_clip = frames_per_clip
        self.key = key
        self._annotations: Optional[Dict[str, dict]] = None

    @property
    def annotations(self) -> Dict[str, dict]:
        """The annotations by ``frame_dir``, read on first use."""
        if self._annotations is None:
            if not osp.isfile(self.ann_file):
                raise FileNotFoundError(
                    f'LoadSkeletonHeatmaps: pose annotation file '
                    f'{self.ann_file} not found (set ann_file of '
                    f'LoadSkeletonHeatmaps in the pipeline)')
            data = mmengine.load(self.ann_file, file_format='pkl')
            if isinstance(data, dict):
                data = data.get('annotations', [])
            self._annotations = {str(a['frame_dir']): a for a in data}
        return self._annotations

    def _annotation(self, results: dict) -> dict:
        stem = osp.splitext(osp.basename(results['filename']))[0]
        if stem not in self.annotations:
            raise KeyError(f'LoadSkeletonHeatmaps: no skeleton with '
                           f'frame_dir {stem!r} (video {results["filename"]})'
                           f' in {self.ann_file}')
        ann = self.annotations[stem]
        total = results.get('total_frames')
        if total is not None and total != ann['total_frames']:
            raise ValueError(
                f'LoadSkeletonHeatmaps: {stem!r} has {ann["total_frames"]} '
                f'frames in {self.ann_file} but the video '
                f'{results["filename"]} has {total}')
        return ann

    def _keypoints(self, results: dict, ann: dict):
        """Keypoints of the sampled frames in output pixels (unflipped)."""
        inds = np.asarray(results['frame_inds']).reshape(-1)
        kps = np.asarray(ann['keypoint'], np.float32)[:, inds]
        scores = ann.get('keypoint_score')
        scores = (np.ones(kps.shape[:-1], np.float32) if scores is None else
                  np.asarray(scores, np.float32)[:, inds])
        height, width = ann['img_shape'][:2]
        if 'original_shape' in results:
            frame_h, frame_w = results['original_shape'][:2]
            kps = kps * np.array([frame_w / width, frame_h / height],
                                 np.float32)
            height, width = frame_h, frame_w
        x, y, w, h = np.asarray(
            results.get('crop_quadruple', (0., 0., 1., 1.)), np.float64)
        out_w, out_h = self.size
        scale = np.array([out_w / (w * width), out_h / (h * height)])
        origin = np.array([x * width, y * height])
        # pixel centres at integers, as GeneratePoseTarget draws them
        kps = (kps - origin + 0.5) * scale - 0.5
        return kps.astype(np.float32), scores

    def transform(self, results: dict) -> dict:
        """Render, flip and format the heatmaps of a clip.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict with ``results[self.key]``.
        """
        kps, scores = self._keypoints(results, self._annotation(results))
        out_w, out_h = self.size
        maps = self.generator.gen_an_aug(
            dict(keypoint=kps, keypoint_score=scores,
                 img_shape=(out_h, out_w)))  # (T, C, H, W)
        if results.get('flip', False):
            if results.get('flip_direction', 'horizontal') == 'horizontal':
                gen = self.generator
                left, right = ((gen.left_kp, gen.right_kp) if gen.with_kp
                               else (gen.left_limb, gen.right_limb))
                order = np.arange(maps.shape[1])
                for a, b in zip(left, right):
                    order[a], order[b] = b, a
                maps = maps[:, order, :, ::-1]
            else:
                maps = maps[:, :, ::-1]
        num_frames = maps.shape[0]
        per_clip = self.frames_per_clip or num_frames
        if num_frames % per_clip:
            raise ValueError(f'LoadSkeletonHeatmaps: {num_frames} sampled '
                             f'frames are not clips of {per_clip}')
        maps = maps.reshape((-1, per_clip) + maps.shape[1:])
        results[self.key] = np.ascontiguousarray(
            maps.transpose(0, 2, 1, 3, 4), dtype=np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(ann_file={self.ann_file!r}, '
                f'size={self.size}, frames_per_clip={self.frames_per_clip}, '
                f'key={self.key!r})')
