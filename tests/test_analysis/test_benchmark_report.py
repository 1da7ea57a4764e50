"""tools/analysis/benchmark_report.py report on a work folder of
result.json files (model costs stubbed, nothing trained): each method's row
carries the paired difference to the student without distillation with its
95% interval and the distillation ratio (tools/analysis/benchmark_stats.py),
also with one seed only."""
import json

import pytest
from conftest import load_script

report_tool = load_script('tools/analysis/benchmark_report.py')

STUDENT = ('configs/benchmark/avletters/'
           'tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py')
COST = dict(params_m=1.0, gflops=0.1, latency_ms=2.0, input=[1, 8, 3, 48,
                                                              48])


def write_run(work, name, top1, seed=None, teacher=None, threads=1,
              train_top1=None):
    run = work / name
    run.mkdir(parents=True, exist_ok=True)
    (run / 'result.json').write_text(json.dumps(dict(
        config=STUDENT, seed=seed, top1=top1, teacher_top1=teacher,
        threads=threads if seed is not None else None, train_top1=train_top1,
        curves={'distill.loss_kl': [[1, 2.0], [2, 1.0]]})))


def run_report(work, monkeypatch, seeds=None):
    # latency measured with 4 threads, other than the trainings' 1
    monkeypatch.setattr(report_tool, 'model_costs', lambda models, _: dict(
        {name: dict(COST) for name in models}, threads=4))
    args = ['report', str(work), '--student-config', STUDENT,
            '--teacher-config', STUDENT, '--methods', 'kd-kl', 'trd']
    report_tool.main(args + (['--seeds'] + seeds if seeds else []))
    return (work / 'results.md').read_text().splitlines()


@pytest.fixture
def work(tmp_path):
    work = tmp_path / 'bench'
    for seed, base, kd, trd in ((0, .20, .25, .19), (1, .22, .24, .21),
                                (2, .21, .27, .25)):
        write_run(work, f'student_seed{seed}', base, seed)
        write_run(work, f'kd-kl_seed{seed}', kd, seed, .30)
        write_run(work, f'trd_seed{seed}', trd, seed, .30)
    write_run(work, 'teacher_8frames', .30)
    write_run(work, 'teacher_16frames', .32)
    return work


def test_rows_carry_paired_interval_and_ratio(work, monkeypatch):
    lines = run_report(work, monkeypatch)
    assert '| Gain | Paired diff [95% CI] | Distillation ratio |' in lines[0]
    assert lines[1].count('---') == 10
    kd = next(line for line in lines if line.startswith('| kd-kl |'))
    # diffs 5, 2, 6 points: mean 4.33, CI 4.33 -+ 4.303 * 2.082 / sqrt(3)
    assert '| +4.3 | +4.3 [-0.8, +9.5] | 0.48 |' in kd
    trd = next(line for line in lines if line.startswith('| trd |'))
    # diffs -1, -1, +4: mean 0.67, sd 2.89, half width 4.303 * 2.89 / sqrt(3)
    assert '| +0.7 [-6.5, +7.8] | 0.07 |' in trd
    assert any('docs/benchmark_protocol.md' in line for line in lines)
    assert any('Every training ran with 1 torch thread(s)' in line
               for line in lines)
    assert any('CPU latency: one clip, median of 30 runs with 4 torch '
               'thread(s)' in line for line in lines)
    rows = json.loads((work / 'results.json').read_text())['methods']
    assert rows[0]['paired_diff']['n'] == 3
    assert rows[0]['paired_diff']['ci'] == pytest.approx([-.00838, .09504],
                                                         abs=1e-5)
    assert rows[0]['distillation_ratio'] == pytest.approx(0.0433 / 0.09,
                                                          abs=1e-3)
    assert rows[0]['ci_gain'] is False


def test_one_seed_reports_without_interval(work, monkeypatch):
    lines = run_report(work, monkeypatch, seeds=['0'])
    kd = next(line for line in lines if line.startswith('| kd-kl |'))
    # ratio (0.25 - 0.20) / (0.30 - 0.20)
    assert '| n < 2 common seeds | 0.50 |' in kd
    rows = json.loads((work / 'results.json').read_text())['methods']
    assert rows[0]['paired_diff'] is None and rows[0]['ci_gain'] is None


def test_recipe_and_training_accuracy_are_stated(work, monkeypatch):
    """The note under the table gives the runs' epochs and learning rate,
    read from the configs MMEngine dumped (a distillation run's optimizer
    under ``architecture``), and each one's last-epoch training top-1."""
    plain = 'train_cfg = dict(max_epochs=60)\n' \
        'optim_wrapper = dict(optimizer=dict(lr=0.002))\n'
    distill = 'train_cfg = dict(max_epochs=60)\n' \
        'optim_wrapper = dict(architecture=dict(optimizer=dict(lr=0.002)))\n'
    for seed, (base, kd) in enumerate(((.6, .7), (.8, .9), (.7, .8))):
        write_run(work, f'student_seed{seed}', .2, seed, train_top1=base)
        write_run(work, f'kd-kl_seed{seed}', .25, seed, .3, train_top1=kd)
        for name, text in (('student', plain), ('kd-kl', distill),
                           ('trd', distill)):
            (work / f'{name}_seed{seed}' / 'dumped.py').write_text(text)
    lines = run_report(work, monkeypatch)
    note = next(line for line in lines if 'Last-epoch training' in line)
    assert note.startswith('Every student trained 60 epochs (AdamW, lr '
                           '0.002, cosine).')
    # trd logged none: left out
    assert note.endswith('no KD 70.0 ± 10.0%; kd-kl 80.0 ± 10.0%.')
    meta = (work / 'metafile.yml').read_text()
    assert 'Epochs: 60' in meta and 'Learning Rate: 0.002' in meta
    (work / 'trd_seed1' / 'dumped.py').write_text(
        plain.replace('60', '30'))
    note = next(line for line in run_report(work, monkeypatch)
                if 'Last-epoch training' in line)
    assert note.startswith('Last-epoch')  # recipes differ: not stated


def test_label_smoothing_and_loss_parameters_are_stated(work, monkeypatch,
                                                        tmp_path):
    """The recipe phrase names the trained network's label smoothing: the
    student's own head, and for a distillation run its student's config
    with the options passed on to it; each method's distillation losses are
    listed with their numeric parameters (of its first seed's run), in
    the note and in the metafile."""
    student_cfg = tmp_path / 'student.py'
    student_cfg.write_text('model = dict(cls_head=dict(dropout_ratio=0.3))\n')
    recipe = ('train_cfg = dict(max_epochs=60)\n'
              'optim_wrapper = dict({0}optimizer=dict(lr=0.002){1})\n')
    plain = recipe.format('', '') + \
        'model = dict(cls_head=dict(label_smooth_eps=0.1))\n'
    loss = {'kd-kl': "loss_kl=dict(type='KLDivergence', tau=4, "
                     'loss_weight=1.0, reduction=True)',
            'trd': "loss_trd=dict(type='TemporalRelationLoss', "
                   'loss_weight=2.5)'}
    for seed in range(3):
        (work / f'student_seed{seed}' / 'dumped.py').write_text(plain)
        for name in ('kd-kl', 'trd'):
            (work / f'{name}_seed{seed}' / 'dumped.py').write_text(
                recipe.format('architecture=dict(', ')') +
                f'model = dict(architecture=dict(config={str(student_cfg)!r}'
                ", cfg_options={'model.cls_head.label_smooth_eps': 0.1}), "
                f'distiller=dict(distill_losses=dict({loss[name]})))\n')
    lines = run_report(work, monkeypatch)
    note = next(line for line in lines if 'Every student' in line)
    assert note.startswith(
        'Every student trained 60 epochs (AdamW, lr 0.002, cosine, label '
        'smoothing 0.1). Distillation losses: kd-kl: loss_kl (tau 4, '
        'loss_weight 1); trd: loss_trd (loss_weight 2.5).')
    # the metafile states them too: its configs are run with options
    import yaml
    kd, trd = (model['Metadata'] for model in yaml.safe_load(
        (work / 'metafile.yml').read_text())['Models'])  # rows' order
    assert trd['Label Smoothing'] == 0.1
    assert trd['Distillation Losses'] == 'loss_trd (loss_weight 2.5)'
    assert kd['Distillation Losses'].startswith('loss_kl (tau 4, ')
    # a distilled student without the option: its config's default, 0
    (work / 'trd_seed2' / 'dumped.py').write_text(
        recipe.format('architecture=dict(', ')') +
        f'model = dict(architecture=dict(config={str(student_cfg)!r}))\n')
    assert report_tool.run_recipe(str(work / 'trd_seed2')) == (60, .002, 0)
    note = next(line for line in run_report(work, monkeypatch)
                if 'Distillation losses' in line)
    assert not note.startswith('Every student')  # recipes differ


def test_measured_training_accuracy_replaces_the_logged_one(work,
                                                           monkeypatch):
    """With every run's final model tested on its training list
    (train_accuracy.json), the note gives those figures instead of the
    logged batches'."""
    for seed, (base, kd) in enumerate(((.9, 1.), (.8, 1.), (1., 1.))):
        write_run(work, f'student_seed{seed}', .2, seed, train_top1=.5)
        write_run(work, f'kd-kl_seed{seed}', .25, seed, .3, train_top1=.5)
        for name, top1 in (('student', base), ('kd-kl', kd), ('trd', .7)):
            (work / f'{name}_seed{seed}' / 'train_accuracy.json').write_text(
                json.dumps(dict(top1=top1)))
    lines = run_report(work, monkeypatch)
    note = next(line for line in lines if 'Training top-1 of the final'
                in line)
    assert note.endswith('std over seeds): no KD 90.0 ± 10.0%; kd-kl '
                         '100.0 ± 0.0%; trd 70.0 ± 0.0%.')
    assert not any('logged batches' in line for line in lines)
    # one run not measured: the logged batches' figures, as before
    (work / 'trd_seed2' / 'train_accuracy.json').unlink()
    assert any('Last-epoch training top-1 (logged batches' in line
               for line in run_report(work, monkeypatch))


def test_runs_under_other_thread_counts_are_refused(work, monkeypatch):
    # a seed rerun under another JOBS setting: its numbers are not the same
    # experiment, so the table must not mix it with the others
    write_run(work, 'kd-kl_seed1', .24, 1, .30, threads=2)
    with pytest.raises(SystemExit) as error:
        run_report(work, monkeypatch)
    message = str(error.value)
    assert 'different thread settings' in message
    assert '2: kd-kl_seed1' in message and 'student_seed0' in message
    assert not (work / 'results.md').exists()


def test_collect_records_threads_and_training_accuracy(tmp_path,
                                                       monkeypatch):
    run = tmp_path / 'student_seed0'
    # two sessions (a resumed run): the last epoch's batches count
    for session, epochs in (('20261203_000000', (1, 2)),
                            ('20261203_010000', (2, 3))):
        vis = run / session / 'vis_data'
        vis.mkdir(parents=True)
        lines = []
        for epoch in epochs:
            for it, acc in ((5, .25 * epoch), (10, .25 * epoch - .1)):
                lines.append(json.dumps(dict(
                    loss=1.0, top1_acc=acc, epoch=epoch, iter=it,
                    step=10 * epoch + it)))
        lines.append(json.dumps({'acc/top1': .3, 'step': 3}))  # validation
        (vis / 'scalars.json').write_text('\n'.join(lines) + '\n')
    (tmp_path / 'student_seed0.log').write_text(
        'Epoch(val) [30][10/10]    acc/top1: 0.2500  acc/top5: 0.6000\n')
    monkeypatch.setenv('OMP_NUM_THREADS', '2')
    report_tool.main(['collect', str(run), '--config', STUDENT,
                      '--seed', '0'])
    result = json.loads((run / 'result.json').read_text())
    assert result['threads'] == 2 and result['top1'] == .25
    assert result['train_top1'] == pytest.approx((.75 + .65) / 2)
    assert report_tool.last_epoch_train_top1(str(tmp_path / 'none')) is None
    # a distillation run logs the student's accuracy under student.
    vis = tmp_path / 'kd-kl_seed0' / '20261203_000000' / 'vis_data'
    vis.mkdir(parents=True)
    (vis / 'scalars.json').write_text('\n'.join(json.dumps({
        'student.top1_acc': acc, 'epoch': epoch, 'iter': 5, 'step': step})
        for step, (epoch, acc) in enumerate(((1, .1), (2, .4), (2, .6)))))
    assert report_tool.last_epoch_train_top1(
        str(tmp_path / 'kd-kl_seed0')) == pytest.approx(.5)


def test_single_methods_report_the_single_teacher(work, monkeypatch):
    """A *-single method's row takes the single-network teacher's accuracy
    and cost; its ratio uses that teacher."""
    single = ('configs/benchmark/avletters/'
              'tsm_mobilenetv2-w0.5_1x1x16_72px_avletters-rgb.py')
    built = {}

    def costs(models, _):
        built.update(models)
        return dict({name: dict(COST) for name in models}, threads=1)

    monkeypatch.setattr(report_tool, 'model_costs', costs)
    for seed, top1 in ((0, .26), (1, .24), (2, .25)):
        write_run(work, f'kd-kl-single_seed{seed}', top1, seed, .40)
    args = ['report', str(work), '--student-config', STUDENT,
            '--teacher-config', STUDENT, '--single-teacher-config', single,
            '--methods', 'kd-kl', 'kd-kl-single']
    with pytest.raises(SystemExit, match='single_teacher/result.json: '
                       'missing'):
        report_tool.main(args)
    write_run(work, 'single_teacher', .40)
    report_tool.main(args)
    assert built['single_teacher'] == (single, 16)
    lines = (work / 'results.md').read_text().splitlines()
    row = next(line for line in lines if line.startswith('| kd-kl-single |'))
    # ratio (0.25 - 0.21) / (0.40 - 0.21)
    assert ('| TSM-MobileNetV2 x0.5, 16 frames, 72 px (single network) '
            '| 40.0 |') in row and '| 0.21 |' in row
    kd = next(line for line in lines if line.startswith('| kd-kl |'))
    assert '(ensemble distillation), 8 frames | 30.0 |' in kd
