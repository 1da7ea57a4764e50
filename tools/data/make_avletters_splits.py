"""Speaker-disjoint development lists inside the AVLetters training speakers.

The benchmark reports the 2 validation speakers (``val_list.txt``); every
choice (recipe, method, hyper-parameter, checkpoint) is made on a development
split inside the 5 training speakers instead: one speaker held out, training
on the other 4. Example::

    python tools/data/make_avletters_splits.py ../shared/data/avletters \\
        --out-dir work_dirs/avletters_splits

writes ``dev_train_list.txt`` (4 speakers, 312 clips) and
``dev_val_list.txt`` (the development speaker, 78 clips). With ``--folds``
it writes ``fold_<speaker>_train.txt`` / ``fold_<speaker>_val.txt`` for
every training speaker instead (leave-one-speaker-out, for a later, more
expensive protocol); ``--list-speakers`` only prints the training speakers. Lines are copied verbatim from ``train_list.txt``
(``A1_Anya.mp4 0``), so the lists work with the same ``data_prefix``::

    SPLITS=work_dirs/avletters_splits
    python tools/train.py CONFIG --cfg-options \\
        train_dataloader.dataset.ann_file=$SPLITS/dev_train_list.txt \\
        val_dataloader.dataset.ann_file=$SPLITS/dev_val_list.txt \\
        test_dataloader.dataset.ann_file=$SPLITS/dev_val_list.txt

Default development speaker: ``Bill``. Completeness does not decide it: all
5 training speakers have all 26 letters x 3 repetitions (78 clips; the tool
checks this and warns otherwise). It is fixed before any accuracy on a single
speaker was seen, by two properties of the data only:

- the 4 remaining training speakers stay 2 + 2 by (name-inferred) gender,
  Anya, Faye / John, Steve;
- they keep both extremes of speaking rate (mean frames per clip: Steve 18.6,
  Faye 21.1, Anya 26.4, John 28.1), while Bill (26.7) lies near the mean of
  all training clips (24.2) and of the validation speakers (Kate 23.1,
  Nicola 24.0).
"""
import argparse
import os
import os.path as osp
import re
import sys
from collections import Counter

DEFAULT_ROOT = '../shared/data/avletters'
DEFAULT_DEV_SPEAKER = 'Bill'
# ``<letter><repetition>_<speaker>.<ext>``, e.g. ``A1_Anya.mp4``
CLIP = re.compile(r'^(?P<letter>[A-Z])(?P<repetition>\d+)_'
                  r'(?P<speaker>[A-Za-z]+)\.\w+$')
LETTERS = 26
REPETITIONS = 3


class SplitError(ValueError):
    """A list line, speaker or split that cannot be used."""


def parse_line(line, path, number):
    """Parse one annotation line.

    Args:
        line (str): The line without its newline, e.g. ``'A1_Anya.mp4 0'``.
        path (str): The list file, for the error message.
        number (int): 1-based line number, for the error message.

    Returns:
        tuple[str, str, str]: Speaker, letter and repetition.

    Raises:
        SplitError: If the line is not ``<clip> <label>`` or the clip name
            does not give a speaker.
    """
    fields = line.split()
    found = CLIP.match(fields[0]) if len(fields) == 2 else None
    if found is None:
        raise SplitError(
            f'{path}:{number}: cannot parse a speaker from {line!r} '
            '(expected "<letter><repetition>_<speaker>.mp4 <label>")')
    return found['speaker'], found['letter'], found['repetition']


def read_list(path):
    """Read an annotation list.

    Args:
        path (str): ``train_list.txt`` or ``val_list.txt``.

    Returns:
        list[tuple[str, str]]: ``(speaker, line)`` in file order, each line
        exactly as in the file without its newline.
    """
    with open(path) as file:
        lines = file.read().splitlines()
    return [(parse_line(line, path, number)[0], line)
            for number, line in enumerate(lines, 1)]


def incomplete_speakers(path):
    """Speakers of a list without all letters x repetitions.

    Args:
        path (str): An annotation list.

    Returns:
        dict[str, str]: ``{speaker: what is wrong}``; empty if every speaker
        has each of the 26 letters exactly 3 times.
    """
    with open(path) as file:
        lines = file.read().splitlines()
    counts = {}
    for number, line in enumerate(lines, 1):
        speaker, letter, _ = parse_line(line, path, number)
        counts.setdefault(speaker, Counter())[letter] += 1
    wrong = {}
    for speaker, letters in counts.items():
        bad = {k: v for k, v in letters.items() if v != REPETITIONS}
        if len(letters) != LETTERS or bad:
            wrong[speaker] = (f'{len(letters)} letters, '
                              f'{sum(letters.values())} clips')
    return wrong


def speakers_of(entries):
    """Speakers in order of first appearance."""
    return list(dict.fromkeys(speaker for speaker, _ in entries))


def check_held_out(speaker, train, val, root):
    """Refuse a held-out speaker that is unknown or a validation speaker.

    Args:
        speaker (str): The speaker to hold out.
        train (list[tuple[str, str]]): Entries of ``train_list.txt``.
        val (list[tuple[str, str]]): Entries of ``val_list.txt``.
        root (str): The AVLetters root, for the error messages.

    Raises:
        SplitError: If ``speaker`` occurs in ``val_list.txt`` or not in
            ``train_list.txt``.
    """
    known = ', '.join(speakers_of(train))
    if speaker in speakers_of(val):
        raise SplitError(
            f'{speaker} is a speaker of {osp.join(root, "val_list.txt")}, '
            'which is reported, never used for choices; hold out one of the '
            f'training speakers: {known}')
    if speaker not in speakers_of(train):
        raise SplitError(
            f'unknown speaker {speaker!r}: not in '
            f'{osp.join(root, "train_list.txt")}; known speakers: {known}')


def hold_out(entries, speaker):
    """Split entries into the other speakers' and the held-out speaker's.

    Args:
        entries (list[tuple[str, str]]): ``(speaker, line)`` pairs.
        speaker (str): The held-out speaker.

    Returns:
        tuple[list[str], list[str]]: Training lines and held-out lines, each
        in file order.
    """
    train = [line for who, line in entries if who != speaker]
    held = [line for who, line in entries if who == speaker]
    return train, held


def write_list(path, lines):
    """Write lines, one per line, each ending in a newline."""
    with open(path, 'w') as file:
        file.writelines(line + '\n' for line in lines)
    print(f'{path}: {len(lines)} clips')


def make_splits(root, out_dir, dev_speaker=DEFAULT_DEV_SPEAKER,
                folds=False):
    """Write the development lists (or every leave-one-speaker-out fold).

    Args:
        root (str): AVLetters root with ``train_list.txt`` and
            ``val_list.txt``.
        out_dir (str): Folder for the lists (created if missing).
        dev_speaker (str): Held-out speaker of the development split.
            Ignored with ``folds``.
        folds (bool): Write ``fold_<speaker>_{train,val}.txt`` for every
            training speaker instead of the development split.

    Returns:
        list[str]: Paths of the lists written.
    """
    train = read_list(osp.join(root, 'train_list.txt'))
    val = read_list(osp.join(root, 'val_list.txt'))
    held_out = speakers_of(train) if folds else [dev_speaker]
    for speaker in held_out:
        check_held_out(speaker, train, val, root)
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for speaker in held_out:
        names = ((f'fold_{speaker}_train.txt', f'fold_{speaker}_val.txt')
                 if folds else ('dev_train_list.txt', 'dev_val_list.txt'))
        for name, lines in zip(names, hold_out(train, speaker)):
            write_list(osp.join(out_dir, name), lines)
            written.append(osp.join(out_dir, name))
    return written


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Speaker-disjoint development lists inside the AVLetters '
        'training speakers')
    parser.add_argument('root', nargs='?', default=DEFAULT_ROOT,
                        help=f'AVLetters root (default {DEFAULT_ROOT})')
    parser.add_argument('--out-dir', default='work_dirs/avletters_splits',
                        help='folder for the lists')
    parser.add_argument('--dev-speaker', default=DEFAULT_DEV_SPEAKER,
                        help='held-out development speaker (default '
                        f'{DEFAULT_DEV_SPEAKER}; see the module docstring)')
    parser.add_argument('--folds', action='store_true',
                        help='write leave-one-speaker-out lists for every '
                        'training speaker instead')
    parser.add_argument('--list-speakers', action='store_true',
                        help='only print the training speakers, in list '
                        'order, separated by spaces')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        if args.list_speakers:
            print(' '.join(speakers_of(read_list(
                osp.join(args.root, 'train_list.txt')))))
            return
        for speaker, wrong in incomplete_speakers(
                osp.join(args.root, 'train_list.txt')).items():
            print(f'warning: {speaker} is incomplete ({wrong}; expected '
                  f'{LETTERS} letters x {REPETITIONS})', file=sys.stderr)
        make_splits(args.root, args.out_dir, args.dev_speaker, args.folds)
    except SplitError as error:
        sys.exit(f'error: {error}')


if __name__ == '__main__':
    main()
