"""GUI stall benchmark: the longest event-loop stall of the real main window (issue 4, point 11).

    python bench/gui_stall.py [--quick] [--runs N] [--db PATH] [--profile] [--no-gc-freeze]

The main window (offscreen, in French) opens on a copy of the scale database (or `--db`)
to which two things are added with raw inserts, in the formats the ORM writes: one event
with 500 guests and a checklist of 7 tasks relative to it (J-30 … J+3), and enough single
events that one month (BUSY_MONTH) holds 2,000 occurrences. Every section is opened first,
so every view listens to the changes as in a long session. As `cmplanner` does once its
window shows the first view, the start-up's objects are first set aside from the cycle
collector (ui.shell.app.finish_start_up; `--no-gc-freeze` leaves that out, to see what it saves).
A 5 ms QTimer on the GUI thread records the longest gap between its ticks while:

  move   the big event is moved by one day through the calendar's own drag path
         (CalendarView.move_occurrence → an undoable command on the window's undo stack),
         until the window has settled (the job done, the views refreshed);
  undo   that move is undone (the undo stack);
  month  the Calendrier view, on another month, is taken to the month of 2,000 occurrences,
         until it is filled and painted;
  build  the Tableau de bord's cards are dropped and built again from its figures (as when
         a database is opened), until the last is shown;
  cards  every card shows new figures (members, vitality, both charts' bars, a readiness
         item changed for each community), in place;
  dash   the Tableau de bord recomputes (as a change on the bus makes it do): the whole
         dashboard computed on the worker, then every card back to the real figures.

Goal: every stall ≤ 100 ms. `--profile` prints where the GUI thread spent its time in each
step (cProfile of the GUI thread only; the worker thread is not profiled). It is a report,
not a test: it exits 0 whatever the figures, and 1 only when something could not be measured.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import inspect
import io
import os
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, BENCH):  # run as a script from a source tree; generate.py sits beside us
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from generate import COLUMNS, fmt  # noqa: E402
from startup import QUICK_DB, SCALE_DB, ensure_database  # noqa: E402

GOAL_MS = 100.0
HEARTBEAT_MS = 5
SETTLE_MS = 400  # the window counts as settled after this long with no job under way
TIMEOUT_S = 180.0
ZONE = "Europe/Paris"
BUSY_MONTH = dt.date(2027, 3, 1)  # in the scale database's future (its anchor: 2026-11-21)
BUSY_OCCURRENCES = 2_000
GUESTS = 500
QUICK_GUESTS, QUICK_OCCURRENCES = 100, 300  # --quick: a smoke test of the harness
BIG_EVENT_DAY = dt.date(2027, 3, 11)  # a Thursday of BUSY_MONTH
TASK_OFFSETS = (-30, -21, -7, -2, -1, 1, 3)
SEED = 20261122


class Unmeasured(Exception):
    """A figure could not be measured; the message says why."""


# --- the database --------------------------------------------------------------------------------


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (the source may be open elsewhere)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _month_days(first: dt.date) -> tuple[dt.date, dt.date]:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def occurrences_in_month(path: Path, first: dt.date) -> int:
    """How many occurrences start on a day of the month (local days), as the calendar counts."""
    from cmplanner.services.event_dates import occurrences_between
    from cmplanner.storage import Database

    start, last = _month_days(first)
    tz = ZoneInfo(ZONE)
    with Database.open(path, writer=False) as db:
        found = occurrences_between(
            db,
            dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), tz),
            dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), tz),
        )
    return sum(1 for o in found if start <= o.start.date() <= last)


def _event_row(
    rng: Random, event_id: int, title: str, start: dt.datetime, minutes: int, now: str
) -> tuple[object, ...]:
    tz = ZoneInfo(ZONE)
    end = start + dt.timedelta(minutes=minutes)
    values = {
        "created_at": now,
        "updated_at": now,
        "title": title,
        "kind": "meetup",
        "community_id": None,
        "venue_id": None,
        "start_local": fmt(start),
        "end_local": fmt(end),
        "timezone": ZONE,
        "all_day": 0,
        "rrule": "",
        "status": "planned",
        "capacity": None,
        "objective": "",
        "description": "",
        "in_person": 1,
        "online_url": "",
        "id": event_id,
        "uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "sequence": 0,
        "start_utc": fmt(start.replace(tzinfo=tz)),
        "end_utc": fmt(end.replace(tzinfo=tz)),
    }
    return tuple(values[c] for c in COLUMNS["event"])


def add_load(path: Path, guests: int, busy: int) -> tuple[int, int]:
    """Add the big event (its guests and relative tasks) and fill BUSY_MONTH up to `busy`
    occurrences. Returns (the big event's id, the occurrences now in BUSY_MONTH)."""
    rng = Random(SEED)
    already = occurrences_in_month(path, BUSY_MONTH)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("BEGIN")
        now = fmt(dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC))
        next_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM event").fetchone()[0]
        marks = ", ".join("?" * len(COLUMNS["event"]))
        insert_event = f"INSERT INTO event ({', '.join(COLUMNS['event'])}) VALUES ({marks})"
        big_id = next_id
        start = dt.datetime.combine(BIG_EVENT_DAY, dt.time(19))
        con.execute(insert_event, _event_row(rng, big_id, "Grand apéro des 500", start, 180, now))
        contacts = [r[0] for r in con.execute("SELECT id FROM contact ORDER BY id")]
        if len(contacts) < guests:
            raise Unmeasured(f"the database has {len(contacts)} contacts, {guests} are needed")
        first_invitation = con.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM invitation"
        ).fetchone()[0]
        rsvps = ("accepted",) * 6 + ("declined", "tentative", "needs-action")
        invitation_rows = [
            (now, now, first_invitation + n, big_id, contact, None, "guest", rng.choice(rsvps),
             0, None, None, None, "")
            for n, contact in enumerate(sorted(rng.sample(contacts, guests)))
        ]  # fmt: skip
        columns = COLUMNS["invitation"]
        con.executemany(
            f"INSERT INTO invitation ({', '.join(columns)})"
            f" VALUES ({', '.join('?' * len(columns))})",
            invitation_rows,
        )
        first_task = con.execute("SELECT coalesce(max(id), 0) + 1 FROM task").fetchone()[0]
        columns = COLUMNS["task"]
        con.executemany(
            f"INSERT INTO task ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [
                (now, now, first_task + n, f"Tâche J{offset:+d}", "", big_id, None, offset,
                 None, 0, None, n)
                for n, offset in enumerate(TASK_OFFSETS)
            ],
        )  # fmt: skip
        first, last = _month_days(BUSY_MONTH)
        days = (last - first).days + 1
        missing = max(0, busy - already - 1)
        rows = []
        for n in range(missing):
            day = first + dt.timedelta(days=n % days)
            hour = 8 + (n // days) % 14
            start = dt.datetime.combine(day, dt.time(hour, rng.choice((0, 15, 30, 45))))
            rows.append(
                _event_row(
                    rng, big_id + 1 + n, f"Créneau {n + 1}", start, rng.choice((30, 60)), now
                )
            )
        con.executemany(insert_event, rows)
        con.execute("COMMIT")
    finally:
        con.close()
    return big_id, occurrences_in_month(path, BUSY_MONTH)


# --- the window ----------------------------------------------------------------------------------


class Heartbeat:
    """A QTimer every HEARTBEAT_MS on the GUI thread; the gaps between its ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []

    def _tick(self) -> None:
        gap = self.clock.nsecsElapsed() / 1e6
        self.clock.restart()
        self.gaps.append(gap)
        _explain_gap(gap)

    def start(self) -> None:
        self.gaps = []
        self.clock.start()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        self.gaps.append(self.clock.nsecsElapsed() / 1e6)  # up to the end of the step
        return self.gaps


def wait_until(app: Any, done: Callable[[], bool], settle_ms: int = SETTLE_MS) -> float:
    """Run the event loop until `done()` and no background job has been under way for
    `settle_ms`; returns the seconds it took. Raise Unmeasured after TIMEOUT_S."""
    from PySide6.QtCore import QEventLoop, QTimer

    from ui.kit import jobs as tasks

    loop = QEventLoop()
    started = time.perf_counter()
    quiet_since: list[float | None] = [None]
    timed_out = [False]

    def check() -> None:
        now = time.perf_counter()
        if now - started > TIMEOUT_S:
            timed_out[0] = True
            loop.quit()
            return
        if not (done() and tasks.runner().is_idle()):
            quiet_since[0] = None
            return
        if quiet_since[0] is None:
            quiet_since[0] = now
        elif (now - quiet_since[0]) * 1000 >= settle_ms:
            loop.quit()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if timed_out[0]:
        raise Unmeasured(f"the window did not settle within {TIMEOUT_S:.0f} s")
    return time.perf_counter() - started - settle_ms / 1000


# --profile: the event dispatches since the last heartbeat tick, and the long gaps explained.
_dispatches: list[tuple[float, str]] = []
_long_gaps: list[tuple[float, float, list[tuple[float, int, str]]]] = []


def _explain_gap(gap_ms: float) -> None:
    if _TIMING and gap_ms >= 50:
        totals: dict[str, tuple[float, int]] = {}
        for ms, what in _dispatches:
            total, count = totals.get(what, (0.0, 0))
            totals[what] = (total + ms, count + 1)
        top = sorted(((ms, n, what) for what, (ms, n) in totals.items()), reverse=True)[:4]
        _long_gaps.append((gap_ms, sum(ms for ms, _what in _dispatches), top))
    _dispatches.clear()


_TIMING = False
_gc_pauses: list[tuple[float, int, str]] = []  # (ms, generation, thread)
_gc_started: list[float] = [0.0]


def _gc_callback(phase: str, info: dict[str, int]) -> None:
    """--profile: garbage collections stop every thread; note the long ones."""
    import threading

    if phase == "start":
        _gc_started[0] = time.perf_counter()
        return
    ms = (time.perf_counter() - _gc_started[0]) * 1000
    if ms >= 10:
        _gc_pauses.append((ms, info.get("generation", -1), threading.current_thread().name))


def _timing_application() -> Any:
    """A QApplication that times each outermost event dispatch (for --profile), so a long
    gap between heartbeat ticks can be put down to the widgets and events that filled it."""
    import gc

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    global _TIMING
    _TIMING = True
    gc.callbacks.append(_gc_callback)

    class TimingApplication(QApplication):
        depth = 0

        def notify(self, receiver: Any, event: Any) -> bool:
            if self.depth:
                return super().notify(receiver, event)
            self.depth += 1
            kind = event.type()
            started = time.perf_counter()
            try:
                return super().notify(receiver, event)
            finally:
                self.depth -= 1
                ms = (time.perf_counter() - started) * 1000
                if ms >= 1:
                    try:
                        name = receiver.objectName()
                    except (AttributeError, RuntimeError):  # not a QObject, or deleted
                        name = ""
                    label = QEvent.Type(kind).name if isinstance(kind, QEvent.Type) else kind
                    _dispatches.append((ms, f"{type(receiver).__name__}({name}) {label}"))

    return TimingApplication(["cmplanner-bench"])


def open_window(
    path: Path, home: Path, profile: bool = False, freeze: bool = True
) -> tuple[Any, Any, Any]:
    """The application and the real main window on `path`, French, offscreen, shown, its
    first view filled; then, as `ui.shell.app.run` does, the start-up's objects set aside."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["CMPLANNER_HOME"] = str(home)
    os.environ["TZ"] = ZONE
    time.tzset()
    from PySide6.QtCore import QSettings, QStandardPaths

    from cmplanner.i18n import set_language
    from cmplanner.storage import Database
    from ui.shell.app import apply_language, apply_style, create_application, finish_start_up
    from ui.shell.main_window import MainWindow

    if profile:
        _timing_application()
    app = create_application(["cmplanner-bench"])
    QStandardPaths.setTestModeEnabled(True)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        for fmt_ in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt_, scope, str(home / "settings"))
    set_language("fr")  # the interface as most of its users see it
    apply_language(app, keep_current=True)
    apply_style(app)
    db = Database.open(path, backup=False)
    window = MainWindow(db)
    window.backup_on_close = False
    window.resize(1280, 860)
    window.show()
    wait_until(app, lambda: window.first_view_filled)
    if freeze:
        import gc

        started = time.perf_counter()
        finish_start_up()
        print(
            f"  start-up objects set aside as the app does (gc.freeze()):"
            f" {gc.get_freeze_count():,} in {(time.perf_counter() - started) * 1000:.0f} ms",
            flush=True,
        )
    else:
        print("  start-up objects not set aside (--no-gc-freeze)", flush=True)
    return app, window, db


def _move(calendar: Any, occurrence: Any, days: int) -> None:
    """The calendar's drop handler: a day in the old views, a new local start in the new."""
    # Older trees have the handler on the view; it is on its occurrence actions now.
    owner = getattr(calendar, "occurrence_actions", calendar)
    parameters = list(inspect.signature(owner.move_occurrence).parameters)
    if parameters[1] == "day":
        owner.move_occurrence(occurrence, occurrence.start.date() + dt.timedelta(days=days))
    else:
        new_start = occurrence.start.replace(tzinfo=None) + dt.timedelta(days=days)
        owner.move_occurrence(occurrence, new_start)


def _big_occurrence(db: Any, event_id: int) -> Any:
    from cmplanner.services.event_dates import occurrences_between

    tz = ZoneInfo(ZONE)
    day = dt.datetime.combine(BIG_EVENT_DAY, dt.time(), tz)
    found = [
        o
        for o in occurrences_between(db, day, day + dt.timedelta(days=1))
        if o.event_id == event_id
    ]
    if not found:
        raise Unmeasured(f"event {event_id} is not on {BIG_EVENT_DAY}")
    return found[0]


class Step:
    def __init__(self, name: str, title: str) -> None:
        self.name, self.title = name, title
        self.worst: list[float] = []
        self.seconds: list[float] = []


def measure(
    app: Any,
    heartbeat: Heartbeat,
    step: Step,
    action: Callable[[], None],
    done: Callable[[], bool],
    profile: bool,
) -> None:
    profiler = cProfile.Profile() if profile else None
    _long_gaps.clear()
    _gc_pauses.clear()
    heartbeat.start()
    if profiler:
        profiler.enable()
    action()
    seconds = wait_until(app, done)
    if profiler:
        profiler.disable()
    gaps = heartbeat.stop()
    step.worst.append(max(gaps))
    step.seconds.append(seconds)
    print(
        f"  {step.name:<5} settled in {seconds:5.2f} s; {len(gaps)} ticks, longest gap"
        f" {max(gaps):4.0f} ms, median {statistics.median(gaps):3.0f} ms",
        flush=True,
    )
    if profiler:
        print("    gaps ≥ 50 ms: (gap, time in event dispatches) and the dispatches that filled it")
        for gap, busy, top in sorted(_long_gaps, reverse=True)[:5]:
            print(f"    {gap:5.0f} ms gap, {busy:5.0f} ms dispatching:")
            for ms, count, what in top:
                print(f"        {ms:5.0f} ms in {count:3d} × {what}")
        for ms, generation, thread in sorted(_gc_pauses, reverse=True)[:5]:
            print(f"    garbage collection of generation {generation}: {ms:.0f} ms ({thread})")
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
        print(text.getvalue())


def bench(
    database: Path,
    work: Path,
    runs: int,
    profile: bool,
    freeze: bool = True,
    sizes: tuple[int, int] = (GUESTS, BUSY_OCCURRENCES),
) -> float:
    copy = work / "gui.cmplanner"
    started = time.perf_counter()
    copy_database(database, copy)
    guests, wanted = sizes
    big_id, busy = add_load(copy, guests, wanted)
    print(
        f"  copied and loaded in {time.perf_counter() - started:.1f} s: event {big_id} with"
        f" {guests} guests and {len(TASK_OFFSETS)} relative tasks;"
        f" {busy} occurrences in {BUSY_MONTH:%Y-%m}",
        flush=True,
    )
    app, window, db = open_window(copy, work / "home", profile, freeze)
    try:
        for key in ("dashboard", "contacts", "organizations", "communities", "events", "tasks"):
            window.show_section(key)  # every view built, listening to changes
            wait_until(app, lambda: True)
        window.show_section("calendar")
        calendar = window.view("calendar")
        if hasattr(calendar, "set_mode"):
            calendar.set_mode("month")
        filled = [False]
        calendar.filled.connect(lambda: filled.__setitem__(0, True))

        def go(day: dt.date) -> Callable[[], None]:
            def action() -> None:
                filled[0] = False
                calendar.go_to(day)

            return action

        heartbeat = Heartbeat()
        steps = {
            "move": Step("move", f"move the event with {guests} guests by one day"),
            "undo": Step("undo", "undo that move"),
            "month": Step("month", f"open a month of {busy} occurrences"),
            "build": Step("build", "the home screen's cards built from none (a database opened)"),
            "cards": Step("cards", "new figures in every card of the home screen (in place)"),
            "dash": Step("dash", "compute the dashboard, every card showing new figures (issue 7)"),
        }
        home = window.view("dashboard")
        computed = [False]
        home.computed.connect(lambda: computed.__setitem__(0, True))

        def recompute() -> None:
            computed[0] = False
            home._compute()  # what a change on the bus sets off, after its short debounce

        def rebuild(figures: Any) -> None:
            """As on opening a database: the cards dropped, then built again."""
            home._clear()
            show(figures)

        def show(figures: Any) -> None:
            computed[0] = False
            home.show_dashboard(figures)

        def home_idle() -> bool:
            """No figures under way and every card built: the move and undo steps change
            the data, so the (hidden) home screen recomputes after them; that must not
            spill into the measured step, nor end it early with its own `computed`."""
            return not (home._computing or home._build_queue or home._recompute_timer.isActive())

        other_month = BUSY_MONTH - dt.timedelta(days=62)
        for _run in range(runs):
            go(other_month)()
            wait_until(app, lambda: filled[0])
            measure(app, heartbeat, steps["month"], go(BIG_EVENT_DAY), lambda: filled[0], profile)
            occurrence = _big_occurrence(db, big_id)
            stack = window.undo_stack
            depth = stack.index()
            measure(
                app,
                heartbeat,
                steps["move"],
                lambda occurrence=occurrence: _move(calendar, occurrence, 1),
                lambda: True,
                profile,
            )
            if stack.index() != depth + 1:
                raise Unmeasured("the move did not reach the undo stack")
            if _big_occurrence_day(db, big_id) != BIG_EVENT_DAY + dt.timedelta(days=1):
                raise Unmeasured("the event did not move")
            measure(app, heartbeat, steps["undo"], stack.undo, lambda: True, profile)
            if _big_occurrence_day(db, big_id) != BIG_EVENT_DAY:
                raise Unmeasured("the undo did not put the event back")
            window.show_section("dashboard")
            wait_until(app, home_idle)
            figures = home.dashboard
            measure(
                app,
                heartbeat,
                steps["build"],
                lambda figures=figures: rebuild(figures),
                lambda: computed[0] and home_idle(),
                profile,
            )
            measure(
                app,
                heartbeat,
                steps["cards"],
                lambda figures=figures, run=_run: show(varied(figures, run)),
                lambda: computed[0] and home_idle(),
                profile,
            )
            # The real figures again: every card changes back, after a real compute.
            measure(
                app,
                heartbeat,
                steps["dash"],
                recompute,
                lambda: computed[0] and home_idle(),
                profile,
            )
            window.show_section("calendar")
        if os.environ.get("CMPLANNER_BENCH_SHOT"):
            window.grab().save(os.environ["CMPLANNER_BENCH_SHOT"])
    finally:
        from ui.kit import jobs as tasks

        window.close()
        tasks.runner().shutdown()
        db.close()
    print()
    worst_all = 0.0
    for step in steps.values():
        worst = max(step.worst)
        worst_all = max(worst_all, worst)
        verdict = "met" if worst <= GOAL_MS else "NOT MET"
        runs_text = " ".join(f"{w:.0f}" for w in step.worst)
        print(
            f"  {step.title}: longest stall {worst:.0f} ms (runs: {runs_text})"
            f"  goal ≤ {GOAL_MS:.0f} ms: {verdict}"
        )
    verdict = "met" if worst_all <= GOAL_MS else "NOT MET"
    print(f"  longest event-loop stall: {worst_all:.0f} ms  goal ≤ {GOAL_MS:.0f} ms: {verdict}")
    return worst_all


def varied(figures: Any, run: int) -> Any:
    """The dashboard with every community's figures changed: members, vitality, the bars of
    both charts, one readiness item. (What the home screen shows after a change to them all.)"""
    from dataclasses import replace

    step = 1 + run % 2
    communities = []
    for c in figures.communities:
        readiness = c.readiness
        if readiness:
            last = readiness[-1]
            readiness = (*readiness[:-1], replace(last, ok=not last.ok))
        communities.append(
            replace(
                c,
                members=c.members + step,
                vitality=None if c.vitality is None else (c.vitality + step) % 101,
                attendance=tuple(replace(p, attended=p.attended + step) for p in c.attendance),
                new_members_by_month=tuple(
                    replace(m, value=m.value + step) for m in c.new_members_by_month
                ),
                readiness=readiness,
                ready=all(item.ok for item in readiness),
            )
        )
    return replace(figures, communities=tuple(communities))


def _big_occurrence_day(db: Any, event_id: int) -> dt.date:
    with db.read() as con:
        start = con.execute("SELECT start_local FROM event WHERE id = ?", (event_id,)).fetchone()
    return dt.datetime.fromisoformat(start[0]).date()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a small database, {QUICK_GUESTS} guests, {QUICK_OCCURRENCES} occurrences in"
        " the month (a smoke test)",
    )
    parser.add_argument("--runs", type=int, help="runs of each step (3; 1 with --quick)")
    parser.add_argument("--db", type=Path, help="the database copied (default: the scale one)")
    parser.add_argument("--profile", action="store_true", help="profile the GUI thread")
    parser.add_argument(
        "--no-gc-freeze",
        dest="gc_freeze",
        action="store_false",
        help="what if the app did not set its start-up's objects aside (gc.freeze() once the "
        "window is up): full garbage collections, which stop the GUI thread too, walk them all",
    )
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    if args.db is None:
        database = QUICK_DB if args.quick else SCALE_DB
        ensure_database(database, 2_000 if args.quick else None, rebuild=False)
    else:
        database = args.db.resolve()
    print(f"GUI stalls (heartbeat every {HEARTBEAT_MS} ms); database: {database}", flush=True)
    if not database.exists():
        print(f"  not measured: {database} does not exist", flush=True)
        return 1
    code = 0
    with tempfile.TemporaryDirectory(prefix="cmplanner-bench-") as tmp:
        try:
            sizes = (QUICK_GUESTS, QUICK_OCCURRENCES) if args.quick else (GUESTS, BUSY_OCCURRENCES)
            bench(database, Path(tmp), runs, args.profile, args.gc_freeze, sizes)
        except Unmeasured as exc:
            print(f"  not measured: {exc}", flush=True)
            code = 1
    return code


if __name__ == "__main__":
    exit_code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip the interpreter's teardown: PySide6 may crash collecting the window's leftovers
    # ("none_dealloc") after everything is measured and printed, which would turn a report
    # into a failure.
    os._exit(exit_code)
