"""MultiTeacherDistill: named frozen teachers, one view each, label-free."""
import os.path as osp

import pytest
import torch
from conftest import REPO
from mmaction.structures import ActionDataSample
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmrazor.registry import MODELS

import mmrazor_video_kd  # noqa: F401
from mmrazor_video_kd.utils.checkpoints import TeacherCheckpointError

CFG = osp.join(REPO, 'configs/recognition/tsm/'
               'tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py')


def tsm(segments):
    return dict(type='model_from_config', config=CFG, cfg_options={
        'model.backbone.num_segments': segments,
        'model.cls_head.num_segments': segments})


def logits_loss(name, weight):
    return dict(type='SoftLabelDistillLoss', loss_weight=weight)


def build(calculate_student_loss=True, assistant_ckpt=None):
    init_default_scope('mmaction')
    teachers = dict(
        teacher=dict(model=tsm(16), view='frames16'),
        assistant=dict(model=tsm(8), view='frames8', ckpt=assistant_ckpt))
    recorders = dict(
        teacher_logits=dict(type='ModuleOutputs', source='teacher.cls_head'),
        teacher_feat=dict(type='ModuleOutputs', source='teacher.backbone'),
        assistant_logits=dict(type='ModuleOutputs',
                              source='assistant.cls_head'))
    return MODELS.build(dict(
        _scope_='mmrazor', type='MultiTeacherDistill',
        architecture=tsm(8), teachers=teachers, student_view='frames8',
        calculate_student_loss=calculate_student_loss,
        distiller=dict(
            type='ConfigurableDistiller',
            student_recorders=dict(
                logits=dict(type='ModuleOutputs', source='cls_head'),
                feat=dict(type='ModuleOutputs', source='backbone')),
            teacher_recorders=recorders,
            distill_losses=dict(
                loss_teacher=logits_loss('teacher', 1.0),
                loss_assistant=logits_loss('assistant', 0.8),
                loss_trd=dict(type='TemporalRelationLoss', num_segments=8,
                              teacher_num_segments=16)),
            loss_forward_mappings=dict(
                loss_teacher=dict(
                    logits_S=dict(from_student=True, recorder='logits'),
                    logits_T=dict(from_student=False,
                                  recorder='teacher_logits')),
                loss_assistant=dict(
                    logits_S=dict(from_student=True, recorder='logits'),
                    logits_T=dict(from_student=False,
                                  recorder='assistant_logits')),
                loss_trd=dict(
                    preds_S=dict(from_student=True, recorder='feat'),
                    preds_T=dict(from_student=False,
                                 recorder='teacher_feat'))))))


def batch(labels=True):
    """Two clips, each as 16 frames and as every second of them."""
    clips = [torch.randint(0, 256, (16, 3, 32, 32), dtype=torch.uint8)
             for _ in range(2)]
    samples = [ActionDataSample() for _ in clips]
    if labels:
        samples = [s.set_gt_label(i) for i, s in enumerate(samples)]
    return dict(inputs=[dict(frames16=c, frames8=c[::2]) for c in clips],
                data_samples=samples)


def test_each_teacher_gets_its_view_and_stays_frozen():
    model = build()
    rows = {}

    def count_rows(name):
        def hook(module, args, output):
            rows[name] = args[0].shape[0]
        return hook

    for name, teacher in model.teachers.items():
        teacher.backbone.register_forward_hook(count_rows(name))
    model.train()
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    log_vars = model.train_step(batch(), optim)
    assert rows == dict(teacher=2 * 16, assistant=2 * 8)
    assert {'distill.loss_teacher', 'distill.loss_assistant',
            'distill.loss_trd', 'student.loss_cls'} <= set(log_vars)
    assert not any(m.training for m in model.teachers.modules())
    assert all(p.grad is None for p in model.teachers.parameters())
    assert model.distiller.distill_losses['loss_assistant'].loss_weight == 0.8


def test_label_free_training_uses_only_distillation_losses():
    model = build(calculate_student_loss=False)
    model.train()
    student = model.student
    before = [p.detach().clone() for p in student.parameters()]
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    log_vars = model.train_step(batch(labels=False), optim)
    assert not any(k.startswith('student.') for k in log_vars)
    assert any(not torch.equal(a, b)
               for a, b in zip(before, student.parameters()))


def test_missing_view_and_bad_teacher_checkpoint_are_named(tmp_path):
    model = build()
    data = batch()
    data['inputs'] = [dict(frames8=x['frames8']) for x in data['inputs']]
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    with pytest.raises(KeyError, match="teacher 'teacher' takes view "
                       "'frames16'.*frames8"):
        model.train_step(data, optim)
    torch.save({'state_dict': {'nope': torch.zeros(1)}}, tmp_path / 'a.pth')
    with pytest.raises(TeacherCheckpointError,
                       match='model.teachers.assistant.ckpt'):
        build(assistant_ckpt=str(tmp_path / 'a.pth'))


def test_student_predictions_on_its_view():
    model = build()
    model.eval()
    predictions = model.test_step(batch())
    assert len(predictions) == 2
    assert predictions[0].pred_score.shape == (8, )


def test_views_collated_by_the_dataloader_reach_each_model():
    """MMEngine's pseudo_collate turns per-sample view dicts into
    ``{view: [tensor, ...]}``; both forms select the same tensors."""
    from mmengine.dataset import pseudo_collate
    data = batch()
    samples = [dict(inputs=i, data_samples=s)
               for i, s in zip(data['inputs'], data['data_samples'])]
    collated = pseudo_collate(samples)
    assert isinstance(collated['inputs'], dict)
    for view in ('frames8', 'frames16'):
        a = model_input(collated, view)
        b = model_input(data, view)
        assert all(torch.equal(x, y) for x, y in zip(a, b))
    model = build()
    model.train()
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    assert 'distill.loss_teacher' in model.train_step(collated, optim)


def model_input(data, view):
    from mmrazor_video_kd.models.algorithms import MultiTeacherDistill
    return MultiTeacherDistill.select_view(data, view, 'test')['inputs']


def test_student_mixup_is_replayed_on_the_teachers_view():
    """The student's MixupBlending blends its batch; the teacher's view of
    the same batch gets the same weight and partners (checked against a
    plain mixup drawn from the same seed), and the random generator moves on
    as if only the student had blended."""
    from mmaction.models import ActionDataPreprocessor

    from mmrazor_video_kd.models.algorithms.multi_view_data_preprocessor \
        import MultiViewDataPreprocessor
    student = ActionDataPreprocessor(
        blending=dict(type='MixupBlending', num_classes=4, alpha=1.0))
    preprocessor = MultiViewDataPreprocessor(
        student=('joints', student),
        teachers=dict(teacher=('joints_bones', ActionDataPreprocessor())))
    clips = [torch.randn(1, 8, 5, 6) for _ in range(4)]
    data = dict(
        inputs=[dict(joints=c[..., :3], joints_bones=c) for c in clips],
        data_samples=[ActionDataSample().set_gt_label(i) for i in range(4)])

    torch.manual_seed(3)
    out = preprocessor(data, training=True)
    after = torch.rand(1)
    torch.manual_seed(3)
    lam = torch.distributions.Beta(1.0, 1.0).sample()
    partners = torch.randperm(4)
    expected_after = torch.rand(1)

    stacked = torch.stack(clips)
    expected = lam * stacked + (1 - lam) * stacked[partners]
    assert not torch.allclose(expected, stacked)
    teacher = out['inputs']['teachers']['teacher']
    torch.testing.assert_close(teacher, expected)
    torch.testing.assert_close(out['inputs']['student'], expected[..., :3])
    soft = torch.stack([s.gt_label for s in out['data_samples']])
    torch.testing.assert_close(
        soft, lam * torch.eye(4) + (1 - lam) * torch.eye(4)[partners])
    assert torch.equal(after, expected_after)

    # outside training nothing is blended and teachers get nothing
    out = preprocessor(data, training=False)
    assert torch.equal(out['inputs']['student'], stacked[..., :3])
    assert out['inputs']['teachers'] == {}
