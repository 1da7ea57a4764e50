#!/usr/bin/env bash
# benchmark_kd.py over the default teacher -> student pairs on Kinetics-400
# shapes (8x224x224 TSM/TSN, 16x224x224 ViT), then one Markdown table.
#
#   bash tools/analysis/benchmark_kd_pairs.sh OUT_DIR [benchmark_kd.py options]
#
# e.g. on a CPU:  bash tools/analysis/benchmark_kd_pairs.sh work_dirs/kd_cost --batch-size 2 --repeats 5 --warmup 1
#      on a GPU:  bash tools/analysis/benchmark_kd_pairs.sh work_dirs/kd_cost_gpu --device cuda --batch-size 16
#                 bash tools/analysis/benchmark_kd_pairs.sh work_dirs/kd_cost_gpu_bf16 --device cuda --batch-size 16 --amp bf16 --channels-last
# Models are randomly initialised (costs do not depend on the weights);
# PAIRS selects a subset by number (e.g. PAIRS="1 5").
# Writes OUT_DIR/<n>.json, OUT_DIR/<n>.log and OUT_DIR/table.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT=${1:?usage: benchmark_kd_pairs.sh OUT_DIR [benchmark_kd.py options]}
shift
CONFIGS=(
    configs/distill/soft_label_kd/soft-label-t5_tsm-r50_tsm-mobilenetv2_1x1x8_100e_kinetics400-rgb.py
    configs/distill/feature_kd/feat-mse_tsm-r50_tsm-mobilenetv2_1x1x8_100e_kinetics400-rgb.py
    configs/distill/temporal_relation/trd_tsm-r50_tsm-mobilenetv2_1x1x8_100e_kinetics400-rgb.py
    configs/distill/feature_kd/feat-mse_tsn-swin-base_tsn-r50_1x1x8_100e_kinetics400-rgb.py
    configs/distill/attention_kd/attn-feat-logits_vit-b-videomae_vit-s_16x4x1_kinetics400-rgb.py
    configs/distill/tri_model/tri-model_vit-b-videomae_vit-b-assistant_vit-s_16x4x1_kinetics400-rgb.py
)
PAIRS=${PAIRS:-$(seq 1 ${#CONFIGS[@]})}
PYTHON=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python)}
for n in $PAIRS; do
    if ! [[ $n =~ ^[0-9]+$ ]] || (( n < 1 || n > ${#CONFIGS[@]} )); then
        echo "PAIRS: no pair '$n'; pairs are 1-${#CONFIGS[@]}" >&2
        exit 2
    fi
done
mkdir -p "$OUT"
for n in $PAIRS; do
    config=${CONFIGS[$((n - 1))]}
    if [ -f "$OUT/$n.json" ]; then
        echo "pair $n: $OUT/$n.json exists, kept"
        continue
    fi
    echo "pair $n: $config"
    "$PYTHON" tools/analysis/benchmark_kd.py "$config" --out "$OUT/$n.json.part" "$@" \
        > "$OUT/$n.log" 2>&1 || { echo "pair $n failed: see $OUT/$n.log"; exit 1; }
    mv "$OUT/$n.json.part" "$OUT/$n.json"
    tail -n 5 "$OUT/$n.log"
done
"$PYTHON" tools/analysis/benchmark_kd_table.py "$OUT"/*.json > "$OUT/table.md"
cat "$OUT/table.md"
