"""Calendar import benchmark: `cmplanner events import` against `calcurse -i` (issue 5, point 9).

    python bench/ics_import.py [--events N] [--runs N] [--file PATH]

One synthetic calendar (10,000 events by default), written with icalendar: events in three
IANA zones (with their VTIMEZONEs), one in ten a weekly series with a skipped date, some
all-day, a LOCATION among 50 venues, a category. Each side imports it into an empty store, a
fresh process each time, as a user runs it: `cmplanner --db NEW events import FILE` (an empty
database created beforehand, not timed) and `calcurse -C DIR -D DIR -i FILE` (an empty data
folder). Runs alternate; the median counts. Goal: ours ≤ 1.0 × calcurse.

It is a report, not a test: it exits 0 whatever the ratio, 1 when something could not be
measured. Without calcurse, only our side is timed (and it says so).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL = 1.0
ZONES = ("Europe/Paris", "America/New_York", "Asia/Tokyo")


def generate_calendar(path: Path, count: int) -> None:
    """`count` events (series count as one) written to `path` with icalendar."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//CM Planner//bench//FR")
    calendar.add("version", "2.0")
    for n in range(count):
        calendar.add_component(calendar_event(n))
    calendar.add_missing_timezones()
    path.write_bytes(calendar.to_ical())


def calendar_event(n: int) -> Any:
    """The `n`th event of the synthetic calendar, as an icalendar.Event."""
    import icalendar

    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    first = dt.datetime(2026, 1, 5, 18, 0)
    event = icalendar.Event()
    event.add("uid", f"bench-{n}@cmplanner.example")
    event.add("dtstamp", stamp)
    event.add("summary", f"Rencontre n°{n} — café, bar; apéro")
    zone = ZoneInfo(ZONES[n % len(ZONES)])
    start = first + dt.timedelta(days=(n * 7) % 730, hours=n % 4)
    if n % 25 == 3:
        event.add("dtstart", start.date())
        event.add("dtend", start.date() + dt.timedelta(days=1))
    else:
        event.add("dtstart", start.replace(tzinfo=zone))
        event.add("dtend", (start + dt.timedelta(hours=2)).replace(tzinfo=zone))
    if n % 10 == 0:
        event.add("rrule", {"freq": "weekly", "count": 12})
        event.add("exdate", (start + dt.timedelta(days=14)).replace(tzinfo=zone))
    event.add("location", f"Lieu {n % 50}, {n % 90 + 1} rue de la Paix, 75002 Paris")
    event.add("categories", ["Meetup" if n % 2 else "Apéro"])
    event.add("description", "Ordre du jour :\nprésentations, questions.")
    return event


def write_calendar(path: Path, count: int) -> None:
    """The same events as `generate_calendar`, written one by one (a calendar of 100,000
    events built whole would take gigabytes), with VTIMEZONEs covering 2025-2029."""
    import icalendar

    header = icalendar.Calendar()
    header.add("prodid", "-//CM Planner//bench//FR")
    header.add("version", "2.0")
    for name in ZONES:
        header.add_component(
            icalendar.Timezone.from_tzinfo(
                ZoneInfo(name), tzid=name, first_date=dt.date(2025, 1, 1),
                last_date=dt.date(2029, 1, 1),
            )
        )  # fmt: skip
    head = header.to_ical()
    end = b"END:VCALENDAR\r\n"
    with path.open("wb") as out:
        out.write(head[: -len(end)])
        for n in range(count):
            out.write(calendar_event(n).to_ical())
        out.write(end)


def _ours(file: Path, scratch: Path, run: int) -> float:
    from cmplanner.storage import Database

    db = scratch / f"ours-{run}.cmplanner"
    Database.open(db).close()  # the empty database, made before the clock starts
    env = {**os.environ, "CMPLANNER_HOME": str(scratch / f"home-{run}"), "TZ": "Europe/Paris"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "cmplanner", "--db", str(db), "events", "import", str(file)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError("cmplanner events import failed: " + result.stdout + result.stderr)
    return elapsed


def _theirs(calcurse: str, file: Path, scratch: Path, run: int) -> tuple[float, str]:
    folder = scratch / f"calcurse-{run}"
    folder.mkdir()
    env = {**os.environ, "TZ": "Europe/Paris", "HOME": str(folder)}
    started = time.perf_counter()
    result = subprocess.run(
        [calcurse, "-C", str(folder), "-D", str(folder), "-i", str(file)],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError("calcurse -i failed: " + result.stdout + result.stderr)
    report = " ".join(line.strip() for line in result.stdout.splitlines() if "apps" in line)
    return elapsed, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", type=Path, help="import this .ics instead of generating one")
    args = parser.parse_args(argv)
    calcurse = shutil.which("calcurse")
    with tempfile.TemporaryDirectory(prefix="cmplanner-ics-bench-") as tmp:
        scratch = Path(tmp)
        file = args.file or scratch / "calendar.ics"
        if args.file is None:
            generate_calendar(file, args.events)
            print(f"{args.events} generated events ({file.stat().st_size / 1e6:.1f} MB .ics)")
        ours: list[float] = []
        theirs: list[float] = []
        report = ""
        try:
            for run in range(args.runs):
                ours.append(_ours(file, scratch, run))
                if calcurse:
                    seconds, report = _theirs(calcurse, file, scratch, run)
                    theirs.append(seconds)
        except RuntimeError as exc:
            print(f"cannot measure: {exc}", file=sys.stderr)
            return 1
        mine = statistics.median(ours)
        print(f"cmplanner events import: {mine:.2f} s (median of {args.runs})")
        if not calcurse:
            print("calcurse is not installed: its side was not measured (apt-get install calcurse)")
            return 0
        other = statistics.median(theirs)
        print(f"calcurse -i: {other:.2f} s (median of {args.runs}); calcurse says: {report}")
        ratio = mine / other
        verdict = "met" if ratio <= GOAL else "NOT met"
        print(f"import ratio: {ratio:.2f} (goal ≤ {GOAL}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
