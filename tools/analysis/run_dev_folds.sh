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
# Methods over the folds: METHODS="kd-kl trd" CHOICES=<folds work dir that
# chose the student recipe> trains, in each fold, the teacher members with
# that recipe and every candidate of each method on it (the student recipes
# are not trained again), then chooses each method's candidate on the mean
# over the folds and compares it with the chosen student recipe, fold by
# fold (CANDIDATES: a list with that recipe and the methods' candidates,
# e.g. configs/benchmark/avletters/fold_method_candidates.yml). Teacher
# candidates in that list train too (one distilled from the ensemble learns
# from each fold's members) and are compared with the student recipe.
#
# SPEAKERS: the held-out speakers (default: every speaker of the training
# list). SEEDS (default 0), JOBS, EPOCHS, CANDIDATES and DATA_ROOT as in
# run_benchmark.sh. Each fold resumes or skips what it finished.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash tools/setup_env.sh
export PATH="$PWD/.venv/bin:$PATH"
WORK=${1:-work_dirs/benchmark_avletters_folds}
DATA_ROOT=${DATA_ROOT:-../shared/data/avletters}
SPEAKERS=${SPEAKERS:-$(python tools/data/make_avletters_splits.py "$DATA_ROOT" \
    --list-speakers)}
METHODS=${METHODS:-}
if [ -n "$METHODS" ] && [ -z "${CHOICES:-}" ]; then
    echo "METHODS over the folds need CHOICES=<folds work dir> (the student" \
        "recipe chosen over the same folds)" >&2
    exit 1
fi
export SEEDS=${SEEDS:-0} DATA_ROOT
folds=()
for speaker in $SPEAKERS; do
    echo "==== fold: $speaker held out ($(date +%T))"
    SPLIT=dev DEV_SPEAKER=$speaker METHODS="$METHODS" \
        bash tools/analysis/run_benchmark.sh "$WORK/$speaker"
    folds+=("$WORK/$speaker")
done
echo "==== mean over the folds ${SPEAKERS}"
candidates() {
    python tools/analysis/benchmark_candidates.py \
        --candidates "${CANDIDATES:-configs/benchmark/avletters/dev_candidates.yml}" "$@"
}
if [ -n "$METHODS" ]; then
    candidates adopt "$CHOICES" "$WORK" student
else
    candidates choose "$WORK" student --seeds $SEEDS --from "${folds[@]}"
fi
# the single-network teacher candidates (if any) and the methods, each
# chosen over the folds and compared with the student recipe
kinds=$METHODS
[ -z "$(candidates names teacher)" ] || kinds="teacher $kinds"
for kind in $kinds; do
    candidates choose "$WORK" "${kind%-stored}" --seeds $SEEDS \
        --from "${folds[@]}"
    candidates compare "$WORK" "${kind%-stored}" student
done
