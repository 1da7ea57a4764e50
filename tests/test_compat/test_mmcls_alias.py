"""Fix: MMRazor's ``KDSoftCELoss`` with mmpretrain instead of mmcls."""
from conftest import run_python

# KDSoftCELoss(tau=2) against a plain-PyTorch soft cross entropy.
KD_SOFT_CE = '''
import sys, torch
import torch.nn.functional as F
from mmrazor.models import KDSoftCELoss
torch.manual_seed(0)
student, teacher = torch.randn(4, 5), torch.randn(4, 5)
loss = KDSoftCELoss(tau=2.0, reduction='mean')(student, teacher)
soft = F.softmax(teacher / 2, dim=-1)
reference = (-soft * F.log_softmax(student / 2, dim=-1)).sum(-1).mean() * 4
assert torch.allclose(loss, reference), (loss, reference)
print('loss', float(loss), 'mmpretrain' in sys.modules)
'''


def test_fails_without_fix():
    result = run_python(KD_SOFT_CE,
                        env={'MMRAZOR_VIDEO_KD_COMPAT': '-mmcls_alias'})
    assert result.returncode != 0
    assert "unexpected keyword argument 'reduction'" in result.stderr


def test_kd_soft_ce_loss_computes_with_fix():
    result = run_python(KD_SOFT_CE)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith('loss') and 'True' in result.stdout


def test_stand_in_is_lazy_and_only_the_loss_functions():
    result = run_python(
        'import sys\n'
        'import mmrazor.models\n'
        'import mmcls.models.losses.cross_entropy_loss as ce\n'
        'print(sorted(n for n in vars(ce) if not n.startswith("_")))\n'
        'print("mmpretrain" in sys.modules)\n'
        'try:\n'
        '    from mmcls.models import ImageClassifier\n'
        'except ImportError as e:\n'
        '    print("ERR", type(e).__name__)\n')
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split('\n')[:3] == [
        "['binary_cross_entropy', 'cross_entropy', 'soft_cross_entropy']",
        'False', 'ERR ImportError'
    ]
