#!/usr/bin/env bash
# The few system libraries Qt needs on a bare Debian/Ubuntu (a desktop already has them), and
# calcurse, the C calendar the .ics import benchmark compares with (bench/ics_import.py), and
# qpdf, which the documents tests check every PDF with (`qpdf --check`), and the freedesktop
# validators the packaging tests run on the .desktop and metainfo files.
# Installs only what is missing; does nothing where Qt already loads and calcurse is there.
set -euo pipefail
python="${1:-python3}"
if "$python" - <<'PY' 2>/dev/null
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
QApplication([])
PY
then
    qt_ok=1
else
    qt_ok=0
fi
if [ "$qt_ok" -eq 1 ] && command -v calcurse >/dev/null && command -v qpdf >/dev/null \
        && command -v desktop-file-validate >/dev/null && command -v appstreamcli >/dev/null; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    if [ "$qt_ok" -eq 1 ]; then
        echo "calcurse, qpdf, desktop-file-validate or appstreamcli is missing (the .ics import" \
             "benchmark and the PDF and packaging tests need them): install them with your" \
             "package manager." >&2
        exit 0
    fi
    echo "Qt cannot start here and apt-get is not available: install Qt's runtime libraries" \
         "(EGL, OpenGL, fontconfig, xkbcommon, D-Bus) with your package manager." >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends \
    calcurse qpdf desktop-file-utils appstream \
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 \
    libxcb-cursor0 libxkbcommon-x11-0 fonts-dejavu-core >/dev/null
