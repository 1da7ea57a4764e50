"""Fix: AmpOptimWrapper (``--amp``) runs bf16 autocast on a machine without
a GPU, with loss scaling off; float16 there is refused, naming ``dtype``."""
import pytest
import torch
from conftest import run_python

if torch.cuda.is_available():  # the fix only acts without a GPU
    pytest.skip('needs a machine without CUDA', allow_module_level=True)

CHECK = '''
import torch
from mmengine.optim import AmpOptimWrapper
model = torch.nn.Linear(4, 2)
try:
    wrapper = AmpOptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        dtype={dtype!r}, clip_grad=dict(max_norm=1.0))
except (AssertionError, ValueError) as error:
    print('error', type(error).__name__, error)
else:
    before = model.weight.detach().clone()
    with wrapper.optim_context(model):
        out = model(torch.randn(3, 4))
    wrapper.update_params(out.float().pow(2).mean())
    updated = not torch.equal(before, model.weight)
    print('output', out.dtype, 'updated', updated,
          'scaler enabled', wrapper.loss_scaler.is_enabled())
'''


def test_amp_optim_wrapper_refuses_cpu_without_fix():
    result = run_python(CHECK.format(dtype='bfloat16'), env={
        'MMRAZOR_VIDEO_KD_COMPAT': '-cpu_amp'})
    assert ('error AssertionError ``AmpOptimizerWrapper`` is only available'
            in result.stdout), result.stdout + result.stderr[-2000:]


@pytest.mark.parametrize('dtype', ['bfloat16', None])
def test_amp_optim_wrapper_runs_bf16_on_cpu_with_fix(dtype):
    result = run_python(CHECK.format(dtype=dtype))
    assert ('output torch.bfloat16 updated True scaler enabled False'
            in result.stdout), result.stdout + result.stderr[-2000:]


def test_float16_on_cpu_names_dtype():
    result = run_python(CHECK.format(dtype='float16'))
    assert "error ValueError AmpOptimWrapper(dtype='float16')" in \
        result.stdout, result.stdout + result.stderr[-2000:]
