"""The contact benchmark's harness on tiny sizes: every figure is reported (not timed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.bench.harness import run_script


def bench(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_script(
        "contacts.py", "--quick", "--cards", "40", "--db", str(db), *extra, offscreen=True
    )


def test_reports_every_figure_with_its_goal(small_db: Path) -> None:
    pieces = "import,cli,search,heartbeat"
    result = bench(small_db, "--only", pieces)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "40 generated vCard 3.0 cards" in out
    assert "import ratio:" in out and "goal ≤ 2.0:" in out
    assert "search ratio (worst term):" in out and "goal ≤ 5:" in out
    assert "longest event-loop stall:" in out and "goal ≤ 100 ms:" in out
    assert "cli ratio:" in out and "goal ≤ 0.1:" in out


def test_both_address_books_find_the_people_searched(small_db: Path) -> None:
    result = bench(small_db, "--only", "cli")
    assert result.returncode == 0, result.stdout + result.stderr
    counts = [line for line in result.stdout.splitlines() if line.strip().startswith("term ")]
    assert len(counts) == 3
    for line in counts:  # "term 'x': cmplanner lists N, khard lists M"
        ours, theirs = line.split("cmplanner lists ")[1].split(", khard lists ")
        # khard matches substrings anywhere, CM Planner word prefixes: never fewer for khard.
        assert int(theirs) >= int(ours) > 0, line


def test_a_figure_that_cannot_be_measured_exits_1(tmp_path: Path) -> None:
    result = bench(tmp_path / "missing.cmplanner", "--only", "search")
    assert result.returncode == 1
    assert "search: not measured" in result.stdout
