"""The student-only converter: what it keeps, drops and refuses."""
import os.path as osp

import pytest
import torch
from conftest import REPO, load_script

from mmrazor_video_kd.utils import (NotADistillationCheckpoint,
                                    student_checkpoint)

STUDENT_CFG = osp.join(
    REPO, 'configs/recognition/tsm/'
    'tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py')


def load_tool():
    return load_script('tools/convert_kd_ckpt_to_student.py')


def distill_ckpt(student_state):
    state = {f'architecture.{k}': v for k, v in student_state.items()}
    state.update({
        'teacher.backbone.w': torch.ones(3),
        'teachers.assistant.w': torch.ones(1),
        'distiller.connectors.c.weight': torch.ones(2),
    })
    return dict(
        meta=dict(epoch=3, iter=30, seed=0, hook_msgs={'best': 'x'},
                  cfg='a long config text'),
        state_dict=state, optimizer={'state': {}}, message_hub={},
        param_schedulers=[])


def test_keeps_only_student_and_useful_meta():
    student = {'backbone.w': torch.arange(3.), 'cls_head.b': torch.zeros(2)}
    out = student_checkpoint(distill_ckpt(student), source='x.pth')
    assert set(out) == {'meta', 'state_dict'}
    assert set(out['state_dict']) == set(student)
    assert torch.equal(out['state_dict']['backbone.w'], torch.arange(3.))
    assert {k: out['meta'][k] for k in ('epoch', 'iter', 'seed')} == dict(
        epoch=3, iter=30, seed=0)
    assert 'hook_msgs' not in out['meta'] and 'cfg' not in out['meta']
    assert out['meta']['converted_from_distillation'] == dict(
        source='x.pth', dropped_prefixes=['distiller', 'teacher', 'teachers'])


@pytest.mark.parametrize('ckpt', [
    {'state_dict': {'backbone.w': torch.ones(1)}},
    {'meta': {}},
    'not a dict',
])
def test_refuses_non_distillation_checkpoints(ckpt):
    with pytest.raises(NotADistillationCheckpoint, match='plain.pth'):
        student_checkpoint(ckpt, source='plain.pth')


def test_cli_converts_verifies_and_loads_strictly(tmp_path, capsys):
    from mmrazor_video_kd.models import model_from_config
    student = model_from_config(STUDENT_CFG)
    src = tmp_path / 'epoch_3.pth'
    torch.save(distill_ckpt(student.state_dict()), src)
    load_tool().main([str(src), '--verify', STUDENT_CFG])
    out = tmp_path / 'epoch_3_student.pth'
    assert 'verified' in capsys.readouterr().out
    fresh = model_from_config(STUDENT_CFG)
    fresh.load_state_dict(torch.load(out)['state_dict'], strict=True)
    for key, value in student.state_dict().items():
        assert torch.equal(fresh.state_dict()[key], value), key


def test_cli_refuses_plain_checkpoint_and_keeps_existing_output(tmp_path):
    tool = load_tool()
    plain = tmp_path / 'plain.pth'
    torch.save({'state_dict': {'backbone.w': torch.ones(1)}}, plain)
    with pytest.raises(SystemExit, match='not a distillation checkpoint'):
        tool.main([str(plain), '--out', str(tmp_path / 'o.pth')])
    assert not (tmp_path / 'o.pth').exists()

    src = tmp_path / 'kd.pth'
    torch.save(distill_ckpt({'backbone.w': torch.ones(1)}), src)
    existing = tmp_path / 'existing.pth'
    existing.write_bytes(b'precious')
    with pytest.raises(SystemExit, match='exists; pass --force'):
        tool.main([str(src), '--out', str(existing)])
    assert existing.read_bytes() == b'precious'
    with pytest.raises(SystemExit, match='would overwrite the input'):
        tool.main([str(src), '--out', str(src), '--force'])


def test_cli_verify_names_mismatched_keys(tmp_path):
    src = tmp_path / 'kd.pth'
    torch.save(distill_ckpt({'backbone.not_there': torch.ones(1)}), src)
    with pytest.raises(SystemExit, match='unexpected keys.*not_there'):
        load_tool().main([str(src), '--verify', STUDENT_CFG])
    assert not (tmp_path / 'kd_student.pth').exists()
