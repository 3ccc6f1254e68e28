"""Every writer killed with SIGKILL while it writes: the database stays sound, all or
nothing, and the app opens it and writes. `bench/torture.py` does the work (its registry of
writers and checks); here with a small database and one kill per writer, halfway through its
writing (a small count: the bench runs the same with many random ones)."""

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
    "upgrade",
    "services",
)
# Writers in the bench's registry not run here (none: every writer is tortured).
PENDING: tuple[str, ...] = ()


def rows(report: str) -> dict[str, tuple[int, int, int]]:
    """The table's rows: writer → (trials, killed, failures)."""
    found = {}
    for line in report.splitlines():
        cells = line.split()
        if len(cells) >= 4 and cells[0] in WRITERS and all(c.isdigit() for c in cells[1:4]):
            found[cells[0]] = (int(cells[1]), int(cells[2]), int(cells[3]))
    return found


def test_every_writer_killed_while_writing_leaves_a_sound_database(tmp_path: Path) -> None:
    bench = str(ROOT / "bench" / "torture.py")
    listed = subprocess.run(
        [sys.executable, bench, "--list"], capture_output=True, text=True, timeout=60, check=True
    )
    assert tuple(listed.stdout.split()) == WRITERS

    tortured = [w for w in WRITERS if w not in PENDING]
    done = subprocess.run(
        [sys.executable, bench, "--trials", "1", "--spread", "--contacts", "200",
         "--writers", ",".join(tortured), "--keep", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip

    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-6000:]
    table = rows(done.stdout)
    assert set(table) == set(tortured), report[-3000:]
    assert all(trials == 1 and failures == 0 for trials, _k, failures in table.values())
    # The kills landed while the writers were writing (a trial may finish first, not most).
    assert sum(killed for _t, killed, _f in table.values()) > len(tortured) // 2, report
