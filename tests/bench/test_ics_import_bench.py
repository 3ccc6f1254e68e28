"""The calendar import benchmark on a small file: our side always runs; calcurse's only when
it is installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "ics_import.py"


def _run(*extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--events", "60", "--runs", "1", *extra],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_our_side_is_measured() -> None:
    result = _run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "60 generated events" in result.stdout
    assert "cmplanner events import:" in result.stdout


def test_calcurse_side_and_the_ratio() -> None:
    if shutil.which("calcurse") is None:
        pytest.skip("calcurse is not installed (packaging/install-system-deps.sh installs it)")
    result = _run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "calcurse -i:" in result.stdout
    # calcurse reads every event (series as one, all-day ones as "events"), skips none.
    assert "57 apps / 3 events / 0 todos / 0 skipped" in result.stdout
    assert "import ratio:" in result.stdout and "goal ≤ 1.0" in result.stdout
