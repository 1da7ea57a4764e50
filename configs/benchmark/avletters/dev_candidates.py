# What the AVLetters benchmark tries on the development split (SPLIT=dev of
# tools/analysis/run_benchmark.sh) before its final runs; read by
# tools/analysis/benchmark_candidates.py. Each candidate is a name and what
# it changes in the benchmark config (a method's: --cfg-options); the first
# of each kind is the config as it is, and a tie goes to the earlier one.
#
# `student`: the training recipe. The student without distillation tries
# these; the chosen one is then the recipe of every distilled student too
# (benchmark_candidates.py turns a recipe into the options of each config).
# `methods`: each method tries as many candidates of its own parameters as
# the student tried recipes (the same tuning budget), on the chosen recipe.

student = {  # recipe parameters: epochs, lr (AdamW)
    '30e-lr2e-3': dict(),
    '30e-lr4e-3': dict(lr=0.004),
    '60e-lr2e-3': dict(epochs=60),
    '60e-lr4e-3': dict(epochs=60, lr=0.004),
}

_KL = 'model.distiller.distill_losses.loss_kl'
_DIST = 'model.distiller.distill_losses.loss_dist'
_TRD = 'model.distiller.distill_losses.loss_trd'
_FEAT = 'model.distiller.distill_losses.loss_feat'
methods = {
    'kd-kl': {
        't4-w1': [],
        't1-w1': [f'{_KL}.tau=1'],
        't4-w4': [f'{_KL}.loss_weight=4.0'],
        't8-w1': [f'{_KL}.tau=8'],
    },
    'kd-dist': {
        'w2': [],
        'w0.5': [f'{_DIST}.loss_weight=0.5'],
        'w8': [f'{_DIST}.loss_weight=8.0'],
        't4-w2': [f'{_DIST}.tau=4.0'],
    },
    'trd': {
        'w10': [],
        'w2.5': [f'{_TRD}.loss_weight=2.5'],
        'w40': [f'{_TRD}.loss_weight=40.0'],
        'w160': [f'{_TRD}.loss_weight=160.0'],
    },
    'feat-mse': {
        'w1': [],
        'w0.25': [f'{_FEAT}.loss_weight=0.25'],
        'w4': [f'{_FEAT}.loss_weight=4.0'],
        'w16': [f'{_FEAT}.loss_weight=16.0'],
    },
}
