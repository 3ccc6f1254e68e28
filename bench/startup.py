"""Cold-start benchmark: CM Planner on the scale database against a bare PySide6 window.

    python bench/startup.py [--runs 7] [--quick] [--db PATH]

Each start is a fresh process. The time is measured in this process, from just before the
child is spawned to the moment its ready line is read: `READY` from bench/bare_window.py,
`CMPLANNER_READY` from `python -m cmplanner --db <db>` run with CMPLANNER_STARTUP_PROBE=1
(printed once the main window shows its first view filled). The two kinds of start alternate
so a slow patch of the machine hits both. The report is the ratio of the medians; the goal is
a ratio of at most 3.0. It is a report, not a test: it exits 0 whatever the ratio, and 1 only
when a start could not be measured at all.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:  # run as a script from a source tree
    sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

GOAL = 3.0
FIGURE = "cold start to the first view"
SCALE_DB = BENCH / "data" / "scale.cmplanner"
QUICK_DB = BENCH / "data" / "quick.cmplanner"
QUICK_CONTACTS = 2_000


@dataclass(frozen=True)
class Target:
    name: str
    command: list[str]
    ready_token: str
    env: dict[str, str]


def ensure_database(path: Path, contacts: int | None, rebuild: bool) -> None:
    """Build the database with bench/generate.py if it is missing or has an old schema."""
    from cmplanner.storage.database import FileState, inspect_file

    reason = "rebuild asked" if rebuild else None
    if reason is None:
        if not path.exists():
            reason = "missing"
        elif inspect_file(path).state is not FileState.CURRENT:
            reason = "its schema is older than the code"
    if reason is None:
        return
    print(f"Generating {path} ({reason})...", flush=True)
    command = [sys.executable, str(BENCH / "generate.py"), "--out", str(path), "--force"]
    if contacts is not None:
        command += ["--contacts", str(contacts)]
    subprocess.run(command, check=True)
    print(flush=True)


def time_start(target: Target, timeout: float) -> float:
    """Seconds from spawning `target` to reading its ready line. Raise MeasureError."""
    run = common.run_process(
        target.command, env=target.env, timeout=timeout, ready_token=target.ready_token
    )
    return run.seconds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=common.MIN_RUNS, help="measured starts of each (7)"
    )
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured starts of each first (1)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a small database ({QUICK_CONTACTS:,} contacts) instead of the scale one",
    )
    parser.add_argument("--db", type=Path, help="the database to open (built if missing)")
    parser.add_argument(
        "--rebuild", action="store_true", help="regenerate the database even if present"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per start (120)")
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (offscreen)")
    parser.add_argument(
        "--app-cmd",
        help="command that starts CM Planner, '{db}' standing for the database "
        "(default: the running Python with -m cmplanner --db {db})",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db: Path = (args.db or (QUICK_DB if args.quick else SCALE_DB)).resolve()
    ensure_database(db, QUICK_CONTACTS if args.quick else None, args.rebuild)

    if args.app_cmd:
        app_command = [part.replace("{db}", str(db)) for part in shlex.split(args.app_cmd)]
    else:
        app_command = [sys.executable, "-m", "cmplanner", "--db", str(db)]

    with tempfile.TemporaryDirectory(prefix="cmplanner-bench-") as tmp:
        # One home for the whole run: what the app does only on a first start (settings,
        # logs, a first backup) happens in the warm-up, as it does once on a user's machine.
        env = common.isolated_env(Path(tmp), QT_QPA_PLATFORM=args.platform)
        targets = [
            Target("bare", [sys.executable, str(BENCH / "bare_window.py")], "READY", env),
            Target(
                "cmplanner",
                app_command,
                "CMPLANNER_READY",
                {**env, "CMPLANNER_STARTUP_PROBE": "1"},
            ),
        ]
        print(
            f"Startup: {args.runs} cold starts of each, alternating, after {args.warmup} "
            f"warm-up start(s); QT_QPA_PLATFORM={args.platform}\ndatabase: {db}",
            flush=True,
        )
        times: dict[str, list[float]] = {t.name: [] for t in targets}
        try:
            for _ in range(args.warmup):
                for target in targets:
                    time_start(target, args.timeout)
            print(f"{'run':>3}  {'bare (s)':>9}  {'cmplanner (s)':>13}")
            for run in range(1, args.runs + 1):
                for target in targets:
                    times[target.name].append(time_start(target, args.timeout))
                print(f"{run:>3}  {times['bare'][-1]:>9.3f}  {times['cmplanner'][-1]:>13.3f}")
        except common.MeasureError as exc:
            print(f"\nerror: could not measure a start.\n{exc}", file=sys.stderr)
            common.report_failure("startup", FIGURE, str(exc))
            return 1

    bare = statistics.median(times["bare"])
    app = statistics.median(times["cmplanner"])
    ratio = app / bare
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"median bare window   {bare:.3f} s")
    print(f"median CM Planner    {app:.3f} s")
    print(f"ratio cmplanner / bare: {ratio:.2f} (goal ≤ {GOAL:.1f}: {verdict})")
    common.report(
        common.Figure(
            "startup",
            FIGURE,
            times["cmplanner"],
            GOAL,
            baseline=times["bare"],
            baseline_name="bare",
            notes=[f"database: {db.name}"],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
