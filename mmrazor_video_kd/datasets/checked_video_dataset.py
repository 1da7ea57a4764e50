"""MMAction2's ``VideoDataset`` with clear errors for unreadable videos."""
from mmaction.datasets import VideoDataset
from mmaction.registry import DATASETS
from mmengine.logging import print_log


class BadVideoError(RuntimeError):
    """A video of the dataset cannot be read or decoded."""


@DATASETS.register_module()
class CheckedVideoDataset(VideoDataset):
    """``VideoDataset`` that names the file when a video fails to load.

    A missing, empty or corrupt video otherwise surfaces as a decoder error
    without a file name, deep in a data-loader worker.

    Args:
        skip_bad_videos (bool): In training, skip an unreadable video (a
            random other sample is drawn, as MMEngine does for ``None``) and
            log a warning with the running count of skipped videos (per
            process); in test mode bad videos always raise, so that metrics
            cover the whole set. Defaults to False (raise).
        **kwargs: Arguments of ``VideoDataset``.
    """

    def __init__(self, *args, skip_bad_videos: bool = False, **kwargs):
        self.skip_bad_videos = skip_bad_videos
        self.skipped_videos = 0
        super().__init__(*args, **kwargs)

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
