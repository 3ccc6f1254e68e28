"""Documents benchmark (issue 6, point 9): the event brief of an event with 1,000 guests.

    python bench/documents.py [--guests N] [--runs N] [--db PATH]

Ours: `cmplanner.documents.brief.render(db, event)`, timed whole — reading the event, its
guests (names, organizations), team, tasks and commitments through the services, laying out
every section, fonts embedded (DejaVu and the CJK fallback subset), page numbers "n/total".
Bare: a minimal reportlab Platypus document (SimpleDocTemplate, built-in Helvetica) holding
the very same guest table (tick box, name, organization, role, answer) as ready-made strings,
header repeated on each page, timed around its `build()` only. Both sides run once to warm
up, then `--runs` times; the medians are compared. Goal: ours ≤ 1.5 × bare.

Without --db, a database with N contacts is generated (bench/generate.py) in a temporary
folder; an event with all of them as guests is added to it either way.

It is a report, not a test: it exits 0 whatever the ratio, and 1 only when something could
not be measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:  # run as a script from a source tree
    sys.path.insert(0, str(ROOT))

GOAL = 1.5


def median_seconds(work: Callable[[], Any], runs: int) -> float:
    work()  # warm-up: imports, font files, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_platypus(rows: list[list[str]]) -> bytes:
    """The same guest table in a bare Platypus document."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    width = doc.width
    table = Table(
        [["", "Name", "Organization", "Role", "RSVP"], *rows],
        colWidths=[width * f for f in (0.05, 0.34, 0.30, 0.13, 0.18)],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle([("FONTSIZE", (0, 0), (-1, -1), 9), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    doc.build([table])
    return buffer.getvalue()


def prepare(db_path: Path, guests: int) -> tuple[int, list[list[str]]]:
    """An event with the first `guests` contacts invited; the guest table's rows."""
    from cmplanner.documents.brief import guest_table_rows
    from cmplanner.model import EventCreate
    from cmplanner.services import events
    from cmplanner.services.guests import add_guests
    from cmplanner.storage import Database

    with Database.open(db_path) as db:
        with db.read() as con:
            ids = [
                r[0] for r in con.execute("SELECT id FROM contact ORDER BY id LIMIT ?", (guests,))
            ]
        read, _changes = events.create_event(
            db,
            EventCreate(
                title="Soirée des 1 000",
                start_local=dt.datetime(2027, 3, 4, 19, 0),
                end_local=dt.datetime(2027, 3, 4, 22, 0),
                timezone="Europe/Paris",
                objective="Mesurer la fiche événement",
            ),
        )
        add_guests(db, read.id, ids)
        rows = guest_table_rows(db, read.id)
    return read.id, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--guests", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="a generated database (copied, not changed)")
    args = parser.parse_args(argv)

    from cmplanner.documents.brief import render
    from cmplanner.i18n import set_language
    from cmplanner.storage import Database

    set_language("fr")
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.cmplanner"
        if args.db is not None:
            if not args.db.exists():
                print(f"no database at {args.db}: not measured")
                return 1
            db_path.write_bytes(args.db.read_bytes())
        else:
            subprocess.run(
                [sys.executable, str(BENCH / "generate.py"), "--contacts", str(args.guests),
                 "--out", str(db_path)],
                check=True, capture_output=True,
            )  # fmt: skip
        event_id, rows = prepare(db_path, args.guests)
        if len(rows) < args.guests:
            print(
                f"only {len(rows)} contacts in the database for {args.guests} guests: not measured"
            )
            return 1
        with Database.open(db_path, writer=False) as db:
            pdf = render(db, event_id)
            ours = median_seconds(lambda: render(db, event_id), args.runs)
        bare_pdf = bare_platypus(rows)
        bare = median_seconds(lambda: bare_platypus(rows), args.runs)

    print(f"{len(rows)} guests; brief {len(pdf) // 1024} KB, bare {len(bare_pdf) // 1024} KB")
    print(f"median bare reportlab Platypus table: {bare:.3f} s")
    print(f"median cmplanner event brief:         {ours:.3f} s")
    ratio = ours / bare
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"brief / bare Platypus ratio: {ratio:.2f} (goal ≤ {GOAL}: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
