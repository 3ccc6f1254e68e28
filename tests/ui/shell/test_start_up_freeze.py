"""Once its window shows the first view, the app sets the start-up's objects aside from the
cycle collector (ui.shell.app.finish_start_up): later full collections, which stop the window too,
no longer walk them (issue 4, point 11: no stall over 100 ms)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LAUNCH = """
import gc, os, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
import ui.shell.app as app

def finish_start_up():
    windows = [w for w in QApplication.topLevelWidgets() if hasattr(w, "first_view_filled")]
    before = gc.get_freeze_count()
    original()
    print("WINDOW", all(w.isVisible() and w.first_view_filled for w in windows), len(windows))
    print("FROZEN", before, gc.get_freeze_count(), flush=True)
    os._exit(0)

original, app.finish_start_up = app.finish_start_up, finish_start_up
sys.exit(app.run(Path(sys.argv[1])))
"""


def test_the_start_up_objects_are_frozen_once_the_first_view_is_shown(
    demo_path: Path, tmp_path: Path
) -> None:
    env = dict(os.environ)
    env.pop("CMPLANNER_STARTUP_PROBE", None)
    home = tmp_path / "home"
    env.update(
        QT_QPA_PLATFORM="offscreen", CMPLANNER_HOME=str(home), XDG_CONFIG_HOME=str(home / "cfg")
    )
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(demo_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["WINDOW"] == "True 1"  # after the window showed its first view
    before, after = map(int, lines["FROZEN"].split())
    assert after > before + 20_000  # the modules, classes and window of the start-up
