"""Mean frame intensity and contrast of each AVLetters speaker's clips.

Speakers recorded under other lighting differ in brightness, which a model
trained on a few speakers may not generalise across (see
docs/benchmark_protocol.md)::

    python tools/analysis/speaker_intensity.py ../shared/data/avletters --clips 10

For each speaker (``<letter><repetition>_<speaker>.mp4``), over its first
``--clips`` clips in name order: mean and standard deviation of all pixel
values (0-255, all frames and channels), and mean frames per clip.
"""
import argparse
import glob
import os.path as osp
import sys
from collections import defaultdict

import cv2
import numpy as np

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..', 'data'))
from make_avletters_splits import CLIP  # noqa: E402


def read_frames(path):
    """All frames of a video as one uint8 array (T, H, W, 3)."""
    capture = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    if not frames:
        raise ValueError(f'{path}: no frame could be decoded')
    return np.stack(frames)


def speaker_intensity(root, clips=10):
    """``{speaker: dict(clips, mean, std, frames)}`` over the first
    ``clips`` videos of each speaker in ``ROOT/videos``."""
    by_speaker = defaultdict(list)
    for path in sorted(glob.glob(osp.join(root, 'videos', '*'))):
        found = CLIP.match(osp.basename(path))
        if found and len(by_speaker[found['speaker']]) < clips:
            by_speaker[found['speaker']].append(path)
    stats = {}
    for speaker, paths in sorted(by_speaker.items()):
        videos = [read_frames(path).astype(np.float64) for path in paths]
        pixels = np.concatenate([video.ravel() for video in videos])
        stats[speaker] = dict(clips=len(paths), mean=float(pixels.mean()),
                              std=float(pixels.std()),
                              frames=float(np.mean([len(v) for v in videos])))
    return stats


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('root', nargs='?', default='../shared/data/avletters')
    parser.add_argument('--clips', type=int, default=10,
                        help='clips per speaker (default %(default)s)')
    args = parser.parse_args(argv)
    print('| speaker | clips | mean intensity | std | frames per clip |')
    print('|---|---|---|---|---|')
    for speaker, row in speaker_intensity(args.root, args.clips).items():
        print(f'| {speaker} | {row["clips"]} | {row["mean"]:.1f} | '
              f'{row["std"]:.1f} | {row["frames"]:.1f} |')


if __name__ == '__main__':
    main()
