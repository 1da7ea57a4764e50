# Temporal relation distillation: the student's 8x8 frame-to-frame cosine
# similarity matrix of last-stage features matches the teacher's (no
# connector; channel widths may differ).
_base_ = ['./_base_/ensemble_teacher_distill.py']

model = dict(
    distiller=dict(
        distill_losses=dict(
            loss_trd=dict(
                type='TemporalRelationLoss', num_segments=8,
                loss_weight=10.0)),
        loss_forward_mappings=dict(
            loss_trd=dict(
                preds_S=dict(from_student=True, recorder='feat'),
                preds_T=dict(from_student=False, recorder='feat')))))
