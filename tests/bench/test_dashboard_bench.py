"""The dashboard benchmark on two small databases: it times `compute` on both and prints the
ratio (timings are reported, not checked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.harness import generate, run_script


@pytest.fixture(scope="module")
def smaller_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("bench") / "smaller.cmplanner", contacts=50)


def test_both_databases_are_measured_and_the_ratio_printed(
    small_db: Path, smaller_db: Path
) -> None:
    result = run_script(
        "dashboard.py", "--db", str(small_db), "--small-db", str(smaller_db), "--runs", "1"
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "small: 50 contacts:" in out
    assert "big:   200 contacts:" in out
    assert "median compute, small database:" in out
    assert "median compute, big database:" in out
    assert "section (inclusive)" in out and "rows read" in out
    assert "invitation" in out  # how each table grows is shown
    ratio = next(line for line in out.splitlines() if line.startswith("big / small ratio:"))
    assert float(ratio.split("ratio: ")[1].split()[0]) > 0
    assert "goal ≤ 12:" in ratio


def test_a_missing_database_is_not_measured(small_db: Path, tmp_path: Path) -> None:
    result = run_script(
        "dashboard.py", "--db", str(tmp_path / "missing.cmplanner"), "--small-db", str(small_db)
    )
    assert result.returncode == 1
    assert "not measured" in result.stdout
