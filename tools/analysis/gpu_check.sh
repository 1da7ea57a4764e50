#!/usr/bin/env bash
# GPU check for a bare machine (PyTorch, timm, OpenCV, matplotlib; no
# OpenMMLab package, no package index): installs the wheels of wheels/
# (requirements/gpu_check_wheels.txt) and this package with --no-deps and its
# start-up hook, then measures on random clips:
#   1. 20 iterations of --amp training of CONFIG -> OUT/train_amp.json
#   2. benchmark_kd_pairs.sh, float32            -> OUT/kd_cost_fp32/table.md
#   3. benchmark_kd_pairs.sh, --amp bf16 --channels-last
#                                                -> OUT/kd_cost_bf16_cl/table.md
# and writes OUT/summary.md (clips/s and c/(a+b)) and OUT/gpu_check.log.
#
#   bash tools/analysis/gpu_check.sh OUT            # GPU machine (docs/gpu_check.md)
#   bash tools/analysis/gpu_check.sh OUT --dry-run  # CPU, this environment, tiny sizes
#
# --dry-run installs nothing and runs every step on the CPU at tiny sizes
# (pair 1, 32x32 frames, batch 1). DEVICE=cpu installs like the GPU run and
# then uses those tiny CPU sizes. Environment: PYTHON (python3; with --dry-run
# .venv/bin/python when present), WHEELS (wheels), PAIRS (all; dry run: 1),
# CONFIG (the Kinetics-400 TSM soft-label distillation).
set -euo pipefail
export PYTHONUNBUFFERED=1
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT=${1:?usage: gpu_check.sh OUT [--dry-run]}
DRY_RUN=0
case "${2:-}" in
    --dry-run) DRY_RUN=1 ;;
    '') ;;
    *) echo "gpu_check.sh: unknown option '$2' (only --dry-run)" >&2; exit 2 ;;
esac
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec > >(tee -a "$OUT/gpu_check.log") 2>&1

WHEELS=${WHEELS:-wheels}
CONFIG=${CONFIG:-configs/distill/soft_label_kd/soft-label-t5_tsm-r50_tsm-mobilenetv2_1x1x8_100e_kinetics400-rgb.py}
if (( DRY_RUN )); then
    DEVICE=cpu
    PYTHON=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}
else
    DEVICE=${DEVICE:-cuda}
    PYTHON=${PYTHON:-python3}
fi
if [ "$DEVICE" = cpu ]; then
    PAIRS=${PAIRS:-1}
    BENCH=(--batch-size 1 --crop-size 32 --repeats 1 --warmup 0)
    TRAIN=(--batch-size 1 --crop-size 32 --iters 3 --warmup 1)
else
    PAIRS=${PAIRS:-}
    BENCH=()  # each config's batch size
    TRAIN=(--iters 20)
fi
export PYTHON

echo "== gpu_check.sh $(date -u +%FT%TZ): device $DEVICE, dry run $DRY_RUN, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if (( ! DRY_RUN )); then
    echo "== installing $WHEELS/*.whl and mmrazor-video-kd (--no-deps)"
    ls "$WHEELS"/*.whl > /dev/null 2>&1 || {
        echo "gpu_check.sh: no wheels in '$WHEELS'; download them as docs/gpu_check.md says" >&2
        exit 1
    }
    PIP=("$PYTHON" -m pip install -q --no-index --no-deps --no-cache-dir)
    "$PYTHON" -c 'import pkg_resources' 2>/dev/null \
        || "${PIP[@]}" "$WHEELS"/setuptools-*.whl
    "${PIP[@]}" $(ls "$WHEELS"/*.whl | grep -v /setuptools-)
    "${PIP[@]}" --no-build-isolation .
fi
"$PYTHON" - <<'EOF' | tee "$OUT/versions.txt"
import importlib.metadata as metadata
import platform
import sys

import torch
assert 'mmrazor_video_kd_startup' in sys.modules, \
    'the start-up hook mmrazor_video_kd_startup.pth is not installed'
import mmrazor_video_kd  # noqa: F401 (imports mmengine, mmcv, mmrazor)
from mmaction.utils import register_all_modules
register_all_modules()
print(f'python {platform.python_version()}, torch {torch.__version__}, '
      f'CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}')
for i in range(torch.cuda.device_count()):
    print(f'GPU {i}: {torch.cuda.get_device_name(i)}')
import cv2
print(f'OpenCV {cv2.__version__}')
for name in ('mmengine', 'mmcv-lite', 'mmaction2', 'mmrazor', 'timm',
             'numpy', 'setuptools'):
    try:
        print(f'{name} {metadata.version(name)}')
    except metadata.PackageNotFoundError:
        print(f'{name} not installed')
EOF
if command -v nvidia-smi > /dev/null; then
    nvidia-smi | tee "$OUT/nvidia-smi.txt" || echo "nvidia-smi failed (exit $?)"
fi

# Each measurement runs even if an earlier one failed; failures are listed
# at the end (exit status 1), each pair of a benchmark on its own.
FAILED=()
NPAIRS=$(sed -n '/^CONFIGS=(/,/^)/p' tools/analysis/benchmark_kd_pairs.sh | grep -c '^ *configs/')
benchmark() {  # benchmark NAME [benchmark_kd.py options]
    local name=$1 n
    shift
    for n in ${PAIRS:-$(seq 1 "$NPAIRS")}; do
        PAIRS=$n bash tools/analysis/benchmark_kd_pairs.sh "$OUT/$name" \
            --device "$DEVICE" "$@" "${BENCH[@]}" || FAILED+=("$name pair $n")
    done
}

echo "== 1. --amp training on random clips, $DEVICE: $CONFIG"
if "$PYTHON" tools/analysis/train_random_clips.py "$CONFIG" --amp --device "$DEVICE" \
        "${TRAIN[@]}" --work-dir "$OUT/train_amp" --out "$OUT/train_amp.json" \
        > "$OUT/train_amp.log" 2>&1; then
    tail -n 3 "$OUT/train_amp.log"
else
    tail -n 30 "$OUT/train_amp.log"
    FAILED+=("training (see $OUT/train_amp.log)")
fi
echo "== 2. benchmark_kd_pairs.sh, float32, $DEVICE"
benchmark kd_cost_fp32
echo "== 3. benchmark_kd_pairs.sh, --amp bf16 --channels-last, $DEVICE"
benchmark kd_cost_bf16_cl --amp bf16 --channels-last

table() { cat "$OUT/$1/table.md" 2>/dev/null || echo "(no result)"; }
{
    echo "# GPU check, $(date -u +%F), device $DEVICE"
    echo
    sed 's/^/    /' "$OUT/versions.txt"
    echo
    echo "## --amp training on random clips"
    echo
    tail -n 3 "$OUT/train_amp.log" | sed 's/^/    /'
    echo
    echo "## Cost of distillation, float32 (c/(a+b), clips/s)"
    echo
    table kd_cost_fp32
    echo
    echo "## Cost of distillation, bf16 autocast, channels-last"
    echo
    table kd_cost_bf16_cl
    for failed in "${FAILED[@]}"; do echo "- failed: $failed"; done
} > "$OUT/summary.md"
if (( ${#FAILED[@]} )); then
    printf 'gpu_check.sh: failed: %s\n' "${FAILED[@]}" >&2
    exit 1
fi
echo "== done: $OUT/summary.md"
