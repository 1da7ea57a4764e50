# The combination (fixed before any result was seen): logits KL (T=4) + DIST
# relations + temporal relations, each with the weight of its own config.
_base_ = ['./_base_/ensemble_teacher_distill.py']

model = dict(
    distiller=dict(
        distill_losses=dict(
            loss_kl=dict(type='KLDivergence', tau=4, loss_weight=1.0),
            loss_dist=dict(type='DISTLoss', tau=1.0, loss_weight=2.0),
            loss_trd=dict(
                type='TemporalRelationLoss', num_segments=8,
                loss_weight=10.0)),
        loss_forward_mappings=dict(
            loss_kl=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')),
            loss_dist=dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder='logits')),
            loss_trd=dict(
                preds_S=dict(from_student=True, recorder='feat'),
                preds_T=dict(from_student=False, recorder='feat')))))
