"""Documents benchmark (issue 17): each printed document as the user waits for it, a whole
process, cold, against a bare reportlab script doing the same kind of work, also a whole
process.

    python bench/documents.py [--guests N] [--runs N] [--db PATH] [--quick]

Setup: a copy of a generated database (`--db`, else bench/generate.py makes one with N
contacts), to which an event with the first N contacts as guests is added, and a community
(30 core team members, 30 ambassadors, the other guests plain members) that the event belongs
to. Generated communities are not used: their partners have 30 to 50 people each, and the
dossier cannot lay out a partner whose contacts are taller than a page (LayoutError).

Ours, each a fresh `python -m cmplanner --db DB …` (the source tree's code):
  brief    `events brief ID -o f.pdf`: the whole event brief (facts, team, checklist,
           commitments, the N-guest table), fonts embedded, "page/total" footers.
  signin   `events signin ID -o f.pdf`: the sign-in sheet of the N guests.
  badges   `events badges ID -o f.pdf`: 8-up badges of the N guests.
  dossier  `communities dossier ID -o f.pdf`: the community's handover dossier.
Bare, each a fresh `python bench/bare_documents.py KIND DB ID f.pdf` (its docstring says what
each does): the same rows read with plain sqlite3, the same DejaVu faces registered, the same
page size, margins, row heights and repeated headers.

Both sides run in turns (one unmeasured warm-up each first: page cache, the bytecode
`isolated_env` caches), `--runs` times; goals on the ratio of the medians: the brief ≤ 1.5×,
the other documents ≤ 2×. A report, not a test: exits 0 whatever the verdicts, 1 only
when something could not be measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, BENCH):  # run as a script from a source tree; common.py sits beside us
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from common import (  # noqa: E402
    MIN_RUNS,
    Figure,
    MeasureError,
    alternate,
    isolated_env,
    report,
    report_failure,
    seconds,
)

NAME = "documents"
BRIEF_GOAL = 1.5
OTHER_GOAL = 2.0
GUESTS = 1000
QUICK_GUESTS = 60
CORE_TEAM = 30
AMBASSADORS = 30


@dataclass(frozen=True)
class Document:
    kind: str
    command: tuple[str, ...]  # the cmplanner sub-command
    goal: float
    community: bool = False  # its id is the community's, not the event's


DOCUMENTS = (
    Document("brief", ("events", "brief"), BRIEF_GOAL),
    Document("signin", ("events", "signin"), OTHER_GOAL),
    Document("badges", ("events", "badges"), OTHER_GOAL),
    Document("dossier", ("communities", "dossier"), OTHER_GOAL, community=True),
)


def prepare(db_path: Path, guests: int) -> tuple[int, int, int]:
    """An event with the first `guests` contacts invited, in a new community of those
    contacts; (event id, community id, guests invited)."""
    from cmplanner.model import EventCreate
    from cmplanner.services import events
    from cmplanner.services.communities import CommunityData, change_members, create_community
    from cmplanner.services.guests import add_guests
    from cmplanner.storage import Database

    with Database.open(db_path, backup=False) as db:
        with db.read() as con:
            ids = [
                r[0] for r in con.execute("SELECT id FROM contact ORDER BY id LIMIT ?", (guests,))
            ]
        community = create_community(
            db, CommunityData("Les 1 000", objective="Mesurer le dossier de passation")
        ).value
        roles = ["core_team"] * CORE_TEAM + ["ambassador"] * AMBASSADORS
        change_members(
            db,
            community,
            [],
            [(cid, roles[n] if n < len(roles) else "member") for n, cid in enumerate(ids)],
        )
        read, _changes = events.create_event(
            db,
            EventCreate(
                title="Soirée des 1 000",
                community_id=community,
                start_local=dt.datetime(2027, 3, 4, 19, 0),
                end_local=dt.datetime(2027, 3, 4, 22, 0),
                timezone="Europe/Paris",
                objective="Mesurer la fiche événement",
            ),
        )
        add_guests(db, read.id, ids)
        db.checkpoint()
    return read.id, community, len(ids)


def pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    return data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page/")


def measure(
    document: Document, db_path: Path, record: int, work: Path, runs: int, warmup: int
) -> Figure:
    ours_pdf, bare_pdf = work / f"ours-{document.kind}.pdf", work / f"bare-{document.kind}.pdf"
    ours = [
        sys.executable, "-m", "cmplanner", "--db", str(db_path), *document.command, str(record),
        "-o", str(ours_pdf),
    ]  # fmt: skip
    bare = [
        sys.executable, str(BENCH / "bare_documents.py"), document.kind, str(db_path),
        str(record), str(bare_pdf),
    ]  # fmt: skip
    env = isolated_env(work / "home", CMPLANNER_LANG="fr", PYTHONPATH=str(ROOT))
    results = alternate({"ours": ours, "bare": bare}, runs, warmup=warmup, env=env)
    notes = [
        f"PDF: ours {ours_pdf.stat().st_size // 1024} KB, {pages(ours_pdf)} pages;"
        f" bare {bare_pdf.stat().st_size // 1024} KB, {pages(bare_pdf)} pages"
    ]
    what = f"community of {CORE_TEAM + AMBASSADORS}+ members" if document.community else "guests"
    return Figure(
        NAME,
        f"{' '.join(document.command)} ({what}), whole process",
        seconds(results["ours"]),
        document.goal,
        baseline=seconds(results["bare"]),
        baseline_name="bare",
        notes=notes,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--guests", type=int, default=None, help=f"default {GUESTS}")
    parser.add_argument("--runs", type=int, default=None, help=f"default {MIN_RUNS}")
    parser.add_argument("--db", type=Path, help="a generated database (copied, not changed)")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_GUESTS} guests, one run, no warm-up"
    )
    parser.add_argument(
        "--only", default=",".join(d.kind for d in DOCUMENTS), help="brief,signin,badges,dossier"
    )
    args = parser.parse_args(argv)
    guests = args.guests or (QUICK_GUESTS if args.quick else GUESTS)
    runs = args.runs or (1 if args.quick else MIN_RUNS)
    warmup = 0 if args.quick else 1
    chosen = [d for d in DOCUMENTS if d.kind in args.only.split(",")]

    with tempfile.TemporaryDirectory(prefix="cmplanner-bench-") as folder:
        work = Path(folder)
        db_path = work / "bench.cmplanner"
        if args.db is not None:
            if not args.db.exists():
                report_failure(NAME, "documents", f"no database at {args.db}: not measured")
                return 1
            shutil.copyfile(args.db, db_path)
        else:
            subprocess.run(
                [sys.executable, str(BENCH / "generate.py"), "--contacts", str(guests),
                 "--out", str(db_path)],
                check=True, capture_output=True,
            )  # fmt: skip
        event_id, community_id, invited = prepare(db_path, guests)
        if invited < guests:
            why = f"only {invited} contacts in the database for {guests} guests: not measured"
            report_failure(NAME, "documents", why)
            return 1
        print(f"{invited} guests; {runs} runs of each side, taking turns")
        failed = False
        for document in chosen:
            record = community_id if document.community else event_id
            try:
                report(measure(document, db_path, record, work, runs, warmup))
            except MeasureError as exc:
                report_failure(NAME, " ".join(document.command), str(exc))
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
