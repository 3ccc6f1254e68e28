"""Calendar benchmarks (issue 5, point 9): exporting and importing .ics files.

    python bench/ics.py [export] [import] [--quick] [--runs N] [--db PATH]

export: `cmplanner --db DB events export OUT.ics` (every event of the scale database: 10,000
events, 200 weekly series), timed as a user runs it — a fresh process, start-up, reading,
building, writing — against building and serializing the very same events with bare
icalendar: a minimal script that gets every value ready-made (times, rules, texts, the same
VTIMEZONEs) and is timed around its build and `to_ical()` only, without its start-up or any
reading. The two files must be byte for byte the same, else the comparison is not like for
like and the script says so. Goal: ours ≤ 1.5 × bare icalendar.

import: against `calcurse -i` (helper "import"'s part, in bench/ics_import.py: a function
`bench_import(database, runs, work) -> float` that prints its lines and returns its ratio).

It is a report, not a test: it exits 0 whatever the ratios, and 1 only when something could
not be measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, BENCH):  # run as a script from a source tree
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

EXPORT_GOAL = 1.5

# --- the bare icalendar side --------------------------------------------------------------------
# Runs in its own process (`bench/ics.py _bare DATA OUT`), importing nothing of CM Planner.


def bare_export(data_path: Path, out_path: Path) -> float:
    """Build and serialize the prepared events with bare icalendar; the seconds it took."""
    import icalendar

    with data_path.open("rb") as f:
        zones, events = pickle.load(f)
    started = time.perf_counter()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//CM Planner//CM Planner//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    for tzid, first, last in zones:
        calendar.add_component(
            icalendar.Timezone.from_tzinfo(
                _zoneinfo(tzid), tzid=tzid, first_date=first, last_date=last
            )
        )
    for e in events:
        master = icalendar.Event()
        master.add("uid", e["uid"])
        master.add("dtstart", e["dtstart"])
        master.add("dtend", e["dtend"])
        if e["rrule"]:
            master.add("rrule", icalendar.vRecur.from_ical(e["rrule"]))
            if e["exdates"]:
                master.add("exdate", e["exdates"])
        _bare_common(master, e, e["status"], e["our_status"])
        master.add("created", e["created"])
        master.add("last-modified", e["last_modified"])
        calendar.add_component(master)
        for o in e["overrides"]:
            override = icalendar.Event()
            override.add("uid", e["uid"])
            override.add("recurrence-id", o["recurrence_id"])
            override.add("dtstart", o["dtstart"])
            override.add("dtend", o["dtend"])
            _bare_common(override, e, o["status"], o["our_status"])
            override.add("created", o["created"])
            override.add("last-modified", o["last_modified"])
            calendar.add_component(override)
    data = calendar.to_ical()
    seconds = time.perf_counter() - started
    out_path.write_bytes(data)
    return seconds


def _zoneinfo(tzid: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(tzid)


def _bare_common(component: Any, e: dict[str, Any], status: str, our_status: str = "") -> None:
    import icalendar

    component.add("summary", e["summary"])
    if e["description"]:
        component.add("description", e["description"])
    if e["location"]:
        component.add("location", e["location"])
    if e["geo"] is not None:
        component.add("geo", e["geo"])
    if e["url"]:
        component.add("url", e["url"])
    if e["kind"]:
        component.add("categories", [e["category"]])
        component.add("X-CMPLANNER-KIND", icalendar.vText(e["kind"]))
    component.add("status", status)
    component.add("sequence", e["sequence"])
    component.add("dtstamp", e["stamp"])
    # CM Planner's own X- properties (what an import of the file reads back), as TEXT.
    component.add("X-CMPLANNER-STATUS", icalendar.vText(our_status))
    for name, value in e["extra"]:
        component.add(name, icalendar.vText(value))


def prepare_bare_input(database: Path, out: Path) -> int:
    """The events of `database` as ready-made values for `bare_export` (not timed)."""
    from cmplanner.interop.ics import export as ie
    from cmplanner.storage import Database

    db = Database.open(database, writer=False)
    try:
        events = ie.load_events(db, guests=False)
    finally:
        db.close()
    zones = [
        (tzid, dt.date(first, 1, 1), dt.date(last + 1, 1, 1))
        for tzid, (first, last) in sorted(ie.years_spanned(events).items())
    ]
    prepared = []
    for event in events:
        master, *overrides = ie.vevents(event)
        prepared.append(
            {
                "uid": event.uid,
                "dtstart": master["DTSTART"].dt,
                "dtend": master["DTEND"].dt,
                "rrule": master["RRULE"].to_ical().decode() if event.rrule else "",
                "exdates": [d.dt for d in master["EXDATE"].dts] if "EXDATE" in master else [],
                "summary": event.title,
                "description": ie.description(event),
                "location": event.location,
                "geo": event.geo,
                "url": event.url,
                "kind": event.kind,
                "category": str(master["CATEGORIES"].cats[0]) if event.kind else "",
                "status": str(master["STATUS"]),
                "our_status": event.status,
                "extra": _extra(master),
                "sequence": event.sequence,
                "stamp": event.updated,
                "created": event.created,
                "last_modified": event.updated,
                "overrides": [
                    {
                        "recurrence_id": o["RECURRENCE-ID"].dt,
                        "dtstart": o["DTSTART"].dt,
                        "dtend": o["DTEND"].dt,
                        "status": str(o["STATUS"]),
                        "our_status": str(o["X-CMPLANNER-STATUS"]),
                        "created": o["CREATED"].dt,
                        "last_modified": o["LAST-MODIFIED"].dt,
                    }
                    for o in overrides
                ],
            }
        )
    with out.open("wb") as f:
        pickle.dump((zones, prepared), f)
    return len(prepared)


def _extra(component: Any) -> list[tuple[str, str]]:
    """The component's X-CMPLANNER-* values after KIND and STATUS, in order."""
    skip = ("X-CMPLANNER-KIND", "X-CMPLANNER-STATUS")
    return [
        (name, str(value))
        for name, value in component.property_items(recursive=False, sorted=False)
        if name.startswith("X-CMPLANNER-") and name not in skip
    ]


# --- the export figure --------------------------------------------------------------------------


def _ms(values: list[float]) -> str:
    return " ".join(f"{v * 1000:.0f}" for v in values)


def bench_export(database: Path, runs: int, work: Path) -> float:
    from events import Unmeasured, _script, bench_env, run_command

    env = bench_env(work / "home")
    data = work / "bare-input.pickle"
    count = prepare_bare_input(database, data)
    ours_file = work / "ours.ics"
    bare_file = work / "bare.ics"
    ours_command = [*_script("cmplanner", "cmplanner"), "--db", str(database)]
    ours_command += ["events", "export", str(ours_file)]
    bare_command = [sys.executable, str(Path(__file__).resolve()), "_bare", str(data)]
    bare_command.append(str(bare_file))

    def ours() -> float:
        seconds, out = run_command(ours_command, env)
        if f"{count} events written" not in out:
            raise Unmeasured(f"cmplanner events export said: {out.strip()}")
        return seconds

    def bare() -> tuple[float, float]:
        seconds, out = run_command(bare_command, env)
        return float(out.strip()), seconds

    ours(), bare()  # warm-up: the page cache, .pyc files
    same = ours_file.read_bytes() == bare_file.read_bytes()
    size = ours_file.stat().st_size
    verdict = "yes" if same else "NO"
    print(f"  {count} events, {size / 1e6:.1f} MB; same bytes on both sides: {verdict}")
    if not same:
        print("  (the two files differ: the comparison is not like for like)")
    ours_times: list[float] = []
    bare_times: list[float] = []
    bare_whole: list[float] = []
    for _ in range(runs):  # alternate, so a slow patch of the machine hits both sides
        ours_times.append(ours())
        inner, whole = bare()
        bare_times.append(inner)
        bare_whole.append(whole)
    bare_median = statistics.median(bare_times)
    ours_median = statistics.median(ours_times)
    ratio = ours_median / bare_median
    print(
        f"  median bare icalendar build + to_ical: {bare_median * 1000:6.0f} ms"
        f"  (runs: {_ms(bare_times)}; whole process {_ms(bare_whole)})"
    )
    print(
        f"  median cmplanner events export:        {ours_median * 1000:6.0f} ms"
        f"  (runs: {_ms(ours_times)}; whole process, start-up and reading included)"
    )
    verdict = "met" if ratio <= EXPORT_GOAL else "NOT MET"
    print(f"  export / bare icalendar ratio: {ratio:.2f}  goal ≤ {EXPORT_GOAL}: {verdict}")
    return ratio


def _import_part(quick: bool) -> Callable[[Path, int, Path], float] | None:
    """Helper "import"'s part: bench/ics_import.py (its own synthetic calendar, so the
    database is not used), run with this run's number of runs."""
    try:
        import ics_import
    except ModuleNotFoundError as exc:
        if exc.name != "ics_import":
            raise
        return None

    def run(_database: Path, runs: int, _work: Path) -> float:
        argv = ["--runs", str(runs), *(["--events", "1000"] if quick else [])]
        code: int = ics_import.main(argv)
        if code != 0:
            from events import Unmeasured

            raise Unmeasured(f"bench/ics_import.py exited with code {code}")
        return 0.0

    return run


# --- running --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="*", metavar="PART", help="export, import (both)")
    parser.add_argument("--quick", action="store_true", help="a small database (a smoke test)")
    parser.add_argument("--runs", type=int, help="timed runs of each side (3; 1 with --quick)")
    parser.add_argument("--db", type=Path, help="the database (default: the scale one)")
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    unknown = [p for p in args.parts if p not in ("export", "import")]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}: choose export or import")
    args.parts = args.parts or ["export", "import"]
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_bare"]:
        print(f"{bare_export(Path(argv[1]), Path(argv[2])):.6f}")
        return 0
    args = parse_args(argv)
    from events import Unmeasured
    from startup import QUICK_CONTACTS, QUICK_DB, SCALE_DB, ensure_database

    runs = args.runs or (1 if args.quick else 3)
    if args.db is None:
        database = QUICK_DB if args.quick else SCALE_DB
        ensure_database(database, QUICK_CONTACTS if args.quick else None, rebuild=False)
    else:
        database = args.db.resolve()
    if not database.exists():
        print(f"Calendars: not measured: {database} does not exist", flush=True)
        return 1
    parts: dict[str, Callable[[Path, int, Path], float] | None] = {
        "export": bench_export,
        "import": _import_part(args.quick),
    }
    failed = False
    for name in args.parts:
        part = parts[name]
        if name == "export":
            print(f"Calendar export, events export vs bare icalendar; database: {database}")
        else:
            print("Calendar import, events import vs calcurse -i (bench/ics_import.py)")
        if part is None:
            print("  not measured: bench/ics_import.py is not there yet")
            continue
        sys.stdout.flush()
        with tempfile.TemporaryDirectory(prefix="cmplanner-bench-") as tmp:
            try:
                part(database, runs, Path(tmp))
            except Unmeasured as exc:
                print(f"  not measured: {exc}", flush=True)
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
