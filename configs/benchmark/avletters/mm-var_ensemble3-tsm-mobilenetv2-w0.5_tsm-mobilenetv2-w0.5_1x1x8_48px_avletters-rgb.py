# Moment matching: the mean and per-channel variance of the adapted student
# features match the teacher's (over batch, time and space).
_base_ = ['./_base_/ensemble_teacher_distill.py']

model = dict(
    distiller=dict(
        connectors=dict(
            adapter=dict(
                type='SpatioTemporalAdapter',
                in_channels=1280,
                out_channels=3840,
                in_num_segments=8)),
        distill_losses=dict(
            loss_moments=dict(
                type='MomentMatchingLoss',
                second_moment='var',
                num_segments=8,
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_moments=dict(
                preds_S=dict(
                    from_student=True, recorder='feat', connector='adapter'),
                preds_T=dict(from_student=False, recorder='feat')))))
