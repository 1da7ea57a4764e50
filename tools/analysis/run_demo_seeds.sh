#!/usr/bin/env bash
# The demo (tools/run_demo.sh) once per training seed, on the same generated
# data, then the per-seed top-1 of teacher, student alone and distilled
# student and the mean +- std of (distilled - alone) over seeds.
# SEEDS (default "0 1 2"), EPOCHS (default: the demo's) and WORK_DIR
# (default work_dirs/demo_seeds; one folder per seed) as in run_demo.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

WORK_DIR=${WORK_DIR:-work_dirs/demo_seeds}
SEEDS=${SEEDS:-0 1 2}
summaries=()
for seed in $SEEDS; do
    echo "==== seed $seed"
    start=$SECONDS
    SEED=$seed WORK_DIR="$WORK_DIR/seed$seed" bash tools/run_demo.sh
    echo "==== seed $seed took $((SECONDS - start)) s (load average:" \
        "$(cut -d' ' -f1-3 /proc/loadavg))"
    summaries+=("$WORK_DIR/seed$seed/summary.json")
done
echo "==== per seed"
.venv/bin/python tools/analysis/summarize_demo_seeds.py \
    --out "$WORK_DIR/seeds.json" "${summaries[@]}"
