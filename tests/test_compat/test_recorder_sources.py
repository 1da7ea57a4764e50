"""Deliberate change: a missing recorder source names the closest module
names, and is still the ``AssertionError`` MMRazor's callers expect."""
import pytest
import torch.nn as nn
from conftest import run_python
from mmrazor.models.task_modules import ModuleOutputsRecorder

from mmrazor_video_kd.compat.recorder_sources import RecorderSourceError


class Toy(nn.Module):

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 1, 1)
        self.conv2 = nn.Conv2d(1, 1, 1)
        self.head = nn.Linear(1, 1)


def test_missing_source_names_closest_modules():
    recorder = ModuleOutputsRecorder('conv3')
    with pytest.raises(RecorderSourceError) as info:
        recorder.prepare_from_model(Toy())
    assert str(info.value) == ('"conv3" is not in the model (Toy); closest '
                               'module names: conv2, conv1')


@pytest.mark.parametrize('expected', [KeyError, AssertionError])
def test_missing_source_is_still_what_callers_catch(expected):
    # MMRazor's own test: assertRaisesRegex(AssertionError, '"conv3" is not
    # in') around prepare_from_model.
    with pytest.raises(expected, match='"conv3" is not in'):
        ModuleOutputsRecorder('conv3').prepare_from_model(Toy())


def test_present_source_records():
    recorder = ModuleOutputsRecorder('conv2')
    recorder.prepare_from_model(Toy())
    assert recorder.source == 'conv2'


def test_bare_assert_without_fix():
    result = run_python(
        'from mmrazor.models.task_modules import ModuleOutputsRecorder\n'
        'import torch.nn as nn\n'
        'model = nn.Sequential(nn.Linear(1, 1))\n'
        'ModuleOutputsRecorder("1").prepare_from_model(model)\n',
        env={'MMRAZOR_VIDEO_KD_COMPAT': '-recorder_sources'})
    assert result.returncode != 0
    assert result.stderr.rstrip().endswith(
        'AssertionError: "1" is not in the model.')
