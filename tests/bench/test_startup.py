"""The startup benchmark's harness, run once on a small database (timings are not checked)."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from tests.bench.harness import run_script


def bench(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_script(
        "startup.py", "--quick", "--db", str(db), "--runs", "1", "--warmup", "0", *extra
    )


def stand_in(tmp_path: Path, body: str) -> str:
    script = tmp_path / "stand_in.py"
    script.write_text(body, encoding="utf-8")
    return shlex.join([sys.executable, str(script), "--db", "{db}"])


def test_reports_the_ratio_against_a_stand_in(small_db: Path, tmp_path: Path) -> None:
    app = stand_in(tmp_path, "import sys\nassert '--db' in sys.argv\nprint('CMPLANNER_READY 1.0')")
    result = bench(small_db, "--app-cmd", app)
    assert result.returncode == 0, result.stderr
    assert "median bare window" in result.stdout
    assert "ratio cmplanner / bare:" in result.stdout
    assert "goal ≤ 3.0" in result.stdout
    assert "startup: cold start to the first view" in result.stdout  # for the summary table


def test_an_app_that_never_gets_ready_is_a_clear_error(small_db: Path, tmp_path: Path) -> None:
    app = stand_in(tmp_path, "import sys\nprint('starting', file=sys.stderr)\nsys.exit(3)")
    result = bench(small_db, "--app-cmd", app)
    assert result.returncode == 1
    assert "exit code 3 without printing CMPLANNER_READY" in result.stderr
    assert "starting" in result.stderr  # its own stderr is shown


def test_a_start_that_hangs_is_killed(small_db: Path, tmp_path: Path) -> None:
    app = stand_in(tmp_path, "import time\ntime.sleep(60)")
    result = bench(small_db, "--app-cmd", app, "--timeout", "2")
    assert result.returncode == 1
    assert "killed after 2 s without printing CMPLANNER_READY" in result.stderr


def test_cm_planner_reports_ready(small_db: Path) -> None:
    """The real app honours the probe: it prints CMPLANNER_READY, then quits by itself."""
    result = bench(small_db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ratio cmplanner / bare:" in result.stdout
