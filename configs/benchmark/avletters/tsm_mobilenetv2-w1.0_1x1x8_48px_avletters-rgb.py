# The benchmark's single-network teacher candidate with more capacity than the
# student: TSM-MobileNetV2 at full width (1.0 instead of 0.5) on the student's
# input (8 segments, 48x48 crops of 54x54 frames), with the regularisation a
# 3x larger network needs on 390 clips (dropout 0.5 before the classifier;
# label smoothing and epochs come from its recipe in the candidates list).
# About 3x the student's multiply-adds
# (tests/test_analysis/test_benchmark_candidates.py checks >= 3x). Chosen,
# like every recipe, on the development folds (docs/benchmark_protocol.md).
_base_ = ['./tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py']

model = dict(backbone=dict(widen_factor=1.0),
             cls_head=dict(dropout_ratio=0.5))
