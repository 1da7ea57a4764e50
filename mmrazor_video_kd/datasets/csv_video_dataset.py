"""Video dataset read from CSV-like split files with string labels."""
import os.path as osp
from typing import Callable, List, Optional, Sequence, Tuple, Union

from mmaction.registry import DATASETS
from mmengine.dataset.base_dataset import force_full_init
from mmengine.fileio import get_text, join_path
from mmengine.utils import is_abs

from .checked_video_dataset import CheckedVideoDataset
from .label_check import check_label

HEADERS = {('path', 'label'), ('video', 'label'), ('filename', 'label')}


@DATASETS.register_module()
class CSVVideoDataset(CheckedVideoDataset):
    """Videos listed in split files (``train.csv``, ``val.csv``, ...) whose
    labels are strings.

    Each line of a split file is ``<path> <label>``: a video path (relative
    to ``data_prefix['video']``, as in ``VideoDataset``) and a label, split
    by whitespace; a label is any token without whitespace (``A``,
    ``wave_hand``, ``7``). Blank lines are ignored, as is a first non-blank
    line that reads ``path label``, ``video label`` or ``filename label``
    (case-insensitive: a header). Any other line without exactly two fields
    raises ``ValueError`` naming the file and line.

    Class ids: the index of a label in ``label_map`` if given, otherwise in
    the sorted distinct labels of the training split file ``train_csv``, so
    that the train, val and test splits agree. A label outside the mapping
    raises ``ValueError`` naming file, line and label. The mapping is
    ``self.classes`` (class id -> label) and ``metainfo['classes']``. With
    ``num_classes`` set, a class id outside ``[0, num_classes)`` (a mapping
    with more labels than the classifier has classes) raises
    :class:`~mmrazor_video_kd.datasets.label_check.LabelOutOfRangeError`
    naming file, line, label and bound.

    Args:
        ann_file (str): The split file of this dataset; a relative path is
            joined with ``data_root``.
        pipeline (list): Data transforms.
        label_map (str | Sequence[str], optional): The labels in class-id
            order: a list, or a file (relative: joined with ``data_root``)
            with one label per line, blank lines ignored; e.g. written by
            :meth:`save_label_map`. Defaults to None (use ``train_csv``).
        train_csv (str, optional): The split file that defines the mapping
            when ``label_map`` is None; relative: joined with ``data_root``.
            Defaults to None: ``train.csv`` beside ``ann_file``.
        **kwargs: Arguments of ``CheckedVideoDataset`` / ``VideoDataset``
            (``data_root``, ``data_prefix``, ``test_mode``, ...).
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[dict, Callable]],
                 label_map: Optional[Union[str, Sequence[str]]] = None,
                 train_csv: Optional[str] = None,
                 **kwargs) -> None:
        self.label_map = label_map
        self.train_csv = train_csv
        super().__init__(ann_file=ann_file, pipeline=pipeline, **kwargs)

    def _resolve(self, path: str) -> str:
        """Join a relative path with ``data_root``, like ``ann_file``."""
        if self.data_root and not is_abs(path):
            return join_path(self.data_root, path)
        return path

    @staticmethod
    def parse_csv(path: str) -> List[Tuple[int, str, str]]:
        """Read a split file into ``(line number, path, label)`` tuples."""
        rows, first = [], True
        for number, line in enumerate(get_text(path).splitlines(), 1):
            fields = line.split()
            if not fields:
                continue
            header = first and tuple(f.lower() for f in fields) in HEADERS
            first = False
            if header:
                continue
            if len(fields) != 2:
                raise ValueError(
                    f'{path}:{number}: expected 2 fields "<path> <label>" '
                    f'separated by whitespace, got {len(fields)}: {line!r}')
            rows.append((number, fields[0], fields[1]))
        return rows

    def load_classes(self) -> Tuple[List[str], str]:
        """The labels in class-id order, from ``label_map`` or the training
        split file, and where they come from."""
        if isinstance(self.label_map, str):
            source = self._resolve(self.label_map)
            classes = [c.strip() for c in get_text(source).splitlines()]
            classes = [c for c in classes if c]
        elif self.label_map is not None:
            source, classes = 'label_map', [str(c) for c in self.label_map]
        else:
            source = self._resolve(self.train_csv) if self.train_csv else \
                osp.join(osp.dirname(self.ann_file), 'train.csv')
            if '://' not in source and not osp.isfile(source):
                raise FileNotFoundError(
                    f'training split {source} (which defines the class ids '
                    f'of {self.ann_file}) not found; set train_csv or '
                    'label_map')
            labels = {label for _, _, label in self.parse_csv(source)}
            return sorted(labels), source
        duplicates = sorted({c for c in classes if classes.count(c) > 1})
        if duplicates or not classes:
            raise ValueError(f'{source}: labels must be distinct and at '
                             f'least one, got duplicates {duplicates}')
        return classes, source

    def load_data_list(self) -> List[dict]:
        """Read ``ann_file`` and map its labels to class ids."""
        classes, source = self.load_classes()
        self._metainfo['classes'] = classes
        ids = {label: i for i, label in enumerate(classes)}
        data_list = []
        for number, filename, label in self.parse_csv(self.ann_file):
            if label not in ids:
                raise ValueError(
                    f'{self.ann_file}:{number}: label {label!r} is not in the '
                    f'class mapping ({len(classes)} classes, from {source})')
            if self.data_prefix['video'] is not None:
                filename = osp.join(self.data_prefix['video'], filename)
            check_label(ids[label], self.num_classes, self.ann_file, number,
                        name=label)
            data_list.append(dict(filename=filename, label=ids[label]))
        return data_list

    @property
    @force_full_init
    def classes(self) -> List[str]:
        """The labels; ``classes[class_id]`` is the label of a class id."""
        return list(self._metainfo['classes'])

    @staticmethod
    def save_label_map(classes: Sequence[str], path: str) -> None:
        """Write labels one per line, in class-id order, for ``label_map``."""
        with open(path, 'w') as file:
            file.writelines(f'{label}\n' for label in classes)
