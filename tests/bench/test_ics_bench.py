"""The calendar export benchmark on a tiny database: the export and the bare icalendar
script write the same bytes (timings are reported, not checked)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.bench.harness import run_script


def bench(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_script("ics.py", *extra, "--db", str(db), "--runs", "1")


def test_export_and_bare_icalendar_write_the_same_bytes(small_db: Path) -> None:
    result = bench(small_db, "export")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "20 events, " in out
    assert "same bytes on both sides: yes" in out
    assert "not like for like" not in out
    assert "median bare icalendar build + to_ical:" in out
    assert "median cmplanner events export:" in out
    ratio = next(line for line in out.splitlines() if "export / bare icalendar ratio:" in line)
    assert float(ratio.split("ratio: ")[1].split()[0]) > 0
    assert "goal ≤ 1.5:" in ratio


def test_a_missing_database_is_not_measured(tmp_path: Path) -> None:
    result = bench(tmp_path / "missing.cmplanner", "export")
    assert result.returncode == 1
    assert "not measured" in result.stdout


def test_an_unknown_part_is_refused(tmp_path: Path) -> None:
    result = bench(tmp_path / "x.cmplanner", "exports")
    assert result.returncode == 2
    assert "unknown part 'exports'" in result.stderr
