"""The MSR Action3D benchmark's teacher has more capacity than the student
(>= 3x its multiply-adds, same input), and its distillation config pairs
the two configs the script trains."""
import torch
from conftest import REPO
from mmengine.analysis import get_model_complexity_info
from mmengine.config import Config

from mmrazor_video_kd.models import model_from_config

BENCH = f'{REPO}/configs/benchmark/msr_action3d'
STUDENT = f'{REPO}/configs/recognition/skeleton/stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
TEACHER = f'{BENCH}/stgcn_msr-action3d-joints.py'


def flops(config):
    model = model_from_config(config).eval()
    joints = torch.zeros(1, 1, 1, 32, 20, 3)  # N, clips, M, T, V, C
    return get_model_complexity_info(model, inputs=(joints, ),
                                     show_table=False,
                                     show_arch=False)['flops']


def test_teacher_costs_3x_the_student():
    assert flops(TEACHER) >= 3 * flops(STUDENT)


def test_distillation_config_pairs_teacher_and_student():
    cfg = Config.fromfile(
        f'{BENCH}/kd-kl_stgcn_stgcn-tiny_msr-action3d-joints.py')
    assert Config.fromfile(cfg.model.teacher.config).model == \
        Config.fromfile(TEACHER).model
    assert Config.fromfile(cfg.model.architecture.config).model == \
        Config.fromfile(STUDENT).model
