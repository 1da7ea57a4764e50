#!/usr/bin/env bash
# Leave-one-speaker-out development folds of the AVLetters benchmark: the
# student recipes of configs/benchmark/avletters/dev_candidates.yml trained
# once per training speaker held out (tools/analysis/run_benchmark.sh with
# SPLIT=dev DEV_SPEAKER=<speaker> METHODS="", work dir WORK/<speaker>), then
# the recipe with the best mean development top-1 over every fold and seed,
# recorded with each fold's figures in WORK/choices.json; likewise the
# single-network teacher candidates, if the list has some, and then the
# chosen teacher against the chosen student recipe, fold by fold.
#
#   bash tools/analysis/run_dev_folds.sh [WORK]   (default work_dirs/benchmark_avletters_folds)
#
# SPEAKERS: the held-out speakers (default: every speaker of the training
# list). SEEDS (default 0), JOBS, EPOCHS, CANDIDATES and DATA_ROOT as in
# run_benchmark.sh. Each fold resumes or skips what it finished. Only the
# student recipes are compared over folds; method parameters are tuned on
# one development speaker (run_benchmark.sh SPLIT=dev).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash tools/setup_env.sh
export PATH="$PWD/.venv/bin:$PATH"
WORK=${1:-work_dirs/benchmark_avletters_folds}
DATA_ROOT=${DATA_ROOT:-../shared/data/avletters}
SPEAKERS=${SPEAKERS:-$(python tools/data/make_avletters_splits.py "$DATA_ROOT" \
    --list-speakers)}
export SEEDS=${SEEDS:-0} DATA_ROOT
folds=()
for speaker in $SPEAKERS; do
    echo "==== fold: $speaker held out ($(date +%T))"
    SPLIT=dev DEV_SPEAKER=$speaker METHODS="" \
        bash tools/analysis/run_benchmark.sh "$WORK/$speaker"
    folds+=("$WORK/$speaker")
done
echo "==== mean over the folds ${SPEAKERS}"
candidates() {
    python tools/analysis/benchmark_candidates.py \
        --candidates "${CANDIDATES:-configs/benchmark/avletters/dev_candidates.yml}" "$@"
}
candidates choose "$WORK" student --seeds $SEEDS --from "${folds[@]}"
if [ -n "$(candidates names teacher)" ]; then
    candidates choose "$WORK" teacher --seeds $SEEDS --from "${folds[@]}"
    candidates compare "$WORK" teacher student
fi
