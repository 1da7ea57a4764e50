default_scope = 'mmaction'
# CheckedVideoDataset, FiniteLossHook, the distillation losses and connectors
custom_imports = dict(imports=['mmrazor_video_kd'], allow_failed_imports=False)

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=10, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', interval=1, max_keep_ckpts=2,
        save_best='auto'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffers=dict(type='SyncBuffersHook'))
# stop at the first NaN/inf loss, naming it, before a checkpoint is written;
# re-seed every epoch, so that `--resume` continues with the same randomness;
# before training, fetch pretrained (ImageNet) weights into torch's hub cache
# or fail naming them (docs/kinetics_recipes.md)
custom_hooks = [dict(type='FiniteLossHook'), dict(type='EpochSeedHook'),
                dict(type='PretrainedWeightsHook')]

# `nccl` falls back to `gloo` on machines without CUDA (mmrazor_video_kd.compat)
# cuDNN benchmarks its convolution algorithms once per input size (the sizes
# of a config are fixed) and keeps the fastest; no effect on CPU, and
# `randomness.deterministic=True` switches it off (docs/gpu_defaults.md).
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))

log_processor = dict(type='LogProcessor', window_size=10, by_epoch=True)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
