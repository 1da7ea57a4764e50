"""The MSR Action3D benchmark's teachers cost >= 3x the student's
multiply-adds (one with more capacity on the same input, one that also sees
bones and motion), and each distillation config pairs the configs the script
trains; the teacher with more input gives the student the same joints as
the student's own pipeline."""
import numpy as np
import pytest
import torch
from conftest import REPO
from mmengine.analysis import get_model_complexity_info
from mmaction.registry import DATASETS
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmrazor_video_kd.models import model_from_config

BENCH = f'{REPO}/configs/benchmark/msr_action3d'
STUDENT = f'{REPO}/configs/recognition/skeleton/stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
TEACHER = f'{BENCH}/stgcn_msr-action3d-joints.py'
TEACHER_JBM = f'{BENCH}/stgcn_msr-action3d-joints-bones-motion.py'
KD_JBM = f'{BENCH}/kd-kl_stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
ENSEMBLE = f'{BENCH}/ensemble3_stgcn_msr-action3d-joints-bones-motion.py'
KD_ENSEMBLE = f'{BENCH}/kd-kl_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
KD_T1_ENSEMBLE = f'{BENCH}/kd-kl-t1_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
KD_T1_LS_ENSEMBLE = f'{BENCH}/kd-kl-t1-ls0.1_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
KD_W025_ENSEMBLE = f'{BENCH}/kd-kl-w0.25_ensemble3-stgcn-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
STUDENT_LS = f'{BENCH}/student-ls0.1_stgcn-tiny_msr-action3d-joints.py'
MEMBER_LS = f'{BENCH}/stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py'
ENSEMBLE_LS = f'{BENCH}/ensemble3_stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py'  # noqa: E501
KD_LS_ENSEMBLE_LS = f'{BENCH}/kd-kl-ls0.1_ensemble3-stgcn-tiny-ls0.1-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
KD_T1_LS_ENSEMBLE_LS = f'{BENCH}/kd-kl-t1-ls0.1_ensemble3-stgcn-tiny-ls0.1-joints-bones-motion_stgcn-tiny_msr-action3d-joints.py'  # noqa: E501


def flops(config, channels=3):
    model = model_from_config(config).eval()
    joints = torch.zeros(1, 1, 1, 32, 20, channels)  # N, clips, M, T, V, C
    return get_model_complexity_info(model, inputs=(joints, ),
                                     show_table=False,
                                     show_arch=False)['flops']


def test_teacher_costs_3x_the_student():
    assert flops(TEACHER) >= 3 * flops(STUDENT)
    assert flops(TEACHER_JBM, channels=12) >= 3 * flops(STUDENT)


def test_ensemble_members_are_the_teacher_with_more_input():
    members = Config.fromfile(ENSEMBLE).model.members
    assert len(members) == 3
    for member in members:
        assert Config.fromfile(member.config).model == \
            Config.fromfile(TEACHER_JBM).model


def test_label_smoothed_members_are_the_tuned_student_on_more_input():
    members = Config.fromfile(ENSEMBLE_LS).model.members
    assert [m.config for m in members] == [MEMBER_LS] * 3
    member = Config.fromfile(MEMBER_LS)
    tuned = Config.fromfile(STUDENT_LS)
    # the tuned student's network and head, on 12 channels per joint
    assert member.model.backbone.pop('in_channels') == 12
    tuned.model.backbone.pop('in_channels')
    assert member.model == tuned.model
    # the input and recipe of the teacher with more input
    jbm = Config.fromfile(TEACHER_JBM)
    for key in ('train_dataloader', 'val_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg'):
        assert member[key] == jbm[key], key
    assert flops(ENSEMBLE_LS, channels=12) >= 3 * flops(STUDENT)


def test_distillation_config_pairs_teacher_and_student():
    cfg = Config.fromfile(
        f'{BENCH}/kd-kl_stgcn_stgcn-tiny_msr-action3d-joints.py')
    assert Config.fromfile(cfg.model.teacher.config).model == \
        Config.fromfile(TEACHER).model
    assert Config.fromfile(cfg.model.architecture.config).model == \
        Config.fromfile(STUDENT).model


@pytest.mark.parametrize('kd, teacher_config, recorder', [
    (KD_JBM, TEACHER_JBM, 'teacher.cls_head'),
    (KD_ENSEMBLE, ENSEMBLE, 'teacher.logits')])
def test_distillation_config_with_more_input_pairs_its_teacher(
        kd, teacher_config, recorder):
    cfg = Config.fromfile(kd)
    teacher = cfg.model.teachers.teacher
    assert Config.fromfile(teacher.model.config).model == \
        Config.fromfile(teacher_config).model
    assert cfg.model.distiller.teacher_recorders.logits.source == recorder
    assert Config.fromfile(cfg.model.architecture.config).model == \
        Config.fromfile(STUDENT).model
    assert (cfg.model.student_view, teacher.view) == ('student', 'keypoint')


@pytest.mark.parametrize('variant, option, values, kd', [
    (KD_T1_ENSEMBLE, 'tau', (4, 1), KD_ENSEMBLE),
    (KD_W025_ENSEMBLE, 'loss_weight', (1.0, 0.25), KD_ENSEMBLE),
    (KD_T1_LS_ENSEMBLE_LS, 'tau', (4, 1), KD_LS_ENSEMBLE_LS)])
def test_kd_variant_changes_only_its_option(variant, option, values, kd):
    variant = Config.fromfile(variant)
    kd = Config.fromfile(kd)
    loss, loss_kd = (cfg.model.distiller.distill_losses.loss_kl
                     for cfg in (variant, kd))
    assert (loss_kd[option], loss[option]) == values
    loss[option] = loss_kd[option]
    assert variant.to_dict() == kd.to_dict()


@pytest.mark.parametrize('variant, option, value', [
    ('student-ls0.1', 'label_smooth_eps', 0.1),
    ('student-ls0.2', 'label_smooth_eps', 0.2),
    ('student-ls0.3', 'label_smooth_eps', 0.3),
    ('student-ls0.4', 'label_smooth_eps', 0.4),
    ('student-dropout0.5', 'dropout', 0.5)])
def test_student_variant_changes_only_its_option(variant, option, value):
    variant = Config.fromfile(
        f'{BENCH}/{variant}_stgcn-tiny_msr-action3d-joints.py')
    student = Config.fromfile(STUDENT)
    assert option not in student.model.cls_head
    assert variant.model.cls_head.pop(option) == value
    assert variant.to_dict() == student.to_dict()


def test_kd_on_the_tuned_student_recipe_changes_only_the_student():
    tuned = Config.fromfile(KD_T1_LS_ENSEMBLE)
    kd = Config.fromfile(KD_T1_ENSEMBLE)
    student = tuned.model.architecture.pop('config')
    assert student.endswith('/student-ls0.1_stgcn-tiny_msr-action3d-joints.py')
    assert Config.fromfile(student).model.cls_head.label_smooth_eps == 0.1
    kd.model.architecture.pop('config')
    tuned.pop('student_config')
    kd.pop('student_config')
    assert tuned.to_dict() == kd.to_dict()


def first_sample(config, split, seed):
    """Sample 0 of the config's dataset, its frames drawn after `seed`."""
    init_default_scope('mmaction')
    cfg = Config.fromfile(config)
    dataset = DATASETS.build(cfg[f'{split}_dataloader'].dataset)
    np.random.seed(seed)
    return dataset[0]['inputs']


@pytest.mark.parametrize('split', ['train', 'val'])
def test_teacher_input_holds_the_students_joints_then_bones(split):
    student = first_sample(STUDENT, split, seed=3)
    teacher = first_sample(TEACHER_JBM, split, seed=3)
    assert tuple(teacher.shape[-2:]) == (20, 12)
    torch.testing.assert_close(teacher[..., :3], student)
    # bone of the left shoulder (joint 0) = joint 0 - its parent, joint 2
    torch.testing.assert_close(teacher[..., 0, 3:6],
                               student[..., 0, :] - student[..., 2, :])
    # the root (joint 3) has no parent: a zero bone
    assert teacher[..., 3, 3:6].abs().max() == 0


def test_distillation_sample_gives_the_student_its_own_joints():
    student = first_sample(STUDENT, 'train', seed=5)
    views = first_sample(KD_JBM, 'train', seed=5)
    torch.testing.assert_close(views['student'], student)
    torch.testing.assert_close(views['keypoint'][..., :3], student)
    assert views['keypoint'].shape[-1] == 12


def test_kd_from_the_label_smoothed_ensemble_changes_teacher_and_student():
    cfg = Config.fromfile(KD_LS_ENSEMBLE_LS)
    kd = Config.fromfile(KD_ENSEMBLE)
    assert cfg.model.teachers.teacher.model.pop('config') == ENSEMBLE_LS
    assert cfg.model.architecture.pop('config') == STUDENT_LS
    for key in ('teacher_config', 'student_config'):
        cfg.pop(key)
        kd.pop(key, None)
    kd.model.teachers.teacher.model.pop('config')
    kd.model.architecture.pop('config')
    assert cfg.to_dict() == kd.to_dict()


@pytest.mark.parametrize('method, student', [
    ('kd-kl-ls0.3', 'student-ls0.3'), ('kd-kl-mixup0.5', 'student-mixup0.5')])
def test_kd_on_a_further_tuned_recipe_changes_only_the_student(
        method, student):
    cfg = Config.fromfile(KD_LS_ENSEMBLE_LS.replace('kd-kl-ls0.1', method))
    kd = Config.fromfile(KD_LS_ENSEMBLE_LS)
    assert cfg.model.architecture.pop('config') == \
        f'{BENCH}/{student}_stgcn-tiny_msr-action3d-joints.py'
    kd.model.architecture.pop('config')
    cfg.pop('student_config')
    kd.pop('student_config')
    assert cfg.to_dict() == kd.to_dict()


def test_mixup_student_is_the_tuned_recipe_with_mixup():
    mixup = Config.fromfile(
        f'{BENCH}/student-mixup0.5_stgcn-tiny_msr-action3d-joints.py')
    tuned = Config.fromfile(
        f'{BENCH}/student-ls0.3_stgcn-tiny_msr-action3d-joints.py')
    assert 'data_preprocessor' not in tuned.model
    assert mixup.model.pop('data_preprocessor') == dict(
        type='ActionDataPreprocessor',
        blending=dict(type='MixupBlending', num_classes=20, alpha=0.5))
    assert mixup.to_dict() == tuned.to_dict()


def script_defaults(**env):
    """TEACHER, METHODS, BASELINES and TUNED_BASELINE after sourcing the
    choices file of the MSR scripts, in ``env`` (nothing else set)."""
    import subprocess
    out = subprocess.run(
        ['bash', '-c', 'source tools/analysis/msr_benchmark_choices.sh; '
         'printf "%s\\n" "$TEACHER" "$METHODS" "$BASELINES" '
         '"$TUNED_BASELINE"'], cwd=REPO, env=dict(PATH='/usr/bin:/bin', **env),
        capture_output=True, text=True, check=True).stdout
    return dict(zip(('TEACHER', 'METHODS', 'BASELINES', 'TUNED_BASELINE'),
                    out.split('\n')))


def test_the_defaults_are_the_choices_made_on_the_folds():
    """Without settings the scripts run the choices of the folds (the best
    teacher, distillation setting and student settings), each a config
    here; an empty METHODS or BASELINES stays empty."""
    chosen = script_defaults()
    assert chosen == dict(
        TEACHER='ensemble-tiny-ls0.1-joints-bones-motion',
        METHODS='kd-kl-ls0.3', BASELINES='student-ls0.3 student-ls0.4',
        TUNED_BASELINE='student-ls0.4')
    teacher = 'ensemble3-stgcn-tiny-ls0.1-joints-bones-motion'
    Config.fromfile(f'{BENCH}/kd-kl-ls0.3_{teacher}_stgcn-tiny_msr-action3d-'
                    'joints.py')
    for variant in chosen['BASELINES'].split():
        Config.fromfile(f'{BENCH}/{variant}_stgcn-tiny_msr-action3d-joints.py')
    assert chosen['TUNED_BASELINE'] in chosen['BASELINES'].split()
    empty = script_defaults(METHODS='', BASELINES='', TEACHER='joints')
    assert (empty['TEACHER'], empty['METHODS'], empty['BASELINES']) == \
        ('joints', '', '')
