"""Fix: ``--launcher pytorch|slurm|mpi`` crash on machines without CUDA.

MMEngine's ``_init_dist_pytorch``, ``_init_dist_slurm`` and
``_init_dist_mpi`` call ``torch.cuda.set_device`` unconditionally ("Found no
NVIDIA driver"), the default backend is ``nccl``, and the runner wraps the
model in DDP with ``device_ids=[LOCAL_RANK]``, which DDP rejects for a CPU
module. Without CUDA, the launchers skip ``set_device``, ``nccl`` becomes
``gloo`` (with a warning) and DDP gets ``device_ids=None``. With CUDA nothing
changes.
"""
import contextlib
import functools
import warnings

LAUNCHERS = ('_init_dist_pytorch', '_init_dist_slurm', '_init_dist_mpi')


@contextlib.contextmanager
def _no_cuda_set_device(torch):
    original = torch.cuda.set_device
    torch.cuda.set_device = lambda device: None
    try:
        yield
    finally:
        torch.cuda.set_device = original


def _cpu_safe(launcher):
    if getattr(launcher, '_mmrazor_video_kd', False):
        return launcher

    @functools.wraps(launcher)
    def wrapper(backend, *args, **kwargs):
        import torch
        if torch.cuda.is_available():
            return launcher(backend, *args, **kwargs)
        if backend == 'nccl':
            warnings.warn('CUDA is not available: using the gloo backend '
                          'instead of nccl for distributed training.')
            backend = 'gloo'
        with _no_cuda_set_device(torch):
            return launcher(backend, *args, **kwargs)

    wrapper._mmrazor_video_kd = True
    return wrapper


def patch_dist_utils(module) -> None:
    """Make the launchers of ``mmengine.dist.utils`` work without CUDA."""
    for name in LAUNCHERS:
        setattr(module, name, _cpu_safe(getattr(module, name)))


def patch_ddp_wrapper(module) -> None:
    """Give ``MMDistributedDataParallel`` ``device_ids=None`` for CPU models."""
    cls = module.MMDistributedDataParallel
    init = cls.__init__
    if getattr(init, '_mmrazor_video_kd', False):
        return

    @functools.wraps(init)
    def __init__(self, module, *args, **kwargs):
        if not any(p.is_cuda for p in module.parameters()):
            kwargs['device_ids'] = None
            kwargs.pop('output_device', None)
        init(self, module, *args, **kwargs)

    __init__._mmrazor_video_kd = True
    cls.__init__ = __init__


def install(hooks) -> None:
    """Patch the modules once they are imported."""
    hooks.when_imported('mmengine.dist.utils', patch_dist_utils)
    hooks.when_imported('mmengine.model.wrappers.distributed',
                        patch_ddp_wrapper)
