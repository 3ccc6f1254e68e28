"""Dashboard benchmark (issue 7, point 9): does computing the dashboard grow linearly?

    python bench/dashboard.py [--db PATH] [--small-db PATH] [--runs N] [--rebuild]

`cmplanner.services.dashboard.compute(db)` (what the home screen, `cmplanner dashboard` and
its PDF all call) is timed on the 100,000-contact scale database and on a 10,000-contact one,
both made by bench/generate.py (built when missing or older than the code; the small one,
bench/data/scale-10k.cmplanner, also when the generator is newer than it). Each is opened
once, computed once to warm up, then `--runs` times in the same process; the medians are
compared. The clock is frozen at noon (UTC) of the generator's anchor day, so both see the
same "today". Goal: big ≤ 12 × small (ten times the contacts: linear or better).

Then one more run of each is made with every function of the service and its helpers
(cmplanner/services/dashboard/: figures.py, scores.py) timed — inclusive times, a function
called from another counts in both — to show which part grows, beside how much each table
the dashboard reads grows from one database to the other (all should grow ten times).

It is a report, not a test: it exits 0 whatever the ratio, and 1 only when something could
not be measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import inspect
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, BENCH):  # run as a script from a source tree; startup.py sits beside us
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from generate import DEFAULT_ANCHOR  # noqa: E402
from startup import SCALE_DB, ensure_database  # noqa: E402

GOAL = 12.0
SMALL_DB = BENCH / "data" / "scale-10k.cmplanner"
GENERATOR = BENCH / "generate.py"
SMALL_CONTACTS = 10_000
SECTIONS_SHOWN = 14


class Unmeasured(Exception):
    """A figure could not be measured; the message says why."""


def median_seconds(work: Callable[[], Any], runs: int) -> float:
    work()  # warm-up: imports, the page cache, SQLite's statement cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# The tables the dashboard reads, whose growth the report shows.
TABLES = (
    "contact",
    "community_member",
    "event",
    "invitation",
    "interaction",
    "work_entry",
    "task",
    "commitment",
)


@contextmanager
def timed_sections(*modules: Any) -> Iterator[dict[str, float]]:
    """Wrap every function defined in `modules` (not dunders) so its inclusive time adds up by
    name. Callers look these functions up on their module at call time, so they see the
    wrappers."""
    spent: dict[str, float] = {}
    originals = {
        (module, name): fn
        for module in modules
        for name, fn in vars(module).items()
        if not name.startswith("__") and inspect.isfunction(fn) and fn.__module__ == module.__name__
    }

    def wrap(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

        return run

    for (module, name), fn in originals.items():
        if name not in ("compute", "to_json", "settings"):
            setattr(module, name, wrap(name, fn))
    try:
        yield spent
    finally:
        for (module, name), fn in originals.items():
            setattr(module, name, fn)


@dataclass(frozen=True)
class Measure:
    seconds: float  # median of the timed runs
    sections: dict[str, float]  # inclusive seconds by function, one more run
    rows: dict[str, int]  # rows of each of TABLES
    summary: str


def measure(path: Path, runs: int) -> Measure:
    """Time `compute` on the database at `path`."""
    from cmplanner.services import dashboard
    from cmplanner.services.dashboard import figures, scores
    from cmplanner.storage import Database

    if not path.exists():
        raise Unmeasured(f"no database at {path}")
    with Database.open(path, writer=False) as db:
        with db.read() as con:
            rows = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}
        board = dashboard.compute(db)
        seconds = median_seconds(lambda: dashboard.compute(db), runs)
        with timed_sections(dashboard, figures, scores) as spent:
            dashboard.compute(db)
    summary = (
        f"{rows['contact']:,} contacts: {len(board.upcoming)} upcoming,"
        f" {len(board.due.tasks)} tasks due, {len(board.communities)} communities,"
        f" {len(board.drifting)} drifting"
    )
    return Measure(seconds, spent, rows, summary)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="the big database (default: the scale one)")
    parser.add_argument(
        "--small-db", type=Path, help=f"the small database (default: {SMALL_DB.name})"
    )
    parser.add_argument("--runs", type=int, default=7)  # the small side takes 0.09 s: noisy
    parser.add_argument("--rebuild", action="store_true", help="regenerate the default databases")
    args = parser.parse_args(argv)

    from cmplanner import clock
    from cmplanner.i18n import set_language

    big: Path = (args.db or SCALE_DB).resolve()
    small: Path = (args.small_db or SMALL_DB).resolve()
    if args.db is None:
        ensure_database(big, None, args.rebuild)
    if args.small_db is None:
        # Ours alone (no other bench reads it): rebuilt as well when the generator changed.
        stale = small.exists() and small.stat().st_mtime < GENERATOR.stat().st_mtime
        ensure_database(small, SMALL_CONTACTS, args.rebuild or stale)

    set_language("fr")
    clock.freeze(dt.datetime.combine(DEFAULT_ANCHOR, dt.time(12), dt.UTC))
    try:
        small_m = measure(small, args.runs)
        big_m = measure(big, args.runs)
    except Unmeasured as exc:
        print(f"{exc}: not measured")
        return 1
    finally:
        clock.freeze(None)

    print(f"small: {small_m.summary}")
    print(f"big:   {big_m.summary}")
    print(f"today: {DEFAULT_ANCHOR} (clock frozen); median of {args.runs} runs after a warm-up")
    print()
    print(f"{'rows read':<28} {'small':>9} {'big':>9} {'ratio':>7}")
    for table in TABLES:
        s, b = small_m.rows[table], big_m.rows[table]
        ratio = f"{b / s:7.1f}" if s else "      —"
        print(f"{table:<28} {s:>9,} {b:>9,} {ratio}")
    print()
    print(f"{'section (inclusive)':<28} {'small s':>9} {'big s':>9} {'ratio':>7}")
    shown = sorted(big_m.sections, key=lambda n: -big_m.sections[n])[:SECTIONS_SHOWN]
    for name in shown:
        s, b = small_m.sections.get(name, 0.0), big_m.sections[name]
        ratio = f"{b / s:7.1f}" if s > 0 else "      —"
        print(f"{name:<28} {s:9.4f} {b:9.4f} {ratio}")
    print()
    print(f"median compute, small database: {small_m.seconds:.3f} s")
    print(f"median compute, big database:   {big_m.seconds:.3f} s")
    ratio = big_m.seconds / small_m.seconds
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"big / small ratio: {ratio:.2f} (goal ≤ {GOAL:g}: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
