"""Every writer killed with SIGKILL halfway, twice: the database stays sound, all or nothing,
and the app opens it and writes. `bench/torture.py` does the work (its registry of writers and
checks); here with a small database and two kills per writer spread over its writing, the
bench runs the same with many random ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITERS = (
    "contacts-vcard",
    "contacts-csv",
    "events-ics",
    "merge",
    "erase",
    "restore",
    "backup",
    "caldav-publish",
    "services",
)


def rows(report: str) -> dict[str, tuple[int, int, int]]:
    """The table's rows: writer → (trials, killed, failures)."""
    found = {}
    for line in report.splitlines():
        cells = line.split()
        if len(cells) >= 4 and cells[0] in WRITERS and all(c.isdigit() for c in cells[1:4]):
            found[cells[0]] = (int(cells[1]), int(cells[2]), int(cells[3]))
    return found


def test_every_writer_killed_halfway_leaves_a_sound_database(tmp_path: Path) -> None:
    listed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "torture.py"), "--list"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert tuple(listed.stdout.split()) == WRITERS

    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "torture.py"), "--trials", "2", "--spread",
         "--contacts", "200", "--keep", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip

    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-6000:]
    table = rows(done.stdout)
    assert set(table) == set(WRITERS), report[-3000:]
    assert all(trials == 2 and failures == 0 for trials, _k, failures in table.values())
    # The kills landed while the writers were writing (a trial may finish first, not most).
    assert sum(killed for _t, killed, _f in table.values()) >= len(WRITERS)
