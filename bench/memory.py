"""Peak memory of exporting and importing big files (issue 17): it must not grow with the file.

    python bench/memory.py [export] [contacts] [events] [--quick] [--runs N] [--sizes 1000,…]

Each figure is the own peak resident memory of a whole CLI process, run cold as a user runs
it, at 1,000, 10,000 and 100,000 items (all three printed, to show whether it grows):
- events    `cmplanner --db NEW events import FILE.ics`: a calendar generated one event at a
            time by bench/ics_import.py (the import bench's events: three zones with their
            VTIMEZONEs, one in ten a weekly series), into an empty database each run.
- export    `cmplanner --db DB events export OUT.ics`: every event of the database the
            import made. Beside it, the baseline: a bare icalendar script (nothing of CM
            Planner) that builds one VEVENT of the same shape per event and writes each to
            the file as it is serialized, the same number of times: what streaming costs.
- contacts  `cmplanner --db NEW contacts import FILE.vcf`: vCard 3.0 cards from
            bench/contacts.py's `make_cards`, into an empty database each run.

Goal: every run at every size ≤ 300 MB. Files and databases are made before the runs, not
measured. It is a report, not a test: it exits 0 whatever the figures, and 1 only when
something could not be measured.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, BENCH):  # run as a script from a source tree
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from common import (  # noqa: E402
    MIN_RUNS,
    Figure,
    MeasureError,
    Run,
    isolated_env,
    peaks,
    report,
    report_failure,
    run_process,
)

NAME = "memory"
GOAL_MB = 300.0
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (20, 60)
PARTS = ("export", "contacts", "events")

# The baseline of the export: one VEVENT shaped like ours per event (a zone, a rule on one in
# ten, the texts and X- properties an export writes), each serialized and written at once.
_BARE_EXPORT = """
import datetime as dt, sys
from zoneinfo import ZoneInfo
import icalendar

count, out_path = int(sys.argv[1]), sys.argv[2]
zone = ZoneInfo("Europe/Paris")
stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
header = icalendar.Calendar()
for name, value in (("prodid", "-//bare//EN"), ("version", "2.0"), ("calscale", "GREGORIAN"),
                    ("method", "PUBLISH")):
    header.add(name, value)
header.add_component(icalendar.Timezone.from_tzinfo(
    zone, tzid="Europe/Paris", first_date=dt.date(2025, 1, 1), last_date=dt.date(2037, 1, 1)))
head, end = header.to_ical(), b"END:VCALENDAR\\r\\n"
with open(out_path, "wb") as out:
    out.write(head[: -len(end)])
    for n in range(count):
        start = dt.datetime(2026, 1, 5, 18, 0, tzinfo=zone) + dt.timedelta(days=n % 730)
        event = icalendar.Event()
        event.add("uid", f"bench-{n}@cmplanner.example")
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(hours=2))
        if n % 10 == 0:
            event.add("rrule", {"freq": "weekly", "count": 12})
            event.add("exdate", start + dt.timedelta(days=14))
        event.add("summary", f"Rencontre n°{n} — café, bar; apéro")
        event.add("description", "Ordre du jour :\\nprésentations, questions.")
        event.add("location", f"Lieu {n % 50}, {n % 90 + 1} rue de la Paix, 75002 Paris")
        event.add("categories", ["Meetup"])
        event.add("X-CMPLANNER-KIND", icalendar.vText("meetup"))
        event.add("status", "TENTATIVE")
        event.add("sequence", 0)
        event.add("dtstamp", stamp)
        event.add("X-CMPLANNER-STATUS", icalendar.vText("planned"))
        event.add("X-CMPLANNER-TIMEZONE", icalendar.vText("Europe/Paris"))
        event.add("created", stamp)
        event.add("last-modified", stamp)
        out.write(event.to_ical())
    out.write(end)
print(count)
"""


def _label(count: int) -> str:
    return f"{count // 1000}k" if count >= 1000 and count % 1000 == 0 else str(count)


def _cli(database: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cmplanner", "--db", str(database), *args]


class Sizes:
    """The files and databases each size needs, made once (not measured)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self._empty: Path | None = None

    def empty_database(self) -> Path:
        if self._empty is None:
            from cmplanner.storage import Database

            self._empty = self.work / "empty.cmplanner"
            Database.open(self._empty, backup=False).close()
        return self._empty

    def fresh_database(self, name: str) -> Path:
        """A copy of an empty database (the schema made beforehand, as a user's would be)."""
        target = self.work / f"{name}.cmplanner"
        for stale in self.work.glob(f"{name}.cmplanner*"):
            stale.unlink()
        shutil.copyfile(self.empty_database(), target)
        return target

    def calendar(self, count: int) -> Path:
        from ics_import import write_calendar

        path = self.work / f"events-{count}.ics"
        if not path.exists():
            write_calendar(path, count)
        return path

    def cards(self, count: int) -> Path:
        from contacts import make_cards, write_cards

        path = self.work / f"cards-{count}.vcf"
        if not path.exists():
            write_cards(make_cards(count), path)
        return path

    def events_database(self, count: int, env: dict[str, str]) -> Path:
        """A database holding the calendar's events, imported by the CLI itself."""
        path = self.work / f"export-{count}.cmplanner"
        if not path.exists():
            scratch = self.fresh_database("making")
            run_process(_cli(scratch, "events", "import", str(self.calendar(count))), env=env)
            shutil.move(scratch, path)
        return path


def _runs(
    command: Sequence[str], runs: int, env: dict[str, str], before: Callable[[], None]
) -> list[Run]:
    results = []
    for _ in range(runs):
        before()
        results.append(run_process(command, env=env, memory=True, timeout=1800))
    return results


def _figure(name: str, by_size: dict[int, list[float]], notes: list[str]) -> Figure:
    """The worst run of every size against the goal; each size's runs printed."""
    lines = [f"{_label(n):>5}: {_spread_mb(values)}" for n, values in by_size.items()]
    medians = [statistics.median(v) for v in by_size.values()]
    if len(medians) > 1:
        first, *_, last = by_size
        growth = medians[-1] - medians[0]
        lines.append(f"growth {_label(first)} → {_label(last)}: {growth:+.0f} MB (median)")
    every = [value for values in by_size.values() for value in values]
    return Figure(NAME, name, every, GOAL_MB, unit="MB", notes=lines + notes)


def _spread_mb(values: Sequence[float]) -> str:
    return (
        f"min {min(values):.0f} / median {statistics.median(values):.0f} /"
        f" max {max(values):.0f} MB ({len(values)} runs)"
    )


def bench_export(sizes: Sizes, counts: Sequence[int], runs: int, env: dict[str, str]) -> None:
    ours: dict[int, list[float]] = {}
    bare: dict[int, list[float]] = {}
    for count in counts:
        database = sizes.events_database(count, env)
        out = sizes.work / "ours.ics"
        bare_out = sizes.work / "bare.ics"
        command = _cli(database, "events", "export", str(out))
        bare_command = [sys.executable, "-c", _BARE_EXPORT, str(count), str(bare_out)]
        ours[count], bare[count] = [], []
        for _ in range(runs):  # sides alternate
            run = run_process(command, env=env, memory=True, timeout=1800)
            if f"{count} events written" not in run.stdout:
                raise MeasureError(f"events export said: {run.stdout.strip()}")
            ours[count].append(run.peak_mb)
            bare[count].append(run_process(bare_command, env=env, memory=True).peak_mb)
    notes = ["bare icalendar, one VEVENT at a time, streamed (the baseline):"]
    notes += [f"{_label(n):>5}: {_spread_mb(values)}" for n, values in bare.items()]
    report(_figure(f"events export, {_label(counts[-1])} events, peak", ours, notes))


def bench_import(
    kind: str, sizes: Sizes, counts: Sequence[int], runs: int, env: dict[str, str]
) -> None:
    by_size: dict[int, list[float]] = {}
    for count in counts:
        source = sizes.calendar(count) if kind == "events" else sizes.cards(count)
        database = sizes.work / "import.cmplanner"
        command = _cli(database, kind, "import", str(source))

        def fresh() -> None:
            sizes.fresh_database("import")

        by_size[count] = peaks(_runs(command, runs, env, fresh))
    noun = "events (.ics)" if kind == "events" else "contacts (vCard)"
    report(_figure(f"{kind} import, {_label(counts[-1])} {noun}, peak", by_size, []))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="*", metavar="PART", help="export, contacts, events (all)")
    parser.add_argument("--quick", action="store_true", help="tiny files, one run (a smoke test)")
    parser.add_argument("--runs", type=int, help=f"runs of each command ({MIN_RUNS})")
    parser.add_argument("--sizes", help="comma-separated item counts (1000,10000,100000)")
    args = parser.parse_args(argv)
    unknown = [p for p in args.parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}: choose among {', '.join(PARTS)}")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    args.parts = args.parts or list(PARTS)
    if args.sizes:
        args.sizes = [int(s) for s in args.sizes.split(",")]
    else:
        args.sizes = list(QUICK_SIZES if args.quick else SIZES)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    runs = args.runs or (1 if args.quick else MIN_RUNS)
    failed = False
    with tempfile.TemporaryDirectory(prefix="cmplanner-bench-memory-") as tmp:
        work = Path(tmp)
        # This tree's cmplanner, whatever the venv has installed
        env = isolated_env(work / "home", TZ="Europe/Paris", PYTHONPATH=str(ROOT))
        sizes = Sizes(work)
        for part in args.parts:
            name = {"export": "events export", "contacts": "contacts import"}.get(
                part, "events import"
            )
            print(f"Peak memory, {name}: {', '.join(_label(n) for n in args.sizes)}", flush=True)
            try:
                if part == "export":
                    bench_export(sizes, args.sizes, runs, env)
                else:
                    bench_import(part, sizes, args.sizes, runs, env)
            except MeasureError as exc:
                report_failure(NAME, name, str(exc))
                failed = True
            sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
