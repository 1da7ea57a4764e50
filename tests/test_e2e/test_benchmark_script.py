"""tools/analysis/run_benchmark.sh end to end, shortened (1 epoch, one
seed, two methods): every stage runs through the real entry points on the
AVLetters videos, the report is written, and a second call skips every
finished stage. In between, an offline method (``kd-kl-stored``) is added
on 16 of the clips (to keep it cheap): the script precomputes the
teacher's outputs into the work dir's store once and trains from it. The
development split (SPLIT=dev) is run on 20 + 4 clips with two candidates
each, then final runs with given choices (CHOICES)."""
import functools
import json
import os
import os.path as osp
import subprocess

import pytest
from conftest import REPO, load_script
from mmengine.config import Config


def run_benchmark(work, publish, avletters, methods='kd-kl fewer-frames'):
    env = dict(EPOCHS='1', SEEDS='0', METHODS=methods,
               DATA_ROOT=avletters, PUBLISH_DIR=str(publish),
               METAFILE=str(publish / 'metafile.yml'))
    return subprocess.run(
        ['bash', 'tools/analysis/run_benchmark.sh', str(work)], cwd=REPO,
        env=dict(os.environ, **env), capture_output=True, text=True,
        timeout=1500)


def few_clips(tmp_path, avletters, train, val):
    few = tmp_path / 'few_clips'
    few.mkdir()
    os.symlink(osp.join(avletters, 'videos'), few / 'videos')
    for name, count in (('train_list.txt', train), ('val_list.txt', val)):
        with open(osp.join(avletters, name)) as file:
            (few / name).write_text(''.join(file.readlines()[:count]))
    return few


def test_benchmark_script_runs_every_stage_and_resumes(tmp_path, avletters):
    work, publish = tmp_path / 'bench', tmp_path / 'publish'
    first = run_benchmark(work, publish, avletters,
                          'kd-kl fewer-frames kd-kl-single')
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    runs = ['member_seed100', 'member_seed101', 'member_seed102',
            'teacher_8frames', 'teacher_16frames', 'single_teacher',
            'student_seed0', 'kd-kl_seed0', 'fewer-frames_seed0',
            'kd-kl-single_seed0']
    for run in runs:
        result = json.loads((work / run / 'result.json').read_text())
        assert 0 <= result['top1'] <= 1, run
    kd = json.loads((work / 'kd-kl_seed0' / 'result.json').read_text())
    assert kd['teacher_top1'] is not None  # distillation val loop
    assert 'distill.loss_kl' in kd['curves']
    assert osp.isfile(work / 'teacher_ensemble.pth')
    table = (publish / 'results.md').read_text()
    assert '| kd-kl |' in table and '| fewer-frames |' in table
    assert '16 frames' in table
    # every seeded run's final model tested on its training list
    assert 'Training top-1 of the final models' in table
    for run in runs[6:]:
        train = json.loads((work / run / 'train_accuracy.json').read_text())
        assert 0 <= train['top1'] <= 1, run
    # kd-kl-single distils from the single network, trained with the first
    # member seed on its own config
    single = json.loads((work / 'single_teacher' / 'result.json').read_text())
    assert single['seed'] == 100 and '1x1x16_72px' in single['config']
    checkpoint = osp.basename(
        (work / 'single_teacher' / 'last_checkpoint').read_text())
    assert f'single_teacher/{checkpoint}' in \
        (work / 'kd-kl-single_seed0.log').read_text()
    row = next(line for line in table.splitlines()
               if line.startswith('| kd-kl-single |'))
    assert f'(single network) | {100 * single["top1"]:.1f} |' in row
    assert 'Top 1 Accuracy without KD' in (publish / 'metafile.yml').read_text()
    for plot in ('accuracy.png', 'training_curves.png'):
        assert (publish / plot).read_bytes()[:4] == b'\x89PNG'

    # the offline method, on 16 training and 8 validation clips
    few = few_clips(tmp_path, avletters, 16, 8)
    methods = 'kd-kl fewer-frames kd-kl-single kd-kl-stored'
    offline = run_benchmark(work, publish, str(few), methods)
    assert offline.returncode == 0, \
        offline.stdout[-3000:] + offline.stderr[-3000:]
    assert offline.stdout.count('[train]') == 1  # kd-kl-stored_seed0 only
    assert offline.stdout.count('[precompute]') == 1
    store = work / 'teacher_store' / 'kd-kl-stored'
    assert (work / 'teacher_store' / 'kd-kl-stored.done').is_file()
    assert list(store.glob('*/*.shard'))  # <fingerprint>/: shards, json
    assert list(store.glob('*/teacher.json'))
    stored = json.loads(
        (work / 'kd-kl-stored_seed0' / 'result.json').read_text())
    assert 0 <= stored['top1'] <= 1
    assert stored['teacher_top1'] is None  # plain val loop: no teacher
    assert 'distill.loss_kl' in stored['curves']
    assert '| kd-kl-stored |' in (publish / 'results.md').read_text()
    assert (work / 'kd-kl-stored_seed0' / 'train_accuracy.json').is_file()

    second = run_benchmark(work, publish, str(few), methods)
    assert second.returncode == 0, second.stdout[-3000:]
    assert second.stdout.count('[done]') == len(runs) + 2  # + store, run
    assert '[train]' not in second.stdout and '[test]' not in second.stdout
    assert '[precompute]' not in second.stdout


def test_val_interval_adds_accuracy_against_epochs(tmp_path, avletters):
    """VAL_INTERVAL=1 on 2 epochs: every run validates twice, and the
    report stage publishes the per-epoch table (with each method's paired
    difference over the 2 seeds) and its plot beside results.md."""
    few = few_clips(tmp_path, avletters, 16, 4)
    publish = tmp_path / 'publish'
    env = dict(os.environ, EPOCHS='2', VAL_INTERVAL='1', SEEDS='0 1',
               METHODS='kd-kl', JOBS='2', DATA_ROOT=str(few),
               PUBLISH_DIR=str(publish), METAFILE='')
    result = subprocess.run(
        ['bash', 'tools/analysis/run_benchmark.sh', str(tmp_path / 'w')],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = (publish / 'accuracy_vs_epochs.md').read_text().splitlines()
    assert table[0] == ('| epoch | no KD top-1 | kd-kl top-1 | '
                        'kd-kl - no KD [95% CI] |')
    assert [row.split(' | ')[0] for row in table[2:]] == ['| 1', '| 2']
    assert (publish / 'accuracy_vs_epochs.png').read_bytes()[:4] == \
        b'\x89PNG'
    assert (publish / 'results.md').is_file()


CANDIDATES = """
student = {'base': dict(), 'lr4e-3': dict(lr=0.004)}
methods = {'kd-kl': {'t4': [],
                     't1': ['model.distiller.distill_losses.loss_kl.tau=1']}}
"""
# a single-network teacher candidate distilled from the ensemble teacher
WIDE_KD = ('configs/benchmark/avletters/kd-kl_ensemble3-tsm-mobilenetv2-w0.5_'
           'tsm-mobilenetv2-w1.0_1x1x8_48px_avletters-rgb.py')
DISTILLED_TEACHER = f"teacher = {{'wide-kd': dict(config='{WIDE_KD}')}}\n"


def test_development_split_chooses_and_final_runs_use_the_choice(
        tmp_path, avletters):
    """SPLIT=dev trains every candidate on 4 training speakers, validates on
    the development speaker (Bill), never reads the validation speakers,
    records the best candidates and publishes nothing; a work dir keeps its
    split and development speaker, a run resumes only under its own thread count, and a SPLIT=val
    run with CHOICES (or a named student recipe, RECIPE, and method
    candidates, PARAMS) trains with the chosen options."""
    few = few_clips(tmp_path, avletters, 20, 4)
    candidates = tmp_path / 'candidates.py'
    candidates.write_text(CANDIDATES)
    work = tmp_path / 'dev'
    env = dict(os.environ, EPOCHS='1', SEEDS='0', METHODS='kd-kl', JOBS='2',
               DATA_ROOT=str(few), SPLIT='dev', CANDIDATES=str(candidates))
    env.pop('PUBLISH_DIR', None)
    env.pop('METAFILE', None)

    def bench(work_dir, **extra):
        return subprocess.run(
            ['bash', 'tools/analysis/run_benchmark.sh', str(work_dir)],
            cwd=REPO, env=dict(env, **extra), capture_output=True,
            text=True, timeout=1500)

    published = osp.join(REPO, 'docs', 'benchmark', 'results.md')
    with open(published) as file:
        before = file.read()
    first = bench(work)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert (work / 'split').read_text().strip() == 'dev'
    dev_val = (work / 'splits' / 'dev_val_list.txt').read_text()
    assert dev_val.split() == ['A1_Bill.mp4', '0', 'A2_Bill.mp4', '0',
                               'A3_Bill.mp4', '0', 'B1_Bill.mp4', '1']
    dev_train = (work / 'splits' / 'dev_train_list.txt').read_text()
    assert len(dev_train.splitlines()) == 16 and 'Bill' not in dev_train
    for run in ('student@base', 'student@lr4e-3', 'kd-kl@t4', 'kd-kl@t1'):
        result = json.loads((work / f'{run}_seed0' / 'result.json')
                            .read_text())
        assert 0 <= result['top1'] <= 1 and result['threads'] == 1, run
        log = (work / f'{run}_seed0.log').read_text()
        assert str(work / 'splits' / 'dev_train_list.txt') in log, run
        assert str(work / 'splits' / 'dev_val_list.txt') in log, run
        assert 'val_list.txt' not in log.replace('dev_val_list.txt', ''), run
        assert 'Epoch(val) [1]' in log and 'Epoch(train) [2]' not in log
    assert 'lr=0.004' in (work / 'student@lr4e-3_seed0.log').read_text()
    assert 'tau=1,' in (work / 'kd-kl@t1_seed0.log').read_text()
    choices = json.loads((work / 'choices.json').read_text())
    assert choices['student']['candidate'] in ('base', 'lr4e-3')
    assert set(choices['kd-kl']['dev_top1']) == {'t4', 't1'}
    assert 'methods, best first: kd-kl' in first.stdout
    with open(published) as file:
        assert file.read() == before  # only SPLIT=val publishes

    other = bench(work, SPLIT='val')
    assert other.returncode == 1
    assert 'holds SPLIT=dev runs' in other.stderr
    fold = bench(work, DEV_SPEAKER='Anya')
    assert fold.returncode == 1
    assert 'holds runs validated on Bill' in fold.stderr
    assert (work / 'dev_speaker').read_text().strip() == 'Bill'

    # an interrupted run, started under other thread settings
    partial = work / 'student@base_seed1'
    partial.mkdir()
    (partial / 'last_checkpoint').write_text('epoch_1.pth')
    (partial / 'threads').write_text('2\n')
    resumed = bench(work, SEEDS='0 1')
    assert resumed.returncode == 1, resumed.stdout[-3000:]
    assert 'was started with 2 thread(s), this run uses 1' in resumed.stderr

    # final runs with given choices (written here, so that they are known)
    chosen = tmp_path / 'chosen'
    chosen.mkdir()
    (chosen / 'choices.json').write_text(json.dumps({
        'student': dict(candidate='lr4e-3'), 'kd-kl': dict(candidate='t1')}))
    final = bench(tmp_path / 'final', SPLIT='val', CHOICES=str(chosen),
                  PUBLISH_DIR=str(tmp_path / 'publish'),
                  METAFILE=str(tmp_path / 'publish' / 'metafile.yml'))
    assert final.returncode == 0, final.stdout[-3000:] + final.stderr[-3000:]
    student = (tmp_path / 'final' / 'student_seed0.log').read_text()
    distilled = (tmp_path / 'final' / 'kd-kl_seed0.log').read_text()
    assert 'lr=0.004' in student and 'lr=0.004' in distilled
    assert 'tau=1,' in distilled and 'tau=1,' not in student
    # the teacher members are the student network with its chosen recipe
    assert 'lr=0.004' in (tmp_path / 'final' /
                          'member_seed100.log').read_text()
    assert 'Validated on the 2 validation speakers' in (
        tmp_path / 'final' / 'results.md').read_text()

    # final runs with a named student recipe; the method is not tuned
    refused = bench(tmp_path / 'named', RECIPE='lr4e-3')
    assert refused.returncode == 1 and 'RECIPE is for final runs' in \
        refused.stderr
    assert not (tmp_path / 'named').exists()  # refused before writing
    named = bench(tmp_path / 'named', SPLIT='val', RECIPE='lr4e-3',
                  PUBLISH_DIR='', METAFILE='')
    assert named.returncode == 0, named.stdout[-3000:] + named.stderr[-3000:]
    for run in ('member_seed100', 'student_seed0', 'kd-kl_seed0'):
        log = (tmp_path / 'named' / f'{run}.log').read_text()
        assert 'lr=0.004' in log and 'tau=1,' not in log, run
    # ... and a named method candidate (PARAMS): only that method's runs
    # change; a PARAMS entry for no method of METHODS is refused first
    for path in (tmp_path / 'named').glob('kd-kl_seed0*'):
        subprocess.run(['rm', '-r', str(path)], check=True)
    wrong = bench(tmp_path / 'named', SPLIT='val', RECIPE='lr4e-3',
                  PARAMS='trd=w40', PUBLISH_DIR='', METAFILE='')
    assert wrong.returncode == 1 and 'PARAMS: trd=w40 names no method' \
        in wrong.stderr and '[train]' not in wrong.stdout
    params = bench(tmp_path / 'named', SPLIT='val', RECIPE='lr4e-3',
                   PARAMS='kd-kl=t1', PUBLISH_DIR='', METAFILE='')
    assert params.returncode == 0, params.stdout[-3000:] + \
        params.stderr[-3000:]
    assert '[done] student_seed0' in params.stdout
    log = (tmp_path / 'named' / 'kd-kl_seed0.log').read_text()
    assert 'lr=0.004' in log and 'tau=1,' in log


def test_final_runs_need_a_method(tmp_path):
    result = subprocess.run(
        ['bash', 'tools/analysis/run_benchmark.sh', str(tmp_path / 'w')],
        cwd=REPO, env=dict(os.environ, METHODS=''), capture_output=True,
        text=True, timeout=600)
    assert result.returncode == 1
    assert 'METHODS is empty' in result.stderr


def test_unknown_method_is_refused_before_training(tmp_path):
    result = subprocess.run(
        ['bash', 'tools/analysis/run_benchmark.sh', str(tmp_path / 'w')],
        cwd=REPO, env=dict(os.environ, METHODS='kd-kl kd-lk'),
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    assert ('method kd-lk: expected one config configs/benchmark/avletters/'
            'kd-lk_*_tsm-mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py, '
            'found 0') in result.stderr
    assert '[train]' not in result.stdout


def test_best_method_is_the_one_ranked_first_in_choices(tmp_path):
    """METHODS=best takes the method ranked first in CHOICES (here one
    without a config, so the run stops before training, naming it) and
    only with CHOICES on the reported split."""
    dev = tmp_path / 'dev'
    dev.mkdir()
    (dev / 'choices.json').write_text(json.dumps({
        'kd-kl': dict(candidate='t4', dev_top1=dict(t4=.2)),
        'no-such': dict(candidate='a', dev_top1=dict(a=.3))}))
    run = functools.partial(
        subprocess.run, ['bash', 'tools/analysis/run_benchmark.sh',
                         str(tmp_path / 'w')], cwd=REPO,
        capture_output=True, text=True, timeout=600)
    result = run(env=dict(os.environ, METHODS='best', CHOICES=str(dev)))
    assert result.returncode == 1
    assert f'best method in {dev}: no-such' in result.stdout
    assert 'method no-such: expected one config' in result.stderr
    assert '[train]' not in result.stdout
    result = run(env=dict(os.environ, METHODS='best'))
    assert result.returncode == 1
    assert 'METHODS=best is for final runs (SPLIT=val) with CHOICES' in \
        result.stderr


def test_dev_folds_choose_over_every_held_out_speaker(tmp_path, avletters):
    """run_dev_folds.sh: one SPLIT=dev work dir per held-out speaker, then
    the recipe chosen on the mean over the folds, which a SPLIT=dev run
    with CHOICES adopts instead of trying the recipes."""
    few = few_clips(tmp_path, avletters, 20, 4)
    candidates = tmp_path / 'candidates.py'
    candidates.write_text(CANDIDATES)
    work = tmp_path / 'folds'
    env = dict(os.environ, EPOCHS='1', JOBS='2', DATA_ROOT=str(few),
               SPEAKERS='Anya Bill', CANDIDATES=str(candidates))
    result = subprocess.run(
        ['bash', 'tools/analysis/run_dev_folds.sh', str(work)], cwd=REPO,
        env=env, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, \
        result.stdout[-3000:] + result.stderr[-3000:]
    for speaker in ('Anya', 'Bill'):
        assert (work / speaker / 'dev_speaker').read_text().strip() == \
            speaker
        held_out = (work / speaker / 'splits' / 'dev_val_list.txt')
        assert {line.split()[0].split('_')[1] for line in
                held_out.read_text().splitlines()} == {f'{speaker}.mp4'}
        assert (work / speaker / 'student@lr4e-3_seed0' /
                'result.json').is_file()
    chosen = json.loads((work / 'choices.json').read_text())['student']
    top1 = {name: sum(json.loads(
        (work / speaker / f'student@{name}_seed0' / 'result.json')
        .read_text())['top1'] for speaker in ('Anya', 'Bill')) / 2
        for name in ('base', 'lr4e-3')}
    assert chosen['dev_top1'] == pytest.approx(top1)
    assert chosen['candidate'] == max(top1, key=top1.get)
    assert set(chosen['fold_top1']['base']) == {
        str(work / 'Anya'), str(work / 'Bill')}

    # method tuning on one development speaker starts from that recipe
    dev = tmp_path / 'dev'
    tuned = subprocess.run(
        ['bash', 'tools/analysis/run_benchmark.sh', str(dev)], cwd=REPO,
        env=dict(env, SPLIT='dev', METHODS='', CHOICES=str(work)),
        capture_output=True, text=True, timeout=600)
    assert tuned.returncode == 0, tuned.stdout[-3000:] + tuned.stderr[-3000:]
    assert '[train]' not in tuned.stdout
    adopted = json.loads((dev / 'choices.json').read_text())['student']
    assert adopted['candidate'] == chosen['candidate']
    assert adopted['adopted_from'] == str(work)

    # a teacher candidate that distils needs the members, which train for
    # the methods: refused without METHODS, before any training
    with_teacher = tmp_path / 'with_teacher.py'
    with_teacher.write_text(CANDIDATES + DISTILLED_TEACHER)
    refused = subprocess.run(
        ['bash', 'tools/analysis/run_benchmark.sh', str(tmp_path / 'r')],
        cwd=REPO, env=dict(env, SPLIT='dev', METHODS='',
                           CANDIDATES=str(with_teacher)),
        capture_output=True, text=True, timeout=600)
    assert refused.returncode == 1
    assert (f'teacher candidate wide-kd ({WIDE_KD}) distils from the '
            'ensemble teacher, which trains for the methods: set METHODS'
            in refused.stderr)
    assert '[train]' not in refused.stdout

    # methods over the same folds, on that recipe: members train with it,
    # each method's candidate is chosen on the mean over the folds and
    # compared with the student recipe fold by fold; so is the teacher
    # candidate, distilled from each fold's ensemble
    methods = tmp_path / 'fold_methods'
    over_folds = subprocess.run(
        ['bash', 'tools/analysis/run_dev_folds.sh', str(methods)], cwd=REPO,
        env=dict(env, METHODS='kd-kl', CHOICES=str(work),
                 CANDIDATES=str(with_teacher)),
        capture_output=True, text=True, timeout=1500)
    assert over_folds.returncode == 0, \
        over_folds.stdout[-3000:] + over_folds.stderr[-3000:]
    report = load_script('tools/analysis/benchmark_report.py')
    chosen_lr = {'base': 0.002, 'lr4e-3': 0.004}[chosen['candidate']]
    for speaker in ('Anya', 'Bill'):
        fold = methods / speaker
        assert not list(fold.glob('student@*'))
        assert report.run_recipe(str(fold / 'member_seed100'))[:2] == \
            (1, chosen_lr)
        for name in ('t4', 't1'):
            assert (fold / f'kd-kl@{name}_seed0' / 'result.json').is_file()
        wide = fold / 'teacher@wide-kd_seed0'
        assert (wide / 'result.json').is_file()
        dumped = Config.fromfile(str(wide / osp.basename(WIDE_KD)))
        assert dumped.model.teacher_ckpt == str(fold / 'teacher_ensemble.pth')
    kd = json.loads((methods / 'choices.json').read_text())['kd-kl']
    assert set(kd['fold_top1']) == {'t4', 't1'}
    assert set(kd['fold_top1']['t4']) == {str(methods / 'Anya'),
                                          str(methods / 'Bill')}
    assert (f'kd-kl@{kd["candidate"]} - student@{chosen["candidate"]} '
            'over 2 folds') in over_folds.stdout
    teacher = json.loads((methods / 'choices.json').read_text())['teacher']
    assert set(teacher['fold_top1']['wide-kd']) == set(kd['fold_top1']['t4'])
    assert (f'teacher@wide-kd - student@{chosen["candidate"]} over 2 folds'
            in over_folds.stdout)
    no_choices = subprocess.run(
        ['bash', 'tools/analysis/run_dev_folds.sh', str(tmp_path / 'x')],
        cwd=REPO, env=dict(env, METHODS='kd-kl'), capture_output=True,
        text=True, timeout=600)
    assert no_choices.returncode == 1
    assert 'METHODS over the folds need CHOICES' in no_choices.stderr
