#!/usr/bin/env bash
# Set up the environment (tools/setup_env.sh) and run the test suite.
# Extra arguments go to pytest, e.g. `bash tools/run_tests.sh -k compat`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup_env.sh
exec .venv/bin/python -m pytest tests "$@"
