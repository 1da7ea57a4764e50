"""tools/train.py --amp: the options that switch on AmpOptimWrapper for each
form of ``optim_wrapper``, and errors naming the key."""
import pytest
from conftest import load_script
from mmengine.config import ConfigDict

train = load_script('tools/train.py')
SGD = dict(type='SGD', lr=0.01)


@pytest.mark.parametrize('optim_wrapper, expected', [
    # MMRazor's form (DistillOptimWrapperConstructor)
    (dict(constructor='DistillOptimWrapperConstructor',
          architecture=dict(type='OptimWrapper', optimizer=SGD)),
     {'optim_wrapper.architecture.type': 'AmpOptimWrapper',
      'optim_wrapper.architecture.loss_scale': 'dynamic'}),
    # a constructor without `architecture` (MMRazor's train.py: AttributeError)
    (dict(constructor='TSMOptimWrapperConstructor', optimizer=SGD),
     {'optim_wrapper.type': 'AmpOptimWrapper',
      'optim_wrapper.loss_scale': 'dynamic'}),
    # neither type nor constructor (MMRazor's train.py: --amp ignored)
    (dict(optimizer=SGD),
     {'optim_wrapper.type': 'AmpOptimWrapper',
      'optim_wrapper.loss_scale': 'dynamic'}),
    (dict(type='OptimWrapper', optimizer=SGD, loss_scale=512.),
     {'optim_wrapper.type': 'AmpOptimWrapper'}),
    (dict(type='AmpOptimWrapper', optimizer=SGD), {}),
])
def test_amp_cfg_options(optim_wrapper, expected):
    assert train.amp_cfg_options(ConfigDict(optim_wrapper)) == expected


def test_other_wrapper_type_is_named():
    with pytest.raises(ValueError, match='optim_wrapper.architecture.type'):
        train.amp_cfg_options(ConfigDict(architecture=dict(
            type='ApexOptimWrapper', optimizer=SGD)))


def test_amp_becomes_cfg_options_after_the_users(tmp_path):
    config = tmp_path / 'cfg.py'
    config.write_text('optim_wrapper = dict(optimizer=dict(type="SGD"))\n')
    argv = train.amp_to_cfg_options([
        str(config), '--amp', '--cfg-options',
        'optim_wrapper.type=OptimWrapper', '--work-dir', 'w'])
    assert argv == [str(config), '--cfg-options',
                    'optim_wrapper.type=OptimWrapper', '--work-dir', 'w',
                    '--cfg-options', 'optim_wrapper.type=AmpOptimWrapper',
                    'optim_wrapper.loss_scale=dynamic']
