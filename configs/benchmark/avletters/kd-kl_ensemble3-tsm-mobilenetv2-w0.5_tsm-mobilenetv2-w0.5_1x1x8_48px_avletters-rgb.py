# Logits distillation: KL divergence at temperature 4 to the ensemble's
# class distribution, plus the student's own cross-entropy.
_base_ = ['./_base_/ensemble_teacher_distill.py']

model = dict(
    distiller=dict(
        distill_losses=dict(
            loss_kl=dict(type='KLDivergence', tau=4, loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_kl=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))
