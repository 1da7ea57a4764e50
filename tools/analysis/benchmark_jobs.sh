# Training jobs shared by the benchmark scripts (tools/analysis/run_benchmark.sh,
# tools/analysis/run_msr_benchmark.sh); sourced, not run. The caller sets
# WORK (the work dir), DATA and SHORT (--cfg-options of every run, SHORT
# last so that EPOCHS wins) and optionally JOBS, then calls:
#   spawn COMMAND...        run it in the background once fewer than JOBS run
#   drain                   wait for every spawned run; stop if one failed
#   train NAME CONFIG SEED [--cfg-options values...]
#   test_model NAME CONFIG CHECKPOINT [--cfg-options values...]
#   last_ckpt NAME          the last checkpoint of finished run WORK/NAME
#   build_ensemble CONFIG OUT SEED...   OUT from runs WORK/member_seed<SEED>
#   train_accuracy NAME...  training top-1 of runs WORK/NAME_seed<N> (SEEDS)
# train/test_model skip a run whose WORK/NAME/result.json exists and resume
# an interrupted training (only with the thread count it started with). A
# resumed run's data workers start their random streams afresh, so it draws
# other augmentations than the uninterrupted run and its result differs
# (docs/benchmark_protocol.md); remove WORK/NAME to reproduce a run exactly.
# JOBS trainings run at once (default: the number of CPU cores, at most 4,
# or 1 with a GPU), each with cores / JOBS threads.
CORES=$(nproc)
if [ -z "${JOBS:-}" ]; then
    JOBS=$(( CORES < 4 ? CORES : 4 ))
    command -v nvidia-smi > /dev/null && nvidia-smi -L > /dev/null 2>&1 && JOBS=1
fi
THREADS=$(( CORES / JOBS > 0 ? CORES / JOBS : 1 ))
FAILED=0
# spawn COMMAND...: run it in the background once fewer than JOBS run
spawn() {
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || FAILED=1; done
    [ "$FAILED" = 0 ] || { drain; exit 1; }
    OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS "$@" &
}
# drain: wait for every spawned run; stop if one failed
drain() {
    while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || FAILED=1; done
    [ "$FAILED" = 0 ] || { echo "a run failed (see its log above)"; exit 1; }
}

# train NAME CONFIG SEED [--cfg-options values...]
train() {
    local name=$1 config=$2 seed=$3 dir=$WORK/$1
    shift 3
    if [ -f "$dir/result.json" ]; then echo "[done] $name"; return; fi
    echo "[train] $name ($(date +%T))"
    local resume=()
    if [ -f "$dir/last_checkpoint" ]; then
        # another thread count changes the arithmetic, so the result
        if [ "$(cat "$dir/threads" 2> /dev/null)" != "$THREADS" ]; then
            echo "$dir was started with $(cat "$dir/threads" 2> /dev/null \
                || echo unrecorded) thread(s), this run uses $THREADS" \
                "(JOBS=$JOBS): rerun with its JOBS or remove $dir" >&2
            exit 1
        fi
        resume=(--resume)
    fi
    mkdir -p "$dir" && echo "$THREADS" > "$dir/threads"
    python tools/train.py "$config" --work-dir "$dir" "${resume[@]}" \
        --cfg-options randomness.seed="$seed" $DATA "$@" $SHORT \
        > "$dir.log" 2>&1 || { tail -n 30 "$dir.log"; exit 1; }
    python tools/analysis/benchmark_report.py collect "$dir" --config "$config" --seed "$seed"
}

# last_ckpt NAME: WORK/NAME/<its last checkpoint> (found under WORK even if
# the work dir was moved since the run wrote last_checkpoint)
last_ckpt() {
    echo "$WORK/$1/$(basename "$(cat "$WORK/$1/last_checkpoint")")"
}

# build_ensemble CONFIG OUT SEED...: the checkpoint of CONFIG's
# EnsembleRecognizer from the last checkpoints of WORK/member_seed<SEED>, in
# order (kept if OUT exists)
build_ensemble() {
    local config=$1 out=$2 seed members=()
    shift 2
    [ -f "$out" ] && return
    for seed in "$@"; do members+=("$(last_ckpt "member_seed$seed")"); done
    python tools/analysis/build_ensemble_checkpoint.py "$config" \
        "${members[@]}" --out "$out"
}

# train_accuracy NAME...: each finished run WORK/NAME_seed<N> (N in SEEDS)
# tested on its own training list by tools/analysis/train_accuracy.py
# (WORK/NAME_seed<N>/train_accuracy.json; runs already measured are kept)
train_accuracy() {
    local name seed runs=()
    for name in "$@"; do
        for seed in $SEEDS; do runs+=("$WORK/${name}_seed$seed"); done
    done
    OMP_NUM_THREADS=$CORES python tools/analysis/train_accuracy.py \
        "${runs[@]}" > "$WORK/train_accuracy.log" 2>&1 \
        || { tail -n 30 "$WORK/train_accuracy.log"; exit 1; }
}

# test NAME CONFIG CHECKPOINT [--cfg-options values...]
test_model() {
    local name=$1 config=$2 checkpoint=$3 dir=$WORK/$1
    shift 3
    if [ -f "$dir/result.json" ]; then echo "[done] $name"; return; fi
    echo "[test] $name ($(date +%T))"
    python tools/test.py "$config" "$checkpoint" --work-dir "$dir" \
        --cfg-options $DATA "$@" > "$dir.log" 2>&1 \
        || { tail -n 30 "$dir.log"; exit 1; }
    python tools/analysis/benchmark_report.py collect "$dir" --config "$config"
}
