"""The CLI's lists as a user waits for them (issue 17): whole processes, cold, each against a
bare Python script doing the same work on the same database, printing the same rows.

    python bench/cli_lists.py [--quick] [--runs N] [--only search,month] [--db PATH]

1. search  `python -m cmplanner --db DB contacts list --search TERM` against
           `python bench/bare_search.py DB TERM` (one sqlite3 query: the same FTS5 MATCH,
           each match's first e-mail, phone and organization, sorted by name, printed in the
           CLI's layout), at 10,000, 100,000 and 1,000,000 contacts, for two terms: a rare
           family name (a lookup: a few dozen to a few hundred rows) and the commonest first
           name's first three letters (thousands of rows). Goal ≤ 2× at each size.
2. month   `python -m cmplanner --db DB events list --from D1 --to D2` (a month) on the
           1,000,000-contact / 100,000-event database against `python bench/bare_events.py`
           (sqlite3 and dateutil: the month's events and series, each series expanded in its
           own zone with its skipped and moved dates, each occurrence's guest counts, in
           order, printed in the CLI's layout). Goal ≤ 3×.

Both sides run as fresh processes, taking turns (bench/common.py), in the same environment:
Europe/Paris, a throw-away home, the bytecode of both written once to a throw-away cache (an
installed app has its .pyc files; PYTHONDONTWRITEBYTECODE would time the compiler). Before
timing, the two sides' outputs are compared: a figure whose sides do not print the same rows
is not measured. khal and khard stay the friendlier references of bench/events.py and
bench/contacts.py. The databases are bench/generate.py's (built when missing; the 1M one takes
a while). A report, not a test: it exits 0 whatever the verdicts, 1 when a figure could not
be measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, BENCH):  # run as a script from a source tree; startup.py sits beside us
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
from startup import SCALE_DB, ensure_database  # noqa: E402

NAME = "cli lists"
SEARCH_GOAL = 2.0
MONTH_GOAL = 3.0
ZONE = "Europe/Paris"
# The month around the generator's anchor day (bench/generate.py DEFAULT_ANCHOR).
MONTH = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
DATA = BENCH / "data"
# contacts → database; 100,000 is the scale database the other benches share.
DATABASES = {
    10_000: DATA / "scale-10k.cmplanner",
    100_000: SCALE_DB,
    1_000_000: DATA / "scale-1m.cmplanner",
}
PIECES = ("search", "month")


def bench_env(home: Path) -> dict[str, str]:
    env = isolated_env(
        home,
        TZ=ZONE,
        LANG="C.UTF-8",
        PYTHONUTF8="1",
        COLUMNS="200",
        PYTHONPATH=str(ROOT),  # this tree's cmplanner, whatever the current folder
        PYTHONPYCACHEPREFIX=str(home / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("CMPLANNER_LANG", None)
    return env


def cmplanner(database: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cmplanner", "--db", str(database), *args]


def bare(script: str, *args: str) -> list[str]:
    return [sys.executable, str(BENCH / script), *args]


def contacts_in(database: Path) -> int:
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM contact").fetchone()[0])
    finally:
        con.close()


def search_terms(database: Path) -> dict[str, str]:
    """A rare family name and the commonest first name's first three letters."""
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rare = con.execute(
            "SELECT family_name, count(*) AS n FROM contact WHERE family_name != ''"
            " GROUP BY family_name ORDER BY n, family_name LIMIT 1"
        ).fetchone()
        common = con.execute(
            "SELECT given_name, count(*) AS n FROM contact GROUP BY given_name"
            " ORDER BY n DESC, given_name LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    if not (rare and common):
        raise MeasureError(f"{database} has no contacts to search")
    return {"rare name": str(rare[0]), "common prefix": str(common[0])[:3]}


def size_label(contacts: int) -> str:
    return f"{contacts // 1_000_000}M" if contacts >= 1_000_000 else f"{contacts // 1000}k"


def same_rows(ours: str, baseline: str, what: str) -> int:
    """The number of rows both sides printed; MeasureError if they differ."""
    if ours != baseline:
        mine, theirs = ours.splitlines(), baseline.splitlines()
        first = next(
            (n for n, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b),
            min(len(mine), len(theirs)),
        )
        raise MeasureError(
            f"{what}: the two sides print different rows ({len(mine)} and {len(theirs)};"
            f" first difference at line {first + 1})"
        )
    return len(ours.splitlines())


def measure(
    name: str,
    ours: Sequence[str],
    baseline: Sequence[str],
    baseline_name: str,
    goal: float,
    runs: int,
    env: dict[str, str],
) -> Figure:
    results = alternate({"ours": ours, "bare": baseline}, runs, env=env, timeout=900)
    rows = same_rows(results["ours"][0].stdout, results["bare"][0].stdout, name)
    return report(
        Figure(
            NAME,
            name,
            seconds(results["ours"]),
            goal,
            baseline=seconds(results["bare"]),
            baseline_name=baseline_name,
            notes=[f"{rows} rows printed by each side"],
        )
    )


def bench_search(databases: dict[int, Path], runs: int, env: dict[str, str]) -> bool:
    measured = True
    for contacts, database in databases.items():
        label = size_label(contacts)
        try:
            terms = search_terms(database)
        except MeasureError as exc:
            report_failure(NAME, f"contacts list --search, {label}", str(exc))
            measured = False
            continue
        for kind, term in terms.items():
            figure = f"contacts list --search {term!r} ({kind}), {label} contacts"
            try:
                measure(
                    figure,
                    cmplanner(database, "contacts", "list", "--search", term),
                    bare("bare_search.py", str(database), term),
                    "bare FTS5",
                    SEARCH_GOAL,
                    runs,
                    env,
                )
            except MeasureError as exc:
                report_failure(NAME, figure, str(exc))
                measured = False
    return measured


def bench_month(database: Path, runs: int, env: dict[str, str]) -> bool:
    first, last = MONTH
    label = size_label(contacts_in(database))
    figure = f"events list {first:%Y-%m}, {label} contacts"
    try:
        measure(
            figure,
            cmplanner(database, "events", "list", "--from", str(first), "--to", str(last)),
            bare("bare_events.py", str(database), str(first), str(last), ZONE),
            "bare",
            MONTH_GOAL,
            runs,
            env,
        )
    except MeasureError as exc:
        report_failure(NAME, figure, str(exc))
        return False
    return True


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one small database, few runs")
    parser.add_argument("--runs", type=int, help=f"timed runs of each side ({MIN_RUNS})")
    parser.add_argument("--only", default=",".join(PIECES), help="search,month")
    parser.add_argument("--db", type=Path, help="one database for every figure")
    args = parser.parse_args(argv)
    args.only = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.only) - set(PIECES)
    if unknown:
        parser.error(f"unknown pieces: {', '.join(sorted(unknown))}")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    runs = args.runs or (1 if args.quick else MIN_RUNS)
    if args.db is not None:
        database = args.db.resolve()
        if not database.exists():
            report_failure(NAME, "every figure", f"{database} does not exist")
            return 1
        databases = {contacts_in(database): database}
    elif args.quick:
        print("--quick needs --db (a small database)", file=sys.stderr)
        return 2
    else:
        databases = DATABASES
        for contacts, database in databases.items():
            ensure_database(database, contacts, rebuild=False)
    print(f"CLI lists, whole processes against bare scripts; {runs} runs a side", flush=True)
    measured = True
    with tempfile.TemporaryDirectory(prefix="cmplanner-bench-") as tmp:
        env = bench_env(Path(tmp))
        if "search" in args.only:
            measured &= bench_search(databases, runs, env)
        if "month" in args.only:
            measured &= bench_month(databases[max(databases)], runs, env)
    return 0 if measured else 1


if __name__ == "__main__":
    raise SystemExit(main())
