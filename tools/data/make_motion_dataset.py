"""Generate a small video classification dataset of drawn motions.

Each clip shows one shape (circle, square or triangle, random colour, size
and position, on a random grey background with pixel noise) that moves in
one of eight ways. The label is the motion, which a frame taken at a random
time does not reveal: a translated shape is swept symmetrically around a
random centre, a rotating one starts at a random angle, and a shrinking shape
is a growing one played backwards, so the frames of opposite classes share
one position and size distribution. Only their order tells the classes
apart. A frame at a *known* time still carries a hint: the first frame of
``move_left`` lies right of its centre on average, and a first ``grow``
frame is small.

With ``--task fast`` a clip instead shows a shape moving fast in one of
eight directions (left, up_left, ...; the label), 2.5 to 5 pixels a frame on
a 32-pixel frame, wrapping around its edges. Between consecutive frames the
direction is plain; between frames 4 apart the shape moves 10 to 20 pixels,
and above 16 (speeds over 4) the shorter way round the frame is the
opposite direction: a model that sees every 4th frame is fooled in part of
the clips, one that sees every 2nd frame (5 to 10 pixel jumps, the demo's
student) or every frame is not.

Coordinates are image coordinates (x to the right, y *down*): an angle that
increases turns clockwise on screen.

Example::

    python tools/data/make_motion_dataset.py --out-dir data/motions

writes ``videos/<class>_<idx>.mp4``, ``train_list.txt`` / ``val_list.txt``
(MMAction2 ``VideoDataset`` lists, paths relative to the output directory),
``label_map.txt`` and ``meta.json``; the demo's data::

    python tools/data/make_motion_dataset.py --task fast \
        --out-dir data/motion_fast --size 32 --num-train 30 --num-val 24
"""
import argparse
import json
import os
import os.path as osp
import shutil

import cv2
import numpy as np

CLASSES = ('move_left', 'move_right', 'move_up', 'move_down',
           'rotate_clockwise', 'rotate_counterclockwise', 'grow', 'shrink')
DIRECTIONS = dict(move_left=(-1, 0), move_right=(1, 0), move_up=(0, -1),
                  move_down=(0, 1))
FAST_DIRECTIONS = dict(left=(-1, 0), up_left=(-1, -1), up=(0, -1),
                       up_right=(1, -1), right=(1, 0), down_right=(1, 1),
                       down=(0, 1), down_left=(-1, 1))
FAST_CLASSES = tuple(f'fast_{name}' for name in FAST_DIRECTIONS)
TASKS = dict(motions=CLASSES, fast=FAST_CLASSES)
FPS = 25
FAST_SPEED = (0.078, 0.156)  # pixels a frame per pixel of frame size


def _draw(frame, shape, centre, radius, colour):
    x, y = centre
    if shape == 'circle':
        cv2.circle(frame, (int(round(x)), int(round(y))), int(round(radius)),
                   colour, -1, cv2.LINE_AA)
        return
    angles = (np.arange(4) * np.pi / 2 + np.pi / 4 if shape == 'square' else
              np.arange(3) * 2 * np.pi / 3 - np.pi / 2)
    points = np.stack([x + radius * np.cos(angles),
                       y + radius * np.sin(angles)], axis=1)
    cv2.fillPoly(frame, [np.round(points).astype(np.int32)], colour,
                 cv2.LINE_AA)


def _trajectory(label, rng, frames, size):
    """Centres and radii of the shape over time for one clip."""
    u = np.linspace(0, 1, frames)
    radius = rng.uniform(0.08, 0.13) * size
    if label in DIRECTIONS:
        length = rng.uniform(0.3, 0.5) * size
        margin = radius + 1
        centre = rng.uniform(margin + length / 2, size - margin - length / 2,
                             size=2)
        offsets = (u - 0.5)[:, None] * length * np.array(DIRECTIONS[label])
        return centre + offsets, np.full(frames, radius)
    if label.startswith('rotate'):
        orbit = rng.uniform(0.15, 0.25) * size
        centre = rng.uniform(orbit + radius + 1, size - orbit - radius - 1,
                             size=2)
        sign = 1 if label == 'rotate_clockwise' else -1
        angles = rng.uniform(0, 2 * np.pi) + sign * rng.uniform(
            0.6, 1.2) * np.pi * u
        centres = centre + orbit * np.stack(
            [np.cos(angles), np.sin(angles)], axis=1)
        return centres, np.full(frames, radius)
    small, large = rng.uniform(0.04, 0.07) * size, rng.uniform(
        0.16, 0.24) * size
    radii = small + (large - small) * u
    centre = rng.uniform(large + 1, size - large - 1, size=2)
    return np.tile(centre, (frames, 1)), radii if label == 'grow' else radii[
        ::-1]


def _fast_trajectory(label, rng, frames, size):
    """Centres (not yet wrapped) and radii for a fast move."""
    radius = rng.uniform(0.08, 0.13) * size
    direction = np.array(FAST_DIRECTIONS[label[len('fast_'):]], np.float64)
    step = direction * rng.uniform(*FAST_SPEED) * size  # per axis
    centres = rng.uniform(0, size, size=2) + np.arange(frames)[:, None] * step
    return centres, np.full(frames, radius)


def render_clip(label, rng, frames=16, size=64):
    """Render one clip as a ``(frames, size, size, 3)`` uint8 BGR array.

    Args:
        label (str): A class of :data:`CLASSES` or :data:`FAST_CLASSES`.
        rng (numpy.random.Generator): Source of randomness.
        frames (int): Frames. Defaults to 16.
        size (int): Width and height in pixels. Defaults to 64.

    Returns:
        numpy.ndarray: The clip.
    """
    wrap = label in FAST_CLASSES
    trajectory = _fast_trajectory if wrap else _trajectory
    centres, radii = trajectory(label, rng, frames, size)
    shape = rng.choice(['circle', 'square', 'triangle'])
    background = rng.uniform(10, 90)
    colour = tuple(float(c) for c in rng.uniform(140, 255, size=3))
    noise = rng.normal(0, 4, size=(frames, size, size, 1))
    clip = np.empty((frames, size, size, 3), np.uint8)
    for t in range(frames):
        frame = np.full((size, size, 3), background, np.float32)
        if wrap:  # on a torus: draw every copy that overlaps the frame
            x, y = centres[t] % size
            for dx in (-size, 0, size):
                for dy in (-size, 0, size):
                    _draw(frame, shape, (x + dx, y + dy), radii[t], colour)
        else:
            _draw(frame, shape, centres[t], radii[t], colour)
        clip[t] = np.clip(frame + noise[t], 0, 255).astype(np.uint8)
    return clip


def _write_video(path, clip):
    size = clip.shape[1]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), FPS,
                             (size, size))
    if not writer.isOpened():
        raise RuntimeError(f'OpenCV cannot write mp4v video {path!r}')
    for frame in clip:
        writer.write(frame)
    writer.release()


def _generate(tmp_dir, meta):
    rng = np.random.default_rng(meta['seed'])
    os.makedirs(osp.join(tmp_dir, 'videos'))
    lists = dict(train=[], val=[])
    classes = meta['classes']
    for label, name in enumerate(classes):
        for idx in range(meta['num_train'] + meta['num_val']):
            split = 'train' if idx < meta['num_train'] else 'val'
            rel = f'videos/{name}_{idx:04d}.mp4'
            _write_video(
                osp.join(tmp_dir, rel),
                render_clip(name, rng, meta['frames'], meta['size']))
            lists[split].append(f'{rel} {label}\n')
    for split, lines in lists.items():
        with open(osp.join(tmp_dir, f'{split}_list.txt'), 'w') as f:
            f.writelines(lines)
    with open(osp.join(tmp_dir, 'label_map.txt'), 'w') as f:
        f.write('\n'.join(classes) + '\n')
    with open(osp.join(tmp_dir, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=2)


def make_motion_dataset(out_dir, num_train=40, num_val=12, frames=16,
                        size=64, seed=0, force=False, task='motions'):
    """Generate the dataset in ``out_dir`` (or keep an identical one).

    Args:
        out_dir (str): Output directory.
        num_train (int): Training clips per class. Defaults to 40.
        num_val (int): Validation clips per class. Defaults to 12.
        frames (int): Frames per clip. Defaults to 16.
        size (int): Frame width and height in pixels. Defaults to 64.
        seed (int): Random seed. Defaults to 0.
        force (bool): Replace an existing, different ``out_dir``.
        task (str): ``'motions'`` (8 motions over the whole clip) or
            ``'fast'`` (8 directions of a fast, wrapping move). Defaults to
            ``'motions'``.

    Returns:
        dict: The dataset's meta (parameters and classes).
    """
    if task not in TASKS:
        raise ValueError(f'unknown task {task!r}; choose from {list(TASKS)}')
    meta = dict(num_train=num_train, num_val=num_val, frames=frames,
                size=size, seed=seed, classes=list(TASKS[task]))
    if task != 'motions':  # keep the meta (and so datasets) of the default
        meta['task'] = task
    meta_file = osp.join(out_dir, 'meta.json')
    if osp.exists(out_dir) and not force:
        existing = None
        if osp.isfile(meta_file):
            with open(meta_file) as f:
                existing = json.load(f)
        if existing == meta:
            print(f'{out_dir}: dataset with these parameters exists, kept')
            return meta
        raise FileExistsError(
            f'{out_dir} exists but does not hold a dataset made with these '
            'parameters (see its meta.json); pass --force to replace it')
    out_dir = osp.abspath(out_dir)
    tmp_dir = f'{out_dir}.tmp-{os.getpid()}'
    shutil.rmtree(tmp_dir, ignore_errors=True)
    try:
        _generate(tmp_dir, meta)
        if osp.exists(out_dir):
            shutil.rmtree(out_dir)
        os.rename(tmp_dir, out_dir)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    print(f'{out_dir}: {len(TASKS[task])} classes, {num_train} train and '
          f'{num_val} val clips each')
    return meta


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--task', default='motions',
                        choices=list(TASKS))
    parser.add_argument('--out-dir', default='data/motions')
    parser.add_argument('--num-train', type=int, default=40)
    parser.add_argument('--num-val', type=int, default=12)
    parser.add_argument('--frames', type=int, default=16)
    parser.add_argument('--size', type=int, default=64)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--force', action='store_true',
                        help='replace an existing, different dataset')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        make_motion_dataset(args.out_dir, args.num_train, args.num_val,
                            args.frames, args.size, args.seed, args.force,
                            args.task)
    except FileExistsError as error:
        raise SystemExit(str(error))


if __name__ == '__main__':
    main()
