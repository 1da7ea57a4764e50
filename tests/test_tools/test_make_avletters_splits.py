"""tools/data/make_avletters_splits.py on the real AVLetters lists: the
development and fold lists are speaker-disjoint, together the training list
line for line, never touch the validation speakers, and bad input is
refused with the file, the line or the known speakers."""
import os.path as osp

import pytest
from conftest import AVLETTERS, load_script

tool = load_script('tools/data/make_avletters_splits.py')

TRAIN_SPEAKERS = {'Anya', 'Bill', 'Faye', 'John', 'Steve'}


def lines(path):
    with open(path) as file:
        return file.read().splitlines()


def speakers(path):
    return {line.split()[0][:-4].split('_')[1] for line in lines(path)}


@pytest.fixture(scope='module')
def train_lines(avletters):
    return lines(osp.join(avletters, 'train_list.txt'))


def test_real_lists_are_complete(avletters):
    for name in ('train_list.txt', 'val_list.txt'):
        assert tool.incomplete_speakers(osp.join(avletters, name)) == {}
    assert set(tool.speakers_of(tool.read_list(
        osp.join(avletters, 'train_list.txt')))) == TRAIN_SPEAKERS


def test_dev_split_disjoint_and_union_is_train_list(tmp_path, avletters,
                                                    train_lines):
    tool.main([avletters, '--out-dir', str(tmp_path)])
    dev_train = lines(tmp_path / 'dev_train_list.txt')
    dev_val = lines(tmp_path / 'dev_val_list.txt')
    assert speakers(tmp_path / 'dev_val_list.txt') == {'Bill'}
    assert speakers(tmp_path / 'dev_train_list.txt') == TRAIN_SPEAKERS - {
        'Bill'}
    assert len(dev_train) == 312 and len(dev_val) == 78
    # line format preserved: each line verbatim, in the training list's order
    assert sorted(dev_train + dev_val) == sorted(train_lines)
    assert dev_train == [line for line in train_lines if line in dev_train]
    text = (tmp_path / 'dev_val_list.txt').read_text()
    assert text.endswith('\n') and '\n\n' not in text and '\r' not in text
    assert {line.split()[1] for line in dev_val} == {str(i) for i in range(26)}


def test_folds_cover_every_training_speaker_once(tmp_path, avletters,
                                                 train_lines):
    written = tool.make_splits(avletters, str(tmp_path), folds=True)
    assert len(written) == 10
    held = []
    for speaker in sorted(TRAIN_SPEAKERS):
        train = tmp_path / f'fold_{speaker}_train.txt'
        val = tmp_path / f'fold_{speaker}_val.txt'
        assert speakers(val) == {speaker}
        assert speakers(train) == TRAIN_SPEAKERS - {speaker}
        assert sorted(lines(train) + lines(val)) == sorted(train_lines)
        held += lines(val)
    assert sorted(held) == sorted(train_lines)
    assert not (tmp_path / 'dev_train_list.txt').exists()


def test_unknown_speaker_lists_known_ones(tmp_path, avletters):
    with pytest.raises(tool.SplitError, match='unknown speaker .Zoe.') as e:
        tool.make_splits(avletters, str(tmp_path), dev_speaker='Zoe')
    assert all(name in str(e.value) for name in TRAIN_SPEAKERS)
    with pytest.raises(SystemExit, match='known speakers: Anya'):
        tool.main([avletters, '--out-dir', str(tmp_path), '--dev-speaker',
                   'Zoe'])


def test_validation_speaker_refused(tmp_path, avletters):
    with pytest.raises(tool.SplitError, match='Kate is a speaker of .*'
                       'val_list.txt'):
        tool.make_splits(avletters, str(tmp_path), dev_speaker='Kate')
    assert not (tmp_path / 'dev_train_list.txt').exists()


def test_dev_speaker_also_in_val_list_refused(tmp_path):
    (tmp_path / 'train_list.txt').write_text('A1_Anya.mp4 0\nA1_Bill.mp4 0\n')
    (tmp_path / 'val_list.txt').write_text('A1_Kate.mp4 0\nA2_Bill.mp4 0\n')
    with pytest.raises(tool.SplitError, match='Bill is a speaker of'):
        tool.make_splits(str(tmp_path), str(tmp_path / 'out'))
    with pytest.raises(tool.SplitError, match='Bill is a speaker of'):
        tool.make_splits(str(tmp_path), str(tmp_path / 'out'), folds=True)


@pytest.mark.parametrize('bad', ['A1-Anya.mp4 0', 'A1_Anya.mp4', '',
                                 'A1_.mp4 0', 'A1_Anya.mp4 0 extra'])
def test_unparsable_line_names_file_and_line(tmp_path, bad):
    train = tmp_path / 'train_list.txt'
    train.write_text(f'A1_Bill.mp4 0\n{bad}\n')
    (tmp_path / 'val_list.txt').write_text('A1_Kate.mp4 0\n')
    with pytest.raises(tool.SplitError,
                       match=f'{train}:2: cannot parse a speaker'):
        tool.make_splits(str(tmp_path), str(tmp_path / 'out'))


def test_incomplete_speaker_reported(tmp_path, capsys):
    (tmp_path / 'train_list.txt').write_text(
        ''.join(f'{chr(65 + i)}{r}_Anya.mp4 {i}\n' for i in range(26)
                for r in (1, 2, 3)) + 'A1_Bill.mp4 0\n')
    (tmp_path / 'val_list.txt').write_text('A1_Kate.mp4 0\n')
    assert tool.incomplete_speakers(str(tmp_path / 'train_list.txt')) == {
        'Bill': '1 letters, 1 clips'}
    tool.main([str(tmp_path), '--out-dir', str(tmp_path / 'o'),
               '--dev-speaker', 'Anya'])
    assert 'warning: Bill is incomplete' in capsys.readouterr().err
    assert len(lines(tmp_path / 'o' / 'dev_val_list.txt')) == 78


def test_defaults():
    assert tool.parse_args([]).root == '../shared/data/avletters'
    assert osp.basename(AVLETTERS) == 'avletters'
    assert tool.parse_args([]).dev_speaker == 'Bill'


def test_list_speakers_prints_training_speakers_only(tmp_path, avletters,
                                                     capsys):
    tool.main([avletters, '--list-speakers', '--out-dir',
               str(tmp_path / 'out')])
    assert capsys.readouterr().out.split() == sorted(TRAIN_SPEAKERS)
    assert not (tmp_path / 'out').exists()  # nothing written
    (tmp_path / 'train_list.txt').write_text('A1_Bill.mp4 0\nA1 0\n')
    with pytest.raises(SystemExit, match='train_list.txt:2: cannot parse'):
        tool.main([str(tmp_path), '--list-speakers'])
