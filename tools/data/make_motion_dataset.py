"""Generate a small video classification dataset of drawn motions.

One shape (circle, square or triangle; random colour, size, angle, position
and speed; random grey background; pixel noise) moves in one of eight ways,
and only the frame order tells which. The frame is a torus (a shape leaving
one edge re-enters at the opposite one) and centres are uniform on it, so at
*every* time step the position has one distribution in all classes. Sizes
match pooled over time: ``shrink`` is ``grow`` reversed, other classes keep
the size of a random frame of ``grow``. Image coordinates, x right, y *down*:
angle ``a`` points to ``(cos a, sin a)``, a growing angle turns clockwise on
screen. Writes ``videos/<class>_<idx>.mp4``, ``{train,val}_list.txt``
(MMAction2 ``VideoDataset``, paths relative to the output directory),
``label_map.txt`` and ``meta.json`` to a temporary sibling, then renames it.
"""
import argparse
import itertools
import json
import os
import os.path as osp
import shutil
import tempfile

import cv2
import numpy as np

CLASSES = ('move_left', 'move_right', 'move_up', 'move_down',
           'rotate_clockwise', 'rotate_counterclockwise', 'grow', 'shrink')
DIRECTIONS = dict(
    move_left=(-1, 0), move_right=(1, 0), move_up=(0, -1), move_down=(0, 1))
SIDES = dict(circle=32, square=4, triangle=3)  # drawn as regular polygons
FPS = 25
VERSION = 2  # bump when the drawing changes: old datasets no longer match
FILES = {'videos', 'train_list.txt', 'val_list.txt', 'label_map.txt'}


def clip_rng(seed, label, idx):
    """The random generator of clip ``idx`` of class ``label``."""
    return np.random.default_rng([seed, label, idx])


def render_clip(name, rng, frames=16, size=64):
    """Render one clip of class ``name``.

    Args:
        name (str): One of :data:`CLASSES`.
        rng (numpy.random.Generator): Source of all randomness of the clip.
        frames (int): Number of frames. Defaults to 16.
        size (int): Width and height in pixels. Defaults to 64.

    Returns:
        np.ndarray: ``(frames, size, size, 3)`` uint8 BGR frames.
    """
    u = np.linspace(0, 1, frames)
    small, large = rng.uniform(0.06, 0.09), rng.uniform(0.16, 0.22)
    radii = small + (large - small) * u  # growing; lengths in units of size
    centres = np.tile(rng.uniform(0, 1, size=2), (frames, 1))  # unwrapped
    angles = np.full(frames, rng.uniform(0, 2 * np.pi))
    if name == 'shrink':
        radii = radii[::-1]
    elif name != 'grow':
        radii = np.full(frames, rng.choice(radii))
    if name in DIRECTIONS:
        centres += np.outer(u - 0.5, DIRECTIONS[name]) * rng.uniform(0.3, 0.6)
    elif name.startswith('rotate'):
        sign = 1 if name == 'rotate_clockwise' else -1
        angles += sign * rng.uniform(0.6, 1.2) * np.pi * u
        centres += rng.uniform(0.15, 0.25) * np.stack(
            [np.cos(angles), np.sin(angles)], 1)
    sides = list(SIDES.values())[rng.integers(len(SIDES))]
    colour = tuple(float(c) for c in rng.uniform(140, 255, size=3))
    background = round(rng.uniform(10, 90))
    noise = rng.normal(0, 4, size=(frames, size, size, 1))
    a = angles[:, None] + np.arange(sides) * 2 * np.pi / sides
    polygons = radii[:, None, None] * np.stack([np.cos(a), np.sin(a)], -1)
    polygons = (polygons + centres[:, None] % 1) * size
    clip = np.full((frames, size, size, 3), background, np.uint8)
    for frame, polygon in zip(clip, polygons):  # with copies across edges
        for offset in itertools.product((-size, 0, size), repeat=2):
            points = np.round((polygon + offset) * 16).astype(np.int32)
            cv2.fillPoly(frame, [points], colour, cv2.LINE_AA, shift=4)
    return np.clip(clip + noise, 0, 255).round().astype(np.uint8)


def _generate(root, meta):
    """Write all videos, lists and ``meta.json`` (last) into ``root``."""
    os.makedirs(osp.join(root, 'videos'))
    lists, size = dict(train_list=[], val_list=[]), meta['size']
    for label, name in enumerate(CLASSES):
        for idx in range(meta['num_train'] + meta['num_val']):
            rel = f'videos/{name}_{idx:04d}.mp4'
            clip = render_clip(name, clip_rng(meta['seed'], label, idx),
                               meta['frames'], size)
            writer = cv2.VideoWriter(osp.join(root, rel),
                                     cv2.VideoWriter_fourcc(*'mp4v'), FPS,
                                     (size, size))
            if not writer.isOpened():
                raise RuntimeError(f'OpenCV cannot write mp4v video {rel}')
            for frame in clip:
                writer.write(frame)
            writer.release()
            split = 'train' if idx < meta['num_train'] else 'val'
            lists[f'{split}_list'].append(f'{rel} {label}\n')
    lists['label_map'] = [name + '\n' for name in CLASSES]
    for key, lines in lists.items():
        with open(osp.join(root, f'{key}.txt'), 'w') as f:
            f.writelines(lines)
    with open(osp.join(root, 'meta.json'), 'w') as f:  # last: marks complete
        json.dump(meta, f, indent=2)


def _is_complete(root, meta):
    """Whether ``root`` holds the whole dataset described by ``meta``."""
    try:
        with open(osp.join(root, 'meta.json')) as f:
            paths = ['label_map.txt'] if json.load(f) == meta else []
        for split in ('train', 'val'):
            with open(osp.join(root, f'{split}_list.txt')) as f:
                paths += [line.split()[0] for line in f if line.strip()]
    except (OSError, ValueError):
        return False
    n = 1 + len(CLASSES) * (meta['num_train'] + meta['num_val'])
    return len(paths) == n and all(
        osp.isfile(osp.join(root, p)) for p in paths)


def make_motion_dataset(out_dir, num_train=40, num_val=12, frames=16,
                        size=64, seed=0, force=False):
    """Generate the dataset in ``out_dir``, or keep an identical one there.

    Args:
        out_dir (str): Output directory.
        num_train (int): Training clips per class. Defaults to 40.
        num_val (int): Validation clips per class. Defaults to 12.
        frames (int): Frames per clip. Defaults to 16.
        size (int): Frame width and height in pixels (even). Defaults to 64.
        seed (int): Random seed. Defaults to 0.
        force (bool): Regenerate whatever ``out_dir`` holds. Defaults to False.

    Returns:
        dict: The dataset's meta (generator version, classes, parameters).
    """
    if num_train < 1 or num_val < 0 or frames < 2 or size < 16 or size % 2:
        raise ValueError(f'need {num_train=} >= 1, {num_val=} >= 0, '
                         f'{frames=} >= 2 and an even {size=} >= 16')
    meta = dict(version=VERSION, classes=list(CLASSES), num_train=num_train,
                num_val=num_val, frames=frames, size=size, seed=seed)
    out_dir = osp.abspath(out_dir)
    if not force and _is_complete(out_dir, meta):
        print(f'{out_dir}: dataset with these parameters exists, kept')
        return meta
    content = set(os.listdir(out_dir)) if osp.isdir(out_dir) else set()
    alien = sorted(content - FILES - {'meta.json'})[:5]
    if (osp.lexists(out_dir) and not osp.isdir(out_dir)) or alien:
        raise FileExistsError(f'{out_dir} was not made by this tool (it is a '
                              f'file or holds {alien}); not replacing it')
    if content and not force:
        raise FileExistsError(f'{out_dir} holds another or an incomplete '
                              'dataset (see meta.json); use --force to redo')
    parent, base = osp.split(out_dir)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f'.{base}.tmp-', dir=parent)
    try:
        _generate(osp.join(tmp, 'new'), meta)
        if osp.lexists(out_dir):
            os.rename(out_dir, osp.join(tmp, 'old'))
        os.rename(osp.join(tmp, 'new'), out_dir)
    finally:
        if osp.lexists(osp.join(tmp, 'old')) and not osp.lexists(out_dir):
            os.rename(osp.join(tmp, 'old'), out_dir)  # failed: put it back
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'{out_dir}: {len(CLASSES)} x ({num_train} + {num_val}) clips')
    return meta


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option, default, text in [('out-dir', 'data/motions', 'output dir'),
                                  ('num-train', 40, 'training clips/class'),
                                  ('num-val', 12, 'validation clips/class'),
                                  ('frames', 16, 'frames per clip'),
                                  ('size', 64, 'frame width and height'),
                                  ('seed', 0, 'random seed')]:
        parser.add_argument(f'--{option}', type=type(default),
                            default=default, help=f'{text} ({default})')
    parser.add_argument('--force', action='store_true',
                        help='regenerate even if --out-dir holds a dataset')
    return parser.parse_args(argv)


def main(argv=None):
    """Command-line entry point."""
    try:
        make_motion_dataset(**vars(parse_args(argv)))
    except (FileExistsError, ValueError) as error:
        raise SystemExit(f'error: {error}')


if __name__ == '__main__':
    main()
