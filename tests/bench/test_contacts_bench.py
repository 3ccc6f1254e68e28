"""The contact benchmark's harness on tiny sizes: every figure is reported (not timed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "contacts.py"
# The import path the benchmark drives (bench/contacts.py needs it).


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "small.cmplanner"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--contacts", "200", "--out",
         str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return path


def bench(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--cards", "40", "--db", str(db), *extra],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip


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
