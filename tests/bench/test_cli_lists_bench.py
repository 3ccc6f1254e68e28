"""The CLI lists bench on a tiny database: every figure reported against its bare script,
both sides printing the same rows."""

from __future__ import annotations

from pathlib import Path

from tests.bench.harness import run_script


def test_reports_every_figure_with_its_goal(small_db: Path) -> None:
    result = run_script("cli_lists.py", "--quick", "--db", str(small_db))
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert out.count("(goal ≤ 2×)") == 2  # a rare name and a common prefix
    assert "events list 2026-11" in out and "(goal ≤ 3×)" in out
    assert "rows printed by each side" in out
    assert "could not be measured" not in out
