"""What the benchmark tests share: the repository's root, a database from bench/generate.py
and a run of one bench/ script (its output captured as text)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def generate(path: Path, contacts: int = 200) -> Path:
    """A database made by bench/generate.py with `contacts` contacts, at `path`."""
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--contacts", str(contacts),
         "--out", str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return path


def run_script(
    script: str, *args: str, offscreen: bool = False
) -> subprocess.CompletedProcess[str]:
    """bench/<script> run with `args`; `offscreen` for a script that opens windows."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"} if offscreen else None
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
