"""The documents benchmark on a small list: it measures both sides and prints the ratio
(timings are reported, not checked)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.harness import run_script


def test_brief_and_bare_platypus_are_measured(small_db: Path) -> None:
    result = run_script("documents.py", "--db", str(small_db), "--guests", "150", "--runs", "1")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "150 guests; brief " in out
    assert "median bare reportlab Platypus table:" in out
    assert "median cmplanner event brief:" in out
    ratio = next(line for line in out.splitlines() if "brief / bare Platypus ratio:" in line)
    assert float(ratio.split("ratio: ")[1].split()[0]) > 0
    assert "goal ≤ 1.5:" in ratio


def test_a_missing_database_is_not_measured(tmp_path: Path) -> None:
    result = run_script("documents.py", "--db", str(tmp_path / "missing.cmplanner"))
    assert result.returncode == 1
    assert "not measured" in result.stdout
