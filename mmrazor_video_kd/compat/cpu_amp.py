"""Fix: ``AmpOptimWrapper`` (``--amp``) refuses to start without a GPU.

MMEngine's ``AmpOptimWrapper.__init__`` asserts that CUDA (or an NPU, MLU,
MUSA device) is available, although ``torch.autocast('cpu',
dtype=torch.bfloat16)`` works on CPUs and MMEngine's own ``autocast`` picks
bf16 there. Where no such device is available, the fix builds the wrapper
for bf16 autocast (``dtype`` None or ``'bfloat16'``) with loss scaling off:
bf16 has float32's exponent range, so gradients do not underflow. Other
dtypes (float16 has no CPU autocast) raise a ``ValueError`` naming
``dtype``. With a GPU the upstream code runs unchanged (fp16 by default,
with ``loss_scale``).
"""
import functools

MODULE = 'mmengine.optim.optimizer.amp_optimizer_wrapper'
LOSS_SCALES = "float, dict, or 'dynamic'"


def has_accelerator(module) -> bool:
    """Whether one of the devices ``AmpOptimWrapper`` asserts is present."""
    return (module.is_cuda_available() or module.is_npu_available()
            or module.is_mlu_available() or module.is_musa_available())


def patch_init(module) -> None:
    """Let ``AmpOptimWrapper`` run bf16 autocast where no GPU is present."""
    import torch
    cls = module.AmpOptimWrapper
    init = cls.__init__
    if getattr(init, '_mmrazor_video_kd', False):
        return

    @functools.wraps(init)
    def init_bf16_without_accelerator(self, loss_scale='dynamic',
                                      dtype=None, use_fsdp=False, **kwargs):
        if has_accelerator(module):
            return init(self, loss_scale=loss_scale, dtype=dtype,
                        use_fsdp=use_fsdp, **kwargs)
        if dtype not in (None, 'bfloat16', torch.bfloat16):
            raise ValueError(
                f'AmpOptimWrapper(dtype={dtype!r}): without a GPU, mixed '
                "precision runs bf16 autocast on the CPU; set "
                "optim_wrapper's dtype='bfloat16' (or leave it unset)")
        if not (loss_scale == 'dynamic'
                or isinstance(loss_scale, (float, dict))):
            raise TypeError(f'loss_scale must be of type {LOSS_SCALES}, '
                            f'but got {loss_scale}')
        module.OptimWrapper.__init__(self, **kwargs)
        self._scale_update_param = None
        self.loss_scaler = torch.amp.GradScaler('cpu', enabled=False)
        self.cast_dtype = torch.bfloat16

    init_bf16_without_accelerator._mmrazor_video_kd = True
    cls.__init__ = init_bf16_without_accelerator


def install(hooks) -> None:
    """Patch ``AmpOptimWrapper`` once it is imported."""
    hooks.when_imported(MODULE, patch_init)
