"""CrossModalTranslationLoss: sum over modalities, by hand."""
import pytest
import torch

from mmrazor_video_kd.models.losses import CrossModalTranslationLoss


def test_weighted_sum_over_modalities_by_hand():
    translated = dict(
        rgb=torch.tensor([[1., 1.]]), flow=torch.tensor([[0., 2.]]))
    teacher_rgb = torch.tensor([[1., 3.]])  # mse 2
    # flow teacher as a '2d' map with 2 segments: pooled to [[0, 0]] -> mse 2
    teacher_flow = torch.zeros(2, 2, 3, 3)
    loss = CrossModalTranslationLoss(
        modality_weights=dict(flow=0.5),
        teacher_num_segments=dict(flow=2))(
            translated, teacher_rgb=teacher_rgb, teacher_flow=teacher_flow)
    assert loss.item() == pytest.approx(2 + 0.5 * 2)


def test_missing_head_and_no_teacher_are_explained():
    loss = CrossModalTranslationLoss()
    with pytest.raises(KeyError, match='skeleton'):
        loss(dict(rgb=torch.zeros(1, 2)), teacher_skeleton=torch.zeros(1, 2))
    with pytest.raises(ValueError, match='no teacher'):
        loss(dict(rgb=torch.zeros(1, 2)))


def test_gradients_reach_translation_only():
    translated = dict(rgb=torch.randn(2, 3, requires_grad=True))
    teacher = torch.randn(2, 3, requires_grad=True)
    CrossModalTranslationLoss(distance='cosine')(
        translated, teacher_rgb=teacher).backward()
    assert translated['rgb'].grad.abs().sum() > 0 and teacher.grad is None
