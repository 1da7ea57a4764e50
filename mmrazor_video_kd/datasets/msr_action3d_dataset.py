"""MSR Action3D skeletons (Li, Zhang, Liu, CVPR Workshops 2010) as a pose
dataset for MMAction2's heatmap (PoseC3D) and joint (ST-GCN) pipelines.

A skeleton file ``aXX_sYY_eZZ_skeleton3D.txt`` holds 20 joints per frame,
one joint per line ``x y z confidence`` (real-world metres, camera space:
y up, z away from the camera), frames one after another: ``20 * T`` lines.

Joint layout
------------
The order of the 20 joints is **not** the Kinect-SDK order (hip centre,
spine, shoulder centre, head, ...). It was read off the data (all 566 valid
sequences; indices below are 0-based):

* mean height ``y``: index 19 is the top-most joint (head, 0.55 m), then
  2 (0.34), 0/1 (0.29, 0.29), 3 (0.16), 4/5/6 (-0.05), 13/14 (-0.57),
  15/16 (-0.96), 17/18 (-1.00): head, shoulder centre, shoulders, spine,
  hips and hip centre, knees, ankles, feet;
* bone lengths are constant over time (the tracker fits a fixed-length
  model): the edges of :data:`MSR_SKELETON` have a median coefficient of
  variation <= 0.07 (limbs <= 0.02), chains of 0.27 / 0.29 / 0.07 m
  (upper arm, forearm, hand) and 0.54 / 0.42 / 0.17 m (thigh, shin, foot);
* left / right: in the one-arm actions (a01 high arm wave, a02 horizontal
  arm wave, a03 hammer, a08 draw tick) the joints that move are 8, 10, 12
  (elbow, wrist, hand); in the kicks (a14, a15) 14, 16, 18; the recording
  protocol asked subjects to use their *right* arm or leg for one-limb
  actions, so the odd-numbered 1-based joints 2, 9, 11, 13, 15, 17, 19 are
  the right side (they also have the larger ``x``: the Kinect convention,
  ``+x`` points to the camera's left, i.e. the subject's right).

See :data:`MSR_JOINT_NAMES`, :data:`MSR_LEFT_KP`, :data:`MSR_RIGHT_KP`,
:data:`MSR_SKELETON` and :data:`MSR_GRAPH_LAYOUT` (an ST-GCN ``Graph``
layout).

Projection to the image plane (``keypoint``)
--------------------------------------------
Heatmap pipelines need pixel coordinates. Each sequence is projected
orthographically (z dropped; the subjects stand ~2.6 m away and move within
a few tens of cm in depth) as the camera sees it:

* ``u = -x`` (``flip_x=True``: ``+x`` is the camera's left, so the image is
  not mirrored: the subject's right hand is on the image's left, as in the
  depth frames), or ``u = x`` with ``flip_x=False`` (mirror image);
* ``v = -y`` (image rows grow downwards: up stays up);
* the tight box of all valid joints of the whole sequence is scaled by one
  factor (aspect kept) so that its longer side spans the canvas minus
  ``margin`` pixels on each side, and centred in the canvas ``img_shape``
  (``(H, W)``, default 64 x 64). Pixel ``(row i, col j)`` is centred at
  ``(x=j, y=i)`` (``GeneratePoseTarget``'s convention), so coordinates lie in
  ``[margin, W - 1 - margin] x [margin, H - 1 - margin]``.

Since ``margin >= 1``, no valid coordinate is 0: MMAction2 treats ``(0, 0)``
as a missing joint (``PoseCompact``, ``UniformSampleFrames``).

Missing frames: 19 valid sequences contain frames whose 20 joints are all
``(0, 0, 0)`` (tracking lost; 1075 frames in all, e.g. 740 of the 936 frames
of a13_s09_e03). They are kept, with ``keypoint`` 0 and ``keypoint_score``
0 (no heatmap is drawn), and ``keypoint_3d`` 0, which ``PreNormalize3D``
drops.

Invalid files: an empty file, a line without exactly 4 numbers, a line count
that is not a multiple of 20, non-finite numbers, or all joints zero (the
known defect ``a13_s09_e02``, which is in ``train_list.txt``) raise
:class:`InvalidSkeletonFile` (a ``ValueError``) naming the file; with
``skip_invalid=True`` such files are left out of the dataset instead, with a
warning naming them.
"""
import logging
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmaction.datasets import BaseActionDataset
from mmaction.registry import DATASETS
from mmengine.fileio import get_text, join_path
from mmengine.logging import print_log
from mmengine.utils import is_abs

from .label_check import check_label

NUM_JOINTS = 20

#: The joints in file order (0-based index = line within a frame).
MSR_JOINT_NAMES = (
    'left_shoulder', 'right_shoulder', 'shoulder_center', 'spine',
    'left_hip', 'right_hip', 'hip_center', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hand', 'right_hand', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle', 'left_foot', 'right_foot',
    'head')
#: Left joints and their right partners (``Flip`` /
#: ``GeneratePoseTarget(left_kp=..., right_kp=...)``).
MSR_LEFT_KP = (0, 4, 7, 9, 11, 13, 15, 17)
MSR_RIGHT_KP = (1, 5, 8, 10, 12, 14, 16, 18)
#: The bones, each ``(child, parent)`` towards the spine (``skeletons`` of
#: ``GeneratePoseTarget``, ``inward`` of an ST-GCN graph).
MSR_SKELETON = (
    (19, 2), (0, 2), (1, 2), (2, 3), (6, 3), (4, 6), (5, 6), (7, 0),
    (9, 7), (11, 9), (8, 1), (10, 8), (12, 10), (13, 4), (15, 13),
    (17, 15), (14, 5), (16, 14), (18, 16))
#: An ``mmaction.models.utils.Graph`` layout (centre: the spine).
MSR_GRAPH_LAYOUT = dict(
    num_node=NUM_JOINTS, inward=[list(e) for e in MSR_SKELETON], center=3)
#: The 20 actions, label = action number - 1.
MSR_ACTIONS = (
    'high arm wave', 'horizontal arm wave', 'hammer', 'hand catch',
    'forward punch', 'high throw', 'draw x', 'draw tick', 'draw circle',
    'hand clap', 'two hand wave', 'side-boxing', 'bend', 'forward kick',
    'side kick', 'jogging', 'tennis swing', 'tennis serve', 'golf swing',
    'pick up & throw')


class InvalidSkeletonFile(ValueError):
    """A skeleton file that cannot be a valid MSR Action3D sequence."""


def read_skeleton(path: str) -> np.ndarray:
    """Read one skeleton file into a float32 array ``(T, 20, 4)`` of
    ``x, y, z, confidence``; raise :class:`InvalidSkeletonFile` naming the
    file if it is empty, malformed, not ``20 * T`` lines, or all zeros."""
    lines = [line for line in get_text(path).splitlines() if line.strip()]
    if not lines:
        raise InvalidSkeletonFile(f'{path}: empty skeleton file')
    if len(lines) % NUM_JOINTS:
        raise InvalidSkeletonFile(
            f'{path}: {len(lines)} lines, not a multiple of {NUM_JOINTS} '
            f'(one line per joint, {NUM_JOINTS} joints per frame)')
    values = []
    for number, line in enumerate(lines, 1):
        fields = line.split()
        if len(fields) != 4:
            raise InvalidSkeletonFile(
                f'{path}: line {number} has {len(fields)} fields, expected '
                f'4 "x y z confidence": {line!r}')
        try:
            values.append([float(f) for f in fields])
        except ValueError:
            raise InvalidSkeletonFile(
                f'{path}: line {number} is not numeric: {line!r}') from None
    joints = np.asarray(values, dtype=np.float32).reshape(-1, NUM_JOINTS, 4)
    if not np.all(np.isfinite(joints)):
        raise InvalidSkeletonFile(f'{path}: non-finite values')
    if not np.any(joints[..., :3]):
        raise InvalidSkeletonFile(
            f'{path}: all {joints.shape[0]} frames are zero (no skeleton)')
    return joints


def project_to_canvas(xyz: np.ndarray,
                      img_shape: Tuple[int, int] = (64, 64),
                      margin: float = 4.,
                      flip_x: bool = True) -> Tuple[np.ndarray, dict]:
    """Project 3D joints ``(..., V, 3)`` (metres) to pixel coordinates
    ``(..., V, 2)`` in a canvas ``img_shape = (H, W)``, as described in the
    module docstring. Frames whose joints are all zero are missing: they
    stay 0 and do not count for the box. Returns the coordinates and the
    transform ``dict(scale, center, flip_x)``: ``pixel = (uv - center) *
    scale + ((W - 1) / 2, (H - 1) / 2)`` with ``uv = (-x or x, -y)``."""
    h, w = img_shape
    if margin < 1 or 2 * margin >= min(h, w) - 1:
        raise ValueError(f'margin {margin} does not fit img_shape '
                         f'{img_shape} (need 1 <= margin < (min(H, W) - 1) '
                         f'/ 2)')
    uv = np.stack([-xyz[..., 0] if flip_x else xyz[..., 0], -xyz[..., 1]],
                  axis=-1).astype(np.float64)
    valid = np.any(xyz != 0, axis=(-1, -2))  # frames with a skeleton
    points = uv[valid].reshape(-1, 2)
    lo, hi = points.min(0), points.max(0)
    center = (lo + hi) / 2
    extent = np.maximum(hi - lo, 1e-6)
    scale = min((w - 1 - 2 * margin) / extent[0],
                (h - 1 - 2 * margin) / extent[1])
    pixels = (uv - center) * scale + np.array([(w - 1) / 2, (h - 1) / 2])
    pixels[~valid] = 0
    return pixels.astype(np.float32), dict(
        scale=float(scale), center=center.tolist(), flip_x=flip_x)


@DATASETS.register_module()
class MSRAction3DDataset(BaseActionDataset):
    """MSR Action3D skeleton sequences for MMAction2 pose pipelines.

    ``ann_file`` lists one sequence per line, ``<filename> <label>``
    (``a01_s01_e01_skeleton3D.txt 0``; blank lines ignored), the files lying
    in ``data_prefix['skeleton']``. All listed files are read and checked
    when the dataset is built (about 0.3 s for all 567). Each sample has:

    * ``keypoint``: float32 ``(1, T, 20, 2)`` pixel coordinates of the
      orthographic, non-mirrored, per-sequence normalised projection in the
      canvas ``img_shape`` (module docstring); with ``keypoint_type='3d'``
      the raw joints ``(1, T, 20, 3)`` in metres instead (for
      ``PreNormalize3D`` / ST-GCN; no ``keypoint_score`` then, as
      ``GenSkeFeat`` wants for 3D joints);
    * ``keypoint_score``: float32 ``(1, T, 20)``, the file's confidence
      column (``use_confidence=True``) or ones; 0 in missing frames;
    * ``keypoint_3d``: float32 ``(1, T, 20, 3)``, the raw joints (metres);
    * ``keypoint_confidence``: float32 ``(1, T, 20)``, the raw 4th column;
    * ``total_frames`` (T), ``img_shape`` and ``original_shape`` ``(H, W)``,
      ``label`` (int), ``filename`` (the txt path), ``frame_dir`` (its name
      without ``_skeleton3D.txt``), ``projection`` (the transform of
      :func:`project_to_canvas`).

    Args:
        ann_file (str): The list file; relative: joined with ``data_root``.
        pipeline (list): Data transforms.
        data_prefix (dict): ``dict(skeleton=DIR)``, the directory of the txt
            files; relative: joined with ``data_root``.
        img_shape (tuple[int]): The canvas ``(H, W)``. Defaults to (64, 64).
        margin (float): Pixels left free on each side of the sequence's
            box. Defaults to 4.
        flip_x (bool): ``u = -x`` (camera view, default) or ``u = x``
            (mirror view).
        use_confidence (bool): ``keypoint_score`` from the confidence column
            (default) or ones. Note that the tracker gives confidence ~0 to
            shoulder centre, spine, hip centre and the feet in almost all
            frames (mean 0.01-0.03).
        keypoint_type (str): ``'2d'`` (default) or ``'3d'``, see above.
        skip_invalid (bool): Leave invalid files out (with a warning) rather
            than raise :class:`InvalidSkeletonFile`. Defaults to False;
            ``train_list.txt`` holds the all-zero ``a13_s09_e02``, so its
            dataset needs ``skip_invalid=True`` (291 sequences remain).
            The skipped paths are in ``self.skipped``; a list without any
            valid sequence raises ``ValueError``; a listed file that does not
            exist always raises ``FileNotFoundError``.
        **kwargs: ``BaseActionDataset`` arguments (``data_root``,
            ``test_mode``, ``indices``, ``num_classes``: labels outside
            ``[0, num_classes)`` raise ``LabelOutOfRangeError`` naming the
            list and line; None: not checked).
    """

    METAINFO = dict(classes=MSR_ACTIONS, joint_names=MSR_JOINT_NAMES,
                    left_kp=MSR_LEFT_KP, right_kp=MSR_RIGHT_KP,
                    skeleton=MSR_SKELETON)

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[dict, Callable]],
                 data_prefix: Optional[dict] = None,
                 img_shape: Sequence[int] = (64, 64),
                 margin: float = 4.,
                 flip_x: bool = True,
                 use_confidence: bool = True,
                 keypoint_type: str = '2d',
                 skip_invalid: bool = False,
                 **kwargs) -> None:
        if keypoint_type not in ('2d', '3d'):
            raise ValueError(
                f"keypoint_type must be '2d' or '3d', got {keypoint_type!r}")
        data_prefix = dict(data_prefix or {})
        if 'skeleton' not in data_prefix:
            raise ValueError('MSRAction3DDataset needs data_prefix='
                             f'dict(skeleton=DIR), got {data_prefix}')
        self.img_shape = tuple(int(s) for s in img_shape)
        self.margin = margin
        self.flip_x = flip_x
        self.use_confidence = use_confidence
        self.keypoint_type = keypoint_type
        self.skip_invalid = skip_invalid
        self.skipped: List[str] = []
        super().__init__(
            ann_file,
            pipeline=pipeline,
            data_prefix=data_prefix,
            modality='Pose',
            **kwargs)

    def parse_list(self) -> List[Tuple[str, int]]:
        """``(filename, label)`` of each non-blank line of ``ann_file``."""
        rows = []
        for number, line in enumerate(
                get_text(self.ann_file).splitlines(), 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 2:
                raise ValueError(
                    f'{self.ann_file}:{number}: expected "<filename> '
                    f'<label>", got {line!r}')
            try:
                label = int(fields[1])
            except ValueError:
                raise ValueError(f'{self.ann_file}:{number}: label '
                                 f'{fields[1]!r} is not an integer') from None
            check_label(label, self.num_classes, self.ann_file, number)
            rows.append((fields[0], label))
        return rows

    def sequence_info(self, path: str, label: int) -> Dict:
        """Read and project one file into a data-info dict."""
        joints = read_skeleton(path)
        xyz = joints[None, ..., :3]  # (1, T, V, 3)
        confidence = np.ascontiguousarray(joints[None, ..., 3])
        present = np.any(xyz != 0, axis=(-1, -2))[..., None]  # (1, T, 1)
        pixels, projection = project_to_canvas(xyz, self.img_shape,
                                               self.margin, self.flip_x)
        score = confidence if self.use_confidence else np.ones_like(
            confidence)
        score = (score * present).astype(np.float32)
        name = osp.basename(path)
        info = dict(
            filename=path,
            frame_dir=name.replace('_skeleton3D.txt', '').rsplit('.', 1)[0],
            label=label,
            total_frames=int(joints.shape[0]),
            img_shape=self.img_shape,
            original_shape=self.img_shape,
            keypoint_3d=np.ascontiguousarray(xyz),
            keypoint_confidence=confidence,
            projection=projection)
        if self.keypoint_type == '2d':
            info['keypoint'] = pixels
            info['keypoint_score'] = score
        else:
            info['keypoint'] = np.ascontiguousarray(xyz)
        return info

    def load_data_list(self) -> List[Dict]:
        """Read every listed file (invalid ones raise, or are skipped)."""
        root = self.data_prefix['skeleton']
        data_list, self.skipped = [], []
        for filename, label in self.parse_list():
            path = filename if is_abs(filename) else join_path(root, filename)
            try:
                data_list.append(self.sequence_info(path, label))
            except InvalidSkeletonFile as error:
                if not self.skip_invalid:
                    raise
                self.skipped.append(path)
                print_log(f'MSRAction3DDataset: skipped {error}',
                          logger='current', level=logging.WARNING)
        if not data_list:
            raise ValueError(f'{self.ann_file}: no valid skeleton sequence '
                             f'(skipped: {self.skipped})')
        return data_list
