#!/usr/bin/env bash
# The system libraries Qt needs on a bare Debian/Ubuntu — for the real display (the xcb
# platform plugin: `make run` shows no window without them) as well as offscreen —, and
# calcurse, the C calendar the .ics import benchmark compares with (bench/ics_import.py), and
# qpdf, which the documents tests check every PDF with (`qpdf --check`), and the freedesktop
# validators the packaging tests run on the .desktop and metainfo files.
# Installs only what is missing; does nothing where every Qt library resolves and the tools
# are there. Exits 1, naming them, if libraries are still missing afterwards.
set -euo pipefail
python="${1:-python3}"

# Where PySide6 keeps Qt; empty if PySide6 is not installed for this Python.
qt_dir=$("$python" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt"))' 2>/dev/null || true)

# The shared libraries the xcb platform plugin (and the Qt libraries it loads) cannot find.
missing_libraries() {
    [ -n "$qt_dir" ] || return 0
    local files=("$qt_dir/plugins/platforms/libqxcb.so" "$qt_dir"/lib/libQt6XcbQpa.so.*)
    for f in "${files[@]}"; do
        [ -e "$f" ] && ldd "$f" 2>/dev/null
    done | awk '/not found/ {print $1}' | sort -u
}

# Debian's package for a library soname, by its naming policy: libfoo.so.6 -> libfoo6,
# libfoo-1.so.3 -> libfoo-1-3 (a dash when the name ends in a digit), lower case.
package_for() {
    local name=${1%%.so.*} version=${1##*.so.}
    version=${version%%.*}
    name=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')
    case "$name" in
        *[0-9]) printf '%s-%s\n' "$name" "$version" ;;
        *) printf '%s%s\n' "$name" "$version" ;;
    esac
}

qt_starts() {
    "$python" - <<'PY' 2>/dev/null
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
QApplication([])
PY
}

tools_present() {
    command -v calcurse >/dev/null && command -v qpdf >/dev/null \
        && command -v desktop-file-validate >/dev/null && command -v appstreamcli >/dev/null
}

missing=$(missing_libraries)
if [ -z "$missing" ] && qt_starts && tools_present; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    if [ -n "$missing" ]; then
        echo "Qt's display plugin cannot load: these libraries are missing:" $missing \
             "— install them with your package manager." >&2
        exit 1
    fi
    if ! qt_starts; then
        echo "Qt cannot start here and apt-get is not available: install Qt's runtime libraries" \
             "(EGL, OpenGL, fontconfig, xkbcommon, D-Bus, xcb) with your package manager." >&2
        exit 1
    fi
    echo "calcurse, qpdf, desktop-file-validate or appstreamcli is missing (the .ics import" \
         "benchmark and the PDF and packaging tests need them): install them with your" \
         "package manager." >&2
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
# The list Qt documents for X11 ("Qt for X11 Requirements"), plus what PySide6's other
# libraries load; named so that a library missing from it is still found below.
$sudo apt-get install -y -qq --no-install-recommends \
    calcurse qpdf desktop-file-utils appstream \
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 \
    libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
    libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 \
    libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 fonts-dejavu-core >/dev/null

# Anything the list above did not cover (a newer Qt linking one more library): by soname.
missing=$(missing_libraries)
if [ -n "$missing" ]; then
    packages=$(for lib in $missing; do package_for "$lib"; done)
    # shellcheck disable=SC2086
    $sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null || true
    missing=$(missing_libraries)
fi
if [ -n "$missing" ]; then
    echo "Qt's display plugin still cannot load: these libraries are missing:" $missing >&2
    exit 1
fi
