#!/usr/bin/env bash
# Run MMRazor's own distillation unit tests against the installed MMRazor,
# with the compat layer on and off.
#
# Usage: tools/analysis/run_mmrazor_tests.sh MIRROR [REF] [DEST]
#   MIRROR  a git directory of github.com/open-mmlab/mmrazor (a bare mirror
#           or a clone's .git); nothing is downloaded
#   REF     the tag to test, default v1.0.0 (the installed release)
#   DEST    where tests/ is extracted, default a new temporary directory
# Environment: PYTHON (default: .venv/bin/python of this repository).
#
# Only MMRazor's tests/ is extracted, never its mmrazor/ package, so the
# tests import the installed MMRazor. Test files run in MMRazor's own
# (alphabetical) order: test_distillers' tearDown unregisters ToyDistillLoss,
# which test_single_teacher_distill needs if it ran later. See
# docs/compatibility.md for the expected results.
set -euo pipefail

MIRROR=${1:?usage: $0 MIRROR [REF] [DEST]}
REF=${2:-v1.0.0}
DEST=${3:-$(mktemp -d /tmp/mmrazor-tests.XXXXXX)}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-$REPO/.venv/bin/python}
TESTS=(
    tests/test_core/test_recorders
    tests/test_engine/test_hooks/test_stop_distillation_hook.py
    tests/test_models/test_algorithms/test_single_teacher_distill.py
    tests/test_models/test_architectures/test_connectors
    tests/test_models/test_distillers
    tests/test_models/test_losses
)

mkdir -p "$DEST"
git --git-dir="$MIRROR" archive "$REF" tests | tar -x -C "$DEST"
cd "$DEST"

for setting in 1 0; do
    echo "== MMRAZOR_VIDEO_KD_COMPAT=$setting ($REF, $DEST)"
    MMRAZOR_VIDEO_KD_COMPAT=$setting OMP_NUM_THREADS=1 "$PYTHON" -m pytest \
        -q -p no:cacheprovider --continue-on-collection-errors "${TESTS[@]}" \
        2>&1 | grep -E '^(FAILED|ERROR) |^E   [A-Za-z]*Error|[0-9]+ (passed|failed|error)' \
        | sort | uniq -c || true
done

