"""Dashboard benchmark (issue 7, point 9): does computing the dashboard grow linearly?

    python bench/dashboard.py [--db PATH] [--small-db PATH] [--runs N] [--rebuild]

`cmplanner.services.dashboard.compute(db)` (what the home screen, `cmplanner dashboard` and
its PDF all call) is timed on the 100,000-contact scale database and on a 10,000-contact one,
both made by bench/generate.py (built when missing or older than the code; the small one is
bench/data/scale-10k.cmplanner). Each is opened once, computed once to warm up, then `--runs`
times in the same process; the medians are compared. The clock is frozen at noon (UTC) of the
generator's anchor day, so both see the same "today". Goal: big ≤ 12 × small (ten times the
contacts: linear or better).

Then one more run of each is made with every private function of the service timed (inclusive
times, a function called from another counts in both), to show which part grows.

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
SMALL_CONTACTS = 10_000


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


@contextmanager
def timed_sections(module: Any) -> Iterator[dict[str, float]]:
    """Wrap every private function of `module` so its (inclusive) time adds up by name."""
    spent: dict[str, float] = {}
    originals = {
        name: fn
        for name, fn in vars(module).items()
        if name.startswith("_")
        and not name.startswith("__")
        and inspect.isfunction(fn)
        and fn.__module__ == module.__name__
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

    for name, fn in originals.items():
        setattr(module, name, wrap(name, fn))
    try:
        yield spent
    finally:
        for name, fn in originals.items():
            setattr(module, name, fn)


def measure(path: Path, runs: int) -> tuple[float, dict[str, float], str]:
    """Median seconds of `compute`, the per-section times of one more run, and a summary."""
    from cmplanner.services import dashboard
    from cmplanner.storage import Database

    if not path.exists():
        raise Unmeasured(f"no database at {path}")
    with Database.open(path, writer=False) as db:
        with db.read() as con:
            contacts = int(con.execute("SELECT count(*) FROM contact").fetchone()[0])
        board = dashboard.compute(db)
        seconds = median_seconds(lambda: dashboard.compute(db), runs)
        with timed_sections(dashboard) as spent:
            dashboard.compute(db)
    summary = (
        f"{contacts:,} contacts: {len(board.upcoming)} upcoming, {len(board.due.tasks)} tasks due,"
        f" {len(board.communities)} communities, {len(board.drifting)} drifting"
    )
    return seconds, spent, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="the big database (default: the scale one)")
    parser.add_argument(
        "--small-db", type=Path, help=f"the small database (default: {SMALL_DB.name})"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the default databases")
    args = parser.parse_args(argv)

    from cmplanner import clock
    from cmplanner.i18n import set_language

    big: Path = (args.db or SCALE_DB).resolve()
    small: Path = (args.small_db or SMALL_DB).resolve()
    if args.db is None:
        ensure_database(big, None, args.rebuild)
    if args.small_db is None:
        ensure_database(small, SMALL_CONTACTS, args.rebuild)

    set_language("fr")
    clock.freeze(dt.datetime.combine(DEFAULT_ANCHOR, dt.time(12), dt.UTC))
    try:
        small_s, small_parts, small_summary = measure(small, args.runs)
        big_s, big_parts, big_summary = measure(big, args.runs)
    except Unmeasured as exc:
        print(f"{exc}: not measured")
        return 1
    finally:
        clock.freeze(None)

    print(f"small: {small_summary}")
    print(f"big:   {big_summary}")
    print(f"today: {DEFAULT_ANCHOR} (clock frozen); median of {args.runs} runs after a warm-up")
    print()
    print(f"{'section (inclusive)':<28} {'small s':>9} {'big s':>9} {'ratio':>7}")
    for name in sorted(big_parts, key=lambda n: -big_parts[n])[:12]:
        s, b = small_parts.get(name, 0.0), big_parts[name]
        if b < 0.0005 and s < 0.0005:
            continue  # helpers that take no time
        ratio = f"{b / s:7.1f}" if s > 0 else "      —"
        print(f"{name:<28} {s:9.4f} {b:9.4f} {ratio}")
    print()
    print(f"median compute, small database: {small_s:.3f} s")
    print(f"median compute, big database:   {big_s:.3f} s")
    ratio = big_s / small_s
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"big / small ratio: {ratio:.2f} (goal ≤ {GOAL:g}: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
