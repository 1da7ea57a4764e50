"""Load pre-computed optical flow for the sampled frames of a video."""
import os.path as osp
from typing import Optional, Sequence

import cv2
import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

TOOL = 'tools/data/compute_flow.py'


@TRANSFORMS.register_module()
class LoadFlowFrames(BaseTransform):
    """Load the optical flow of the sampled frames, formatted as ``NCHW``.

    Reads ``flow_dir/<stem of results['filename']>.npy`` as written by
    ``tools/data/compute_flow.py``: a ``(num_frames, H, W, 2)`` array of
    pixel displacements (x right, y down) whose index ``i`` is the flow of
    RGB frame ``i`` to ``i + 1``. The file is memory-mapped and only the
    frames of ``results['frame_inds']`` are read, the indices
    ``SampleFrames`` made valid for ``results['total_frames']`` (wrapped or
    repeated) and that ``DecordDecode`` decodes as they are, so the flow
    lines up with the RGB frames. Place it after ``SampleFrames`` (with
    ``DecordInit`` for ``total_frames``); RGB decoding is not needed.

    Each flow field is cropped like the RGB frames (``crop_quadruple`` of
    ``RandomCrop``/``CenterCrop``/``RandomResizedCrop``, relative to the
    whole frame) and flipped like them (``flip``, ``flip_direction`` of
    ``Flip``, which MMAction2 places after crops), when those keys are in
    ``results`` and ``follow_crop_flip`` is set. It is then resized to
    ``size`` with the vector components multiplied by the resize factors
    (``u * W_out / W_in``, ``v * H_out / H_in``) and negated along a flip
    axis, so values stay displacements in output pixels; with
    ``max_magnitude`` they are divided by it and clipped to ``[-1, 1]``.

    The result, ``float32`` of shape ``(T, C, H, W)`` (``T`` sampled
    frames; ``C`` is 2, or 3 with ``with_magnitude``), is what
    ``FormatShape('NCHW')`` makes of images, so
    ``PackActionInputs(collect_keys=('imgs', 'flow'))`` packs RGB (after
    ``FormatShape``) and flow as two views of a sample; for a flow-only
    model use ``key='imgs'`` and a plain ``PackActionInputs``.

    Required keys: ``filename``, ``frame_inds``; optional ``total_frames``,
    ``img_shape``, ``crop_quadruple``, ``flip``, ``flip_direction``.
    Added keys: ``results[key]``, ``flow_shape`` (and ``img_shape`` when
    ``key='imgs'``).

    Args:
        flow_dir (str): Directory of the ``<video stem>.npy`` flow files.
        size (Sequence[int], optional): Output ``(W, H)``. None: the
            current ``results['img_shape']`` (the RGB frames' shape after
            the transforms before this one), else the stored size.
            Defaults to None.
        max_magnitude (float, optional): Displacement (output pixels)
            mapped to 1 before clipping to ``[-1, 1]``; None keeps pixels.
            Defaults to None.
        with_magnitude (bool): Append the displacement length (divided by
            ``max_magnitude`` and clipped to ``[0, 1]`` when that is set)
            as a third channel, e.g. for 3-channel backbones such as
            MMAction2's ``MobileNetV2TSM``. Defaults to False.
        follow_crop_flip (bool): Apply ``crop_quadruple`` and ``flip`` from
            ``results``. Defaults to True.
        key (str): Results key to store the flow in. Defaults to 'flow'.
    """

    def __init__(self,
                 flow_dir: str,
                 size: Optional[Sequence[int]] = None,
                 max_magnitude: Optional[float] = None,
                 with_magnitude: bool = False,
                 follow_crop_flip: bool = True,
                 key: str = 'flow') -> None:
        if size is not None and (len(size) != 2 or min(size) < 1):
            raise ValueError(f'size must be (W, H) > 0; got {size}')
        if max_magnitude is not None and max_magnitude <= 0:
            raise ValueError(
                f'max_magnitude must be > 0 or None; got {max_magnitude}')
        self.flow_dir = flow_dir
        self.size = None if size is None else (int(size[0]), int(size[1]))
        self.max_magnitude = max_magnitude
        self.with_magnitude = with_magnitude
        self.follow_crop_flip = follow_crop_flip
        self.key = key

    def flow_path(self, filename: str) -> str:
        """The flow file of a video."""
        stem = osp.splitext(osp.basename(filename))[0]
        return osp.join(self.flow_dir, f'{stem}.npy')

    def _read(self, results: dict) -> np.ndarray:
        """The stored flow of the sampled frames, ``(T, H, W, 2)``."""
        path = self.flow_path(results['filename'])
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'LoadFlowFrames: optical flow file {path} of video '
                f'{results["filename"]} not found; compute it with `python '
                f'{TOOL} --videos VIDEO_DIR --lists LIST --out-dir '
                f'{self.flow_dir}`')
        flow = np.load(path, mmap_mode='r')
        if flow.ndim != 4 or flow.shape[-1] != 2:
            raise ValueError(f'LoadFlowFrames: {path} has shape {flow.shape}; '
                             f'expected (num_frames, H, W, 2) from {TOOL}')
        total = results.get('total_frames')
        if total is not None and total != len(flow):
            raise ValueError(
                f'LoadFlowFrames: {path} has {len(flow)} frames but the '
                f'video {results["filename"]} has {total}; recompute it '
                f'with {TOOL}')
        inds = np.asarray(results['frame_inds']).reshape(-1)
        if inds.size and (inds.min() < 0 or inds.max() >= len(flow)):
            raise IndexError(
                f'LoadFlowFrames: frame indices {inds.min()}..{inds.max()} '
                f'out of range for {path} ({len(flow)} frames)')
        return np.asarray(flow[inds], dtype=np.float32)

    def transform(self, results: dict) -> dict:
        """Load, crop, flip, resize and normalise the flow of a clip.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict with ``results[self.key]``.
        """
        flow = self._read(results)
        if self.follow_crop_flip and 'crop_quadruple' in results:
            height, width = flow.shape[1:3]
            x, y, w, h = np.asarray(results['crop_quadruple'], np.float64)
            x1, y1 = int(round(x * width)), int(round(y * height))
            x2 = max(int(round((x + w) * width)), x1 + 1)
            y2 = max(int(round((y + h) * height)), y1 + 1)
            flow = flow[:, y1:min(y2, height), x1:min(x2, width)]
        if self.size is not None:
            out_w, out_h = self.size
        elif 'img_shape' in results:
            out_h, out_w = results['img_shape'][:2]
        else:
            out_h, out_w = flow.shape[1:3]
        in_h, in_w = flow.shape[1:3]
        if (in_h, in_w) != (out_h, out_w):
            flow = np.stack([
                cv2.resize(f, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
                for f in flow
            ])
            flow[..., 0] *= out_w / in_w
            flow[..., 1] *= out_h / in_h
        if self.follow_crop_flip and results.get('flip', False):
            if results.get('flip_direction', 'horizontal') == 'horizontal':
                flow = flow[:, :, ::-1]
                flow[..., 0] *= -1
            else:
                flow = flow[:, ::-1]
                flow[..., 1] *= -1
        channels = [flow[..., 0], flow[..., 1]]
        if self.with_magnitude:
            channels.append(np.hypot(flow[..., 0], flow[..., 1]))
        flow = np.stack(channels, axis=1)  # (T, C, H, W)
        if self.max_magnitude is not None:
            flow = np.clip(flow / self.max_magnitude, -1, 1)
        results[self.key] = np.ascontiguousarray(flow, dtype=np.float32)
        results['flow_shape'] = (out_h, out_w)
        if self.key == 'imgs':
            results['img_shape'] = (out_h, out_w)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(flow_dir={self.flow_dir!r}, '
                f'size={self.size}, max_magnitude={self.max_magnitude}, '
                f'with_magnitude={self.with_magnitude}, '
                f'follow_crop_flip={self.follow_crop_flip}, '
                f'key={self.key!r})')
