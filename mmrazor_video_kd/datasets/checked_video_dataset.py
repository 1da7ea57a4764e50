"""MMAction2's ``VideoDataset`` with clear errors for unreadable videos and
labels outside ``num_classes``."""
from typing import List

from mmaction.datasets import VideoDataset
from mmaction.registry import DATASETS
from mmengine.fileio import list_from_file
from mmengine.logging import print_log

from .label_check import check_label


class BadVideoError(RuntimeError):
    """A video of the dataset cannot be read or decoded."""


@DATASETS.register_module()
class CheckedVideoDataset(VideoDataset):
    """``VideoDataset`` that names the file when a video fails to load, and
    the line when a label is not a class id.

    A missing, empty or corrupt video otherwise surfaces as a decoder error
    without a file name, deep in a data-loader worker. With ``num_classes``
    set, every label of ``ann_file`` must lie in ``[0, num_classes)``, or
    :class:`~mmrazor_video_kd.datasets.label_check.LabelOutOfRangeError`
    names the file, the line and the bound when the dataset is built (not
    ``IndexError: Target 99 is out of bounds`` in the loss). Lines without
    a label (inference lists; ``VideoDataset`` gives them label -1) pass.

    Args:
        skip_bad_videos (bool): In training, skip an unreadable video (a
            random other sample is drawn, as MMEngine does for ``None``) and
            log a warning with the running count of skipped videos (per
            process); in test mode bad videos always raise, so that metrics
            cover the whole set. Defaults to False (raise).
        **kwargs: Arguments of ``VideoDataset``, e.g. ``num_classes``
            (None: labels are not checked).
    """

    def __init__(self, *args, skip_bad_videos: bool = False, **kwargs):
        self.skip_bad_videos = skip_bad_videos
        self.skipped_videos = 0
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> List[dict]:
        """``VideoDataset``'s list, labels checked against ``num_classes``."""
        data_list = super().load_data_list()
        if self.num_classes is None:
            return data_list
        lines = list_from_file(self.ann_file)
        for number, (line, info) in enumerate(zip(lines, data_list), 1):
            if len(line.strip().split(self.delimiter)) > 1:  # labelled
                check_label(info['label'], self.num_classes, self.ann_file,
                            number)
        return data_list

    def prepare_data(self, idx):
        try:
            return super().prepare_data(idx)
        except Exception as error:  # noqa: B902
            filename = self.get_data_info(idx).get('filename', f'#{idx}')
            if self.skip_bad_videos and not self.test_mode:
                self.skipped_videos += 1
                print_log(
                    f'skipped unreadable video {filename} ({error}); '
                    f'{self.skipped_videos} skipped so far',
                    logger='current', level=30)
                return None
            raise BadVideoError(
                f'cannot load video {filename} (sample {idx} of '
                f'{self.ann_file}): {type(error).__name__}: {error}. Fix or '
                'remove it from the list, or set '
                'dataset.skip_bad_videos=True to skip it in training.'
            ) from error
