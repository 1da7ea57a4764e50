#!/usr/bin/env bash
# Create the virtual environment `.venv` in the repository with the pinned
# requirements and mmrazor-video-kd (editable). Run it again at any time: it
# only reinstalls when requirements/ or setup.py changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.mmrazor_video_kd_installed
WANT=$(cat requirements/*.txt requirements/*.in setup.py | sha256sum | cut -d' ' -f1)

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    "$VENV/bin/python" -m pip install -q -r requirements/runtime.txt \
        -r requirements/tests.txt
    "$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation -e .
    echo "$WANT" > "$STAMP"
fi

# An editable install does not place `.pth` files in site-packages (a wheel
# does): install the start-up hook of the compat layer by hand.
PURELIB=$("$VENV/bin/python" -c \
    'import sysconfig; print(sysconfig.get_paths()["purelib"])')
cmp -s mmrazor_video_kd_startup.pth "$PURELIB/mmrazor_video_kd_startup.pth" \
    || cp mmrazor_video_kd_startup.pth "$PURELIB/"

"$VENV/bin/python" -c 'import sys; assert "mmrazor_video_kd_startup" in sys.modules, "compat start-up hook missing"'
echo "environment ready: $VENV (activate with: source $VENV/bin/activate)"
