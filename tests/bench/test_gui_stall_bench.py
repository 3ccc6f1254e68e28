"""The GUI stall benchmark's harness on a tiny database: the real window moves the big event,
undoes it and opens the busy month, and every stall is reported (timings are not checked)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from tests.bench.harness import generate, run_script


def bench(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_script(
        "gui_stall.py", "--quick", "--db", str(db), "--runs", "1", *extra, offscreen=True
    )


def test_every_step_is_measured_on_a_copy(small_db: Path) -> None:
    before = small_db.read_bytes()
    result = bench(small_db)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "event 21 with 100 guests and 7 relative tasks; 300 occurrences in 2027-03" in out
    # As the app does once its window is up (ui.shell.app.finish_start_up).
    assert "start-up objects set aside as the app does (gc.freeze()):" in out
    for step in ("move", "undo", "month"):
        assert any(line.strip().startswith(f"{step} ") and "longest gap" in line
                   for line in out.splitlines()), out  # fmt: skip
    assert "move the event with 100 guests by one day: longest stall" in out
    assert "undo that move: longest stall" in out
    assert "open a month of 300 occurrences: longest stall" in out
    assert "longest event-loop stall:" in out and "goal ≤ 100 ms:" in out
    # The benchmark works on a copy: the database it was given is untouched.
    assert small_db.read_bytes() == before
    con = sqlite3.connect(small_db)
    try:
        assert con.execute("SELECT count(*) FROM event").fetchone()[0] == 20
    finally:
        con.close()


def test_profile_explains_the_long_gaps(small_db: Path) -> None:
    result = bench(small_db, "--profile", "--no-gc-freeze")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "start-up objects not set aside (--no-gc-freeze)" in result.stdout
    assert "gaps ≥ 50 ms:" in result.stdout
    assert "cumulative" in result.stdout  # the GUI thread's profile


def test_too_few_contacts_for_the_guests_is_not_measured(tmp_path: Path) -> None:
    path = generate(tmp_path / "tiny.cmplanner", contacts=20)
    result = bench(path)
    assert result.returncode == 1
    assert "not measured: the database has 20 contacts, 100 are needed" in result.stdout
