"""tools/analysis/benchmark_report.py costs: parameters, multiply-adds and
CPU latency of models given by config and input shape, here the MSR
Action3D student and its teacher with more input; --reuse keeps the costs
measured for the same models."""
import json

from conftest import REPO, load_script

from mmrazor_video_kd.models import model_from_config

report_tool = load_script('tools/analysis/benchmark_report.py')
STUDENT = f'{REPO}/configs/recognition/skeleton/stgcn-tiny_msr-action3d-joints.py'  # noqa: E501
TEACHER = f'{REPO}/configs/benchmark/msr_action3d/stgcn_msr-action3d-joints-bones-motion.py'  # noqa: E501


def test_costs_of_skeleton_models_by_input_shape(tmp_path, capsys):
    out, table = tmp_path / 'costs.json', tmp_path / 'results.md'
    table.write_text('| Method |\n')
    report_tool.main(['costs', '--model', 'student', STUDENT, '1x1x32x20x3',
                      '--model', 'teacher', TEACHER, '1x1x32x20x12',
                      '--repeats', '1', '--out', str(out),
                      '--markdown', str(table)])
    costs = json.loads(out.read_text())
    for name, config in (('student', STUDENT), ('teacher', TEACHER)):
        params = sum(p.numel() for p in model_from_config(config).parameters())
        assert abs(costs[name]['params_m'] - params / 1e6) < 1e-9
        assert costs[name]['latency_ms'] > 0
    assert costs['student']['input'] == [1, 1, 1, 32, 20, 3]
    assert costs['teacher']['input'] == [1, 1, 1, 32, 20, 12]
    assert costs['teacher']['gflops'] > 3 * costs['student']['gflops'] > 0
    printed = capsys.readouterr().out
    assert '| student | 0.51 |' in printed and '| teacher |' in printed
    lines = table.read_text().splitlines()  # appended, nothing else
    assert lines[0] == '| Method |' and lines[1] == ''
    assert lines[2].startswith('| model |') and len(lines) == 6


def test_reuse_keeps_costs_of_the_same_models_only(tmp_path, monkeypatch,
                                                   capsys):
    out = tmp_path / 'costs.json'
    student = ['--model', 'student', STUDENT, '1x1x32x20x3']
    report_tool.main(['costs', *student, '--repeats', '1', '--out', str(out)])
    first = json.loads(out.read_text())
    assert first['student']['config'] == STUDENT
    measured = []
    real = report_tool.model_costs
    monkeypatch.setattr(report_tool, 'model_costs', lambda models, repeats: (
        measured.append(sorted(models)) or real(models, repeats)))
    report_tool.main(['costs', *student, '--out', str(out), '--reuse'])
    assert measured == [] and json.loads(out.read_text()) == first
    assert f'costs of {out} kept' in capsys.readouterr().out
    # another shape, another model, or no --reuse: measured again
    for options in (['--model', 'student', STUDENT, '1x1x16x20x3', '--reuse'],
                    [*student, '--model', 'teacher', TEACHER, '1x1x32x20x12',
                     '--reuse'],
                    student):
        report_tool.main(['costs', *options, '--repeats', '1',
                          '--out', str(out)])
    assert measured == [['student'], ['student', 'teacher'], ['student']]
    out.write_text('{"student": ')  # cut short: measured again, rewritten
    report_tool.main(['costs', *student, '--repeats', '1', '--out', str(out),
                      '--reuse'])
    assert f'{out} is not valid JSON' in capsys.readouterr().out
    assert measured[-1] == ['student']
    assert json.loads(out.read_text())['student']['config'] == STUDENT
