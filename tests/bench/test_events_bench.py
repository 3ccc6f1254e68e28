"""The month agenda benchmark on a tiny database: khal reads the exported vdir and lists the
same occurrences as `cmplanner events list` (timings are reported, not checked)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.bench.harness import run_script


def bench(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_script("events.py", "--db", str(db), "--runs", "1", *extra)


def test_khal_lists_the_same_occurrences_and_the_ratio_is_reported(small_db: Path) -> None:
    # Two months around the generator's anchor: single events and both weekly series.
    result = bench(small_db, "--from", "2026-11-01", "--to", "2026-12-31")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "wrote 20 events as .ics files for khal" in out
    line = next(line for line in out.splitlines() if "cmplanner lists" in line)
    ours = int(line.split("cmplanner lists ")[1].split()[0])
    khal = int(line.split("khal ")[1].split()[0])
    running = int(line.split("(")[1].split()[0])
    assert ours > 8  # two weekly series over two months, and single events
    assert ours == khal - running, line  # the vdir holds the same events, series expanded
    assert "not like for like" not in out
    assert "median khal list" in out and "median cmplanner events list --json" in out
    assert "events list / khal list ratio:" in out and "goal ≤ 0.5:" in out


def test_a_missing_database_is_not_measured(tmp_path: Path) -> None:
    result = bench(tmp_path / "missing.cmplanner")
    assert result.returncode == 1
    assert "not measured" in result.stdout
