"""Subject-disjoint development lists inside the MSR Action3D training
subjects (cross-subject protocol: odd subjects train, even subjects test).

Every choice of the MSR Action3D benchmark is made on a development split:
one training subject held out, training on the other 4; the test subjects
(``test_list.txt``) are evaluated once per final model. Example::

    python tools/data/make_msr_action3d_splits.py ../shared/data/msr_action3d \\
        --out-dir work_dirs/msr_splits --dev-subject 5

writes ``dev_train_list.txt`` and ``dev_val_list.txt``, lines copied
verbatim from ``train_list.txt`` (``a01_s01_e01_skeleton3D.txt 0``), so the
lists work with the same ``data_prefix``. Default development subject: 5,
fixed before any run from the data alone: the middle of the 5 training
subjects (1, 3, 5, 7, 9), with a full set of sequences (57), and not
subject 9, whose ``a13_s09_e02`` is all zeros.
"""
import argparse
import os
import os.path as osp
import re
import sys

DEFAULT_ROOT = '../shared/data/msr_action3d'
DEFAULT_DEV_SUBJECT = 5
# ``a<action>_s<subject>_e<repetition>_skeleton3D.txt``
SEQUENCE = re.compile(r'^a(?P<action>\d+)_s(?P<subject>\d+)_e\d+_\w+\.txt$')


class SplitError(ValueError):
    """A list line or subject that cannot be used."""


def subject_of(line, path, number):
    """Subject of one annotation line; SplitError names file and line."""
    match = SEQUENCE.match(line.split()[0]) if line.split() else None
    if not match:
        raise SplitError(f'{path}, line {number}: cannot read the subject '
                         f'of {line!r} (expected a<action>_s<subject>_'
                         'e<repetition>_skeleton3D.txt <label>)')
    return int(match.group('subject'))


def read_list(path):
    """``[(subject, line)]`` of an annotation list."""
    with open(path) as file:
        return [(subject_of(line.rstrip('\n'), path, number), line)
                for number, line in enumerate(file, 1) if line.strip()]


def split(root, dev_subject):
    """``(train_lines, dev_lines)`` of the training list without / with
    ``dev_subject``; SplitError for a subject that is not a training one."""
    path = osp.join(root, 'train_list.txt')
    lines = read_list(path)
    subjects = sorted({subject for subject, _ in lines})
    if dev_subject not in subjects:
        raise SplitError(f'subject {dev_subject} is not in {path}; its '
                         f'subjects: {", ".join(map(str, subjects))}')
    return ([line for subject, line in lines if subject != dev_subject],
            [line for subject, line in lines if subject == dev_subject])


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('root', nargs='?', default=DEFAULT_ROOT)
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--dev-subject', type=int,
                        default=DEFAULT_DEV_SUBJECT)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        train, dev = split(args.root, args.dev_subject)
    except (SplitError, OSError) as error:
        sys.exit(f'error: {error}')
    os.makedirs(args.out_dir, exist_ok=True)
    for name, lines in (('dev_train_list.txt', train),
                        ('dev_val_list.txt', dev)):
        path = osp.join(args.out_dir, name)
        with open(path + '.tmp', 'w') as file:
            file.writelines(lines)
        os.replace(path + '.tmp', path)
        print(f'{path}: {len(lines)} sequences')


if __name__ == '__main__':
    main()
