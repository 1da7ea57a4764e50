# Few-shot evaluation of a (distilled) student's features: 5-way 1-shot
# episodes (400, seeded) with a nearest-prototype classifier on the pooled
# backbone features of the AVLetters validation speakers. Test a student
# checkpoint (e.g. from `tools/convert_kd_ckpt_to_student.py`) with
#   python tools/test.py CONFIG STUDENT.pth
# The classifier weights of the checkpoint are not used (FeatureHead). Each
# AVLetters class has 6 validation clips, so episodes use 5 queries per class
# (1 support + 5 queries); FewShotMetric skips classes with fewer samples.
_base_ = ['../benchmark/avletters/tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py']

model = dict(
    cls_head=dict(
        _delete_=True, type='FeatureHead', backbone_name='tsm',
        num_segments=8, average_clips='score'))
test_evaluator = dict(
    _delete_=True, type='FewShotMetric', n_way=5, k_shot=1, n_query=5,
    num_episodes=400, seed=0)
