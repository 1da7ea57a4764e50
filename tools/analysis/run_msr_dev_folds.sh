#!/usr/bin/env bash
# Leave-one-subject-out development folds of the MSR Action3D benchmark:
# tools/analysis/run_msr_benchmark.sh with SPLIT=dev once per training
# subject held out (work dir WORK/subject<N>: its teacher, the students
# without and with distillation), then the paired differences over every
# (fold, seed) pair in WORK/results.md (benchmark_stats.py --folds). The
# choices of the benchmark (teacher, method) are made on these folds; the
# test subjects play no part.
#
#   bash tools/analysis/run_msr_dev_folds.sh [WORK]   (default work_dirs/msr_dev_folds)
#
# SUBJECTS: the held-out subjects (default 1 3 5 7 9, every training
# subject). SEEDS (default 0), TEACHER, METHODS, BASELINES (defaults: the
# choices made on these folds, tools/analysis/msr_benchmark_choices.sh),
# EPOCHS, JOBS and DATA_ROOT as in run_msr_benchmark.sh (BASELINE stays
# student here: the
# folds compare every variant with the student's default recipe).
# FOLDS_AT_ONCE (default 1) folds run side by side, each with its own JOBS
# (their thread count is cores / JOBS whatever runs beside them). Each fold
# resumes or skips what it finished; its output goes to WORK/subject<N>.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash tools/setup_env.sh
export PATH="$PWD/.venv/bin:$PATH"
WORK=${1:-work_dirs/msr_dev_folds}
SUBJECTS=${SUBJECTS:-1 3 5 7 9}
FOLDS_AT_ONCE=${FOLDS_AT_ONCE:-1}
export SEEDS=${SEEDS:-0}
source tools/analysis/msr_benchmark_choices.sh
export TEACHER METHODS BASELINES
export BASELINE=student
mkdir -p "$WORK"
folds=()
failed=()
# wait_for N: wait until fewer than N folds run; remember failed ones
wait_for() {
    while [ "$(jobs -rp | wc -l)" -ge "$1" ]; do
        wait -n || failed+=(1)
    done
}
for subject in $SUBJECTS; do
    wait_for "$FOLDS_AT_ONCE"
    fold=$WORK/subject$subject
    echo "==== fold: subject $subject held out ($(date +%T)), log $fold.log"
    SPLIT=dev DEV_SUBJECT=$subject \
        bash tools/analysis/run_msr_benchmark.sh "$fold" > "$fold.log" 2>&1 &
    folds+=("$fold")
done
wait_for 1
if [ ${#failed[@]} -gt 0 ]; then
    for fold in "${folds[@]}"; do
        tail -n 3 "$fold.log" | sed "s|^|$fold: |"
    done
    echo "${#failed[@]} fold(s) failed (see their logs above)" >&2
    exit 1
fi
echo "==== paired over the folds $SUBJECTS (seeds $SEEDS," \
    "$BASELINES $METHODS): $WORK/results.md"
python tools/analysis/benchmark_stats.py --folds "${folds[@]}" \
    --methods $BASELINES $METHODS --seeds $SEEDS --out "$WORK/results.md"
