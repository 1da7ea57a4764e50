"""check_logits_classes: a logits loss between heads of different classes
fails at build time, naming the loss, sources and class counts."""
from types import SimpleNamespace

import pytest

from mmrazor_video_kd.utils import check_logits_classes


def algorithm(student_classes, teacher_classes, student_source='cls_head',
              teacher_source='cls_head.fc_cls'):

    def model(classes):
        return SimpleNamespace(cls_head=SimpleNamespace(num_classes=classes))

    def recorders(source):
        return SimpleNamespace(
            recorders=dict(logits=SimpleNamespace(source=source)))

    distiller = SimpleNamespace(
        student_recorders=recorders(student_source),
        teacher_recorders=recorders(teacher_source),
        loss_forward_mappings=dict(loss_kl=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'))))
    return SimpleNamespace(architecture=model(student_classes),
                           teacher=model(teacher_classes),
                           distiller=distiller)


def test_different_classes_under_a_logits_loss_raise():
    with pytest.raises(ValueError,
                       match=r'loss_kl .*\(cls_head, 8 classes\).*'
                       r'\(cls_head\.fc_cls, 5 classes\)'):
        check_logits_classes(algorithm(8, 5))


@pytest.mark.parametrize('args', [
    (8, 8),
    (8, 5, 'backbone.layer4', 'backbone.layer4'),
    (None, 5),
])
def test_same_classes_features_or_unknown_heads_pass(args):
    check_logits_classes(algorithm(*args))
