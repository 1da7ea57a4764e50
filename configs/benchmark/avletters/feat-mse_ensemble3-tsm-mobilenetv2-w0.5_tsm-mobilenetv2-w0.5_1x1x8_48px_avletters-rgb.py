# Feature distillation: the student's last-stage features, projected to the
# teacher's 3 x 1280 channels by a 1x1x1 adapter, regress the (layer-normed)
# concatenated features of the ensemble members.
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
            loss_feat=dict(
                type='FeatureDistillLoss',
                distance='mean_square_error',
                normalize_teacher='layer_norm',
                num_segments=8,
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_feat=dict(
                preds_S=dict(
                    from_student=True, recorder='feat', connector='adapter'),
                preds_T=dict(from_student=False, recorder='feat')))))
