# The benchmark teacher: the averaged prediction of three benchmark students
# trained with other seeds (an ensemble beats its members, where a bigger
# network trained from scratch on 390 clips does not). Its weights are one
# checkpoint made by `tools/analysis/build_ensemble_checkpoint.py`; test with
# `python tools/test.py CONFIG CHECKPOINT` (add
# `--cfg-options test_dataloader.dataset.pipeline.1.twice_sample=True` for two
# 8-frame clips per video, i.e. 16 frames).
_base_ = ['./tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py']

member_config = '{{fileDirname}}/tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py'  # noqa: E501
model = dict(
    _delete_=True,
    type='EnsembleRecognizer',
    members=[dict(config=member_config) for _ in range(3)],
    num_segments=8,
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[64, 64, 64],
        format_shape='NCHW'))
