"""Month agenda benchmark: `cmplanner events list` against `khal list` (issue 4, point 11).

    python bench/events.py [--quick] [--runs N] [--db PATH] [--from DATE] [--to DATE]

The same events on both sides: every event of the database (the scale one by default: 10,000
events, 200 weekly series) is written to a vdir, one .ics file per event, with its RRULE,
its skipped dates as EXDATE and its moved occurrences as RECURRENCE-ID overrides (through the
icalendar library). khal reads that vdir with a throw-away configuration and cache; it is run
once to build its cache, then each side is timed as a user runs it, a fresh process each
time: `cmplanner --db DB events list --from D1 --to D2` (text, and with --json) and
`khal list D1 D2`. The runs alternate so a slow patch of the machine hits every side. Both
sides run in the Europe/Paris zone. Goal: ours ≤ 0.5 × khal, for the text and for the JSON.

It is a report, not a test: it exits 0 whatever the ratio, and 1 only when something could
not be measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, BENCH):  # run as a script from a source tree; startup.py sits beside us
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from startup import QUICK_DB, SCALE_DB, ensure_database  # noqa: E402

GOAL = 0.5
ZONE = "Europe/Paris"
# The month around the generator's anchor day (bench/generate.py DEFAULT_ANCHOR).
DEFAULT_FROM = dt.date(2026, 11, 1)
DEFAULT_TO = dt.date(2026, 11, 30)
KHAL_STATUS = {
    "cancelled": "CANCELLED",
    "confirmed": "CONFIRMED",
    "done": "CONFIRMED",
    "idea": "TENTATIVE",
    "planned": "TENTATIVE",
}


class Unmeasured(Exception):
    """A figure could not be measured; the message says why."""


# --- the vdir ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    id: int
    uid: str
    title: str
    status: str
    start: dt.datetime  # naive local wall time
    end: dt.datetime
    zone: str
    all_day: bool
    rrule: str
    venue: str
    community: str


def _events(database: Path) -> tuple[list[_Event], dict[int, list[tuple[object, ...]]]]:
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT e.id, e.uid, e.title, e.status, e.start_local, e.end_local, e.timezone,"
            " e.all_day, e.rrule, COALESCE(v.name, ''), COALESCE(c.name, '')"
            " FROM event e LEFT JOIN venue v ON v.id = e.venue_id"
            " LEFT JOIN community c ON c.id = e.community_id ORDER BY e.id"
        ).fetchall()
        exceptions: dict[int, list[tuple[object, ...]]] = {}
        for event_id, *rest in con.execute(
            "SELECT event_id, recurrence_id, cancelled, start_local, end_local"
            " FROM occurrence_exception ORDER BY event_id, recurrence_id"
        ):
            exceptions.setdefault(event_id, []).append(tuple(rest))
    finally:
        con.close()
    events = [
        _Event(
            id=r[0],
            uid=r[1],
            title=r[2],
            status=r[3],
            start=dt.datetime.fromisoformat(r[4]),
            end=dt.datetime.fromisoformat(r[5]),
            zone=r[6],
            all_day=bool(r[7]),
            rrule=r[8],
            venue=r[9],
            community=r[10],
        )
        for r in rows
    ]
    return events, exceptions


def _times(vevent: object, event: _Event, start: dt.datetime, end: dt.datetime) -> None:
    if event.all_day:
        first = start.date()
        last = max(end.date(), first + dt.timedelta(days=1))
        vevent.add("dtstart", first)  # type: ignore[attr-defined]
        vevent.add("dtend", last)  # type: ignore[attr-defined]
    else:
        tz = ZoneInfo(event.zone)
        vevent.add("dtstart", start.replace(tzinfo=tz))  # type: ignore[attr-defined]
        vevent.add("dtend", end.replace(tzinfo=tz))  # type: ignore[attr-defined]


def write_vdir(database: Path, folder: Path) -> int:
    """Every event of `database` as one .ics file in `folder` (a vdir); returns the count."""
    import icalendar

    folder.mkdir(parents=True, exist_ok=True)
    events, exceptions = _events(database)
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    vtimezones: dict[str, icalendar.Timezone] = {}
    for event in events:
        cal = icalendar.Calendar()
        cal.add("prodid", "-//CM Planner//bench//FR")
        cal.add("version", "2.0")
        if not event.all_day and event.zone not in vtimezones:
            vtimezones[event.zone] = icalendar.Timezone.from_tzid(
                event.zone, first_date=dt.date(2020, 1, 1), last_date=dt.date(2035, 1, 1)
            )
        if not event.all_day:
            cal.add_component(vtimezones[event.zone])
        master = icalendar.Event()
        master.add("uid", event.uid)
        master.add("dtstamp", stamp)
        master.add("summary", event.title)
        master.add("status", KHAL_STATUS.get(event.status, "CONFIRMED"))
        if event.venue:
            master.add("location", event.venue)
        if event.community:
            master.add("categories", [event.community])
        _times(master, event, event.start, event.end)
        moved = []
        if event.rrule:
            master.add("rrule", icalendar.vRecur.from_ical(event.rrule))
            tz = None if event.all_day else ZoneInfo(event.zone)
            for rid, cancelled, begin, end in exceptions.get(event.id, ()):
                original = dt.datetime.fromisoformat(str(rid))
                if cancelled:
                    master.add("exdate", original.replace(tzinfo=tz))
                elif begin and end:
                    moved.append((original, str(begin), str(end)))
        cal.add_component(master)
        duration = event.end - event.start
        for original, begin, end in moved:
            override = icalendar.Event()
            override.add("uid", event.uid)
            override.add("dtstamp", stamp)
            override.add("summary", event.title)
            override.add("recurrence-id", original.replace(tzinfo=ZoneInfo(event.zone)))
            new_start = dt.datetime.fromisoformat(begin)
            new_end = dt.datetime.fromisoformat(end) if end else new_start + duration
            _times(override, event, new_start, new_end)
            cal.add_component(override)
        (folder / f"{event.uid}.ics").write_bytes(cal.to_ical())
    return len(events)


def write_khal_config(folder: Path, vdir: Path) -> Path:
    """A khal configuration reading `vdir`, its cache in `folder`, ISO dates, Paris time."""
    config = folder / "khal.conf"
    config.write_text(
        "[calendars]\n"
        "[[bench]]\n"
        f"path = {vdir}\n"
        "type = calendar\n"
        "[locale]\n"
        "timeformat = %H:%M\n"
        "dateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\n"
        "longdatetimeformat = %Y-%m-%d %H:%M\n"
        f"default_timezone = {ZONE}\n"
        f"local_timezone = {ZONE}\n"
        "[sqlite]\n"
        f"path = {folder / 'khal.db'}\n",
        encoding="utf-8",
    )
    return config


# --- running the commands -----------------------------------------------------------------------


def _script(name: str, module: str) -> list[str]:
    script = Path(sys.executable).with_name(name)
    return [str(script)] if script.exists() else [sys.executable, "-m", module]


def cmplanner_command(database: Path, first: dt.date, last: dt.date, as_json: bool) -> list[str]:
    command = [*_script("cmplanner", "cmplanner"), "--db", str(database), "events", "list"]
    command += ["--from", first.isoformat(), "--to", last.isoformat()]
    return [*command, "--json"] if as_json else command


def khal_command(config: Path, first: dt.date, last: dt.date, *extra: str) -> list[str]:
    return [*_script("khal", "khal"), "-c", str(config), "list", *extra, str(first), str(last)]


def bench_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "TZ": ZONE, "LANG": "C.UTF-8", "PYTHONUTF8": "1", "COLUMNS": "200"}
    env.pop("CMPLANNER_DB", None)
    env["CMPLANNER_HOME"] = str(home / "cmplanner")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(home / var.lower())
    return env


def run_command(command: list[str], env: dict[str, str], timeout: float = 900) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unmeasured(f"{Path(command[0]).name} could not run: {exc}") from exc
    seconds = time.perf_counter() - started
    if result.returncode != 0 or "Traceback" in result.stderr:
        raise Unmeasured(
            f"{' '.join(command[:3])}… exited with code {result.returncode}:"
            f" {result.stderr.strip()[-800:]}"
        )
    return seconds, result.stdout


def khal_count(config: Path, first: dt.date, last: dt.date, env: dict[str, str]) -> tuple[int, int]:
    """How many occurrences khal lists (one line each, day headings left out), and how many
    of them began before `first` (khal also lists what is still running then; we do not)."""
    command = khal_command(
        config, first, last, "--format", "@@ {start-date} {uid}", "--day-format", ""
    )
    _seconds, out = run_command(command, env)
    starts = [line.split()[1] for line in out.splitlines() if line.startswith("@@ ")]
    return len(starts), sum(1 for day in starts if day < first.isoformat())


# --- the figure ---------------------------------------------------------------------------------


def _ms(values: Sequence[float]) -> str:
    return " ".join(f"{v * 1000:.0f}" for v in values)


def bench(database: Path, first: dt.date, last: dt.date, runs: int, work: Path) -> float:
    env = bench_env(work / "home")
    started = time.perf_counter()
    count = write_vdir(database, work / "vdir")
    print(
        f"  wrote {count} events as .ics files for khal in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    config = write_khal_config(work, work / "vdir")
    started = time.perf_counter()
    khal_found, running = khal_count(config, first, last, env)  # builds khal's cache
    print(f"  khal built its cache in {time.perf_counter() - started:.1f} s", flush=True)

    _seconds, out = run_command(cmplanner_command(database, first, last, True), env)
    ours_found = len(json.loads(out))
    print(
        f"  {first} → {last}: cmplanner lists {ours_found} occurrences, khal {khal_found}"
        f" ({running} of them begun the day before, still running on {first})"
    )
    if ours_found != khal_found - running:
        print("  (the two lists differ: the comparison is not like for like)")

    sides = {
        "text": cmplanner_command(database, first, last, False),
        "json": cmplanner_command(database, first, last, True),
        "khal": khal_command(config, first, last),
    }
    for command in sides.values():  # one warm-up each: the page cache, .pyc files
        run_command(command, env)
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(runs):
        for name, command in sides.items():
            seconds, _out = run_command(command, env)
            times[name].append(seconds)
    khal = statistics.median(times["khal"])
    print(
        f"  median khal list:                  {khal * 1000:5.0f} ms  (runs: {_ms(times['khal'])})"
    )
    worst = 0.0
    for name in ("text", "json"):
        ours = statistics.median(times[name])
        ratio = ours / khal
        worst = max(worst, ratio)
        label = "cmplanner events list" + (" --json" if name == "json" else "")
        print(
            f"  median {label:<28} {ours * 1000:5.0f} ms  (runs: {_ms(times[name])})"
            f"  ratio {ratio:.2f}"
        )
    verdict = "met" if worst <= GOAL else "NOT MET"
    print(f"  events list / khal list ratio: {worst:.2f}  goal ≤ {GOAL}: {verdict}")
    return worst


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small database (a smoke test)")
    parser.add_argument("--runs", type=int, help="timed runs of each side (5; 1 with --quick)")
    parser.add_argument("--db", type=Path, help="the database listed (default: the scale one)")
    parser.add_argument("--from", dest="first", type=dt.date.fromisoformat, default=DEFAULT_FROM)
    parser.add_argument("--to", dest="last", type=dt.date.fromisoformat, default=DEFAULT_TO)
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.last < args.first:
        parser.error("--to is before --from")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    runs = args.runs or (1 if args.quick else 5)
    if args.db is None:
        database = QUICK_DB if args.quick else SCALE_DB
        ensure_database(database, 2_000 if args.quick else None, rebuild=False)
    else:
        database = args.db.resolve()
    if not database.exists():
        print(f"Month agenda: not measured: {database} does not exist", flush=True)
        return 1
    print(f"Month agenda, cmplanner events list vs khal list; database: {database}", flush=True)
    with tempfile.TemporaryDirectory(prefix="cmplanner-bench-") as tmp:
        try:
            bench(database, args.first, args.last, runs, Path(tmp))
        except Unmeasured as exc:
            print(f"  not measured: {exc}", flush=True)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
