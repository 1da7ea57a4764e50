# DIST (Huang et al., NeurIPS 2022; MMRazor's DISTLoss): the student matches
# the teacher's inter-class and intra-class (across the batch) relations of
# predictions by Pearson correlation instead of exact probabilities.
_base_ = ['./_base_/ensemble_teacher_distill.py']

model = dict(
    distiller=dict(
        distill_losses=dict(
            loss_dist=dict(type='DISTLoss', tau=1.0, loss_weight=2.0)),
        loss_forward_mappings=dict(
            loss_dist=dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder='logits')))))
