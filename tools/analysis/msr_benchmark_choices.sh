# The choices of the MSR Action3D benchmark made on the development folds
# (docs/benchmark_msr_action3d.md): the teacher with the largest lead over
# the student, the best distillation setting from it, and the best settings
# of the student alone (the baseline, and the recipe that distillation
# setting trains on). Defaults of run_msr_benchmark.sh and
# run_msr_dev_folds.sh, which source this file; an empty METHODS or
# BASELINES set in the environment stays empty.
TEACHER=${TEACHER:-ensemble-tiny-ls0.1-joints-bones-motion}
METHODS=${METHODS-kd-kl-ls0.3}
BASELINES=${BASELINES-student-ls0.3 student-ls0.4}
TUNED_BASELINE=student-ls0.4
