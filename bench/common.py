"""What every bench shares: whole processes timed cold, min/median/max of the runs, a verdict
against the issue's goal, and one line per figure for the table `make bench` ends with.

A figure is either a ratio (ours against a baseline doing the same work in the same run) or a
bound (a stall in milliseconds, a peak in megabytes). `report()` prints it and, when
`CMPLANNER_BENCH_SUMMARY` names a file, appends it there as a JSON line; `bench/summary.py`
reads that file back into the closing table.
"""

from __future__ import annotations

import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

SUMMARY_ENV = "CMPLANNER_BENCH_SUMMARY"
MIN_RUNS = 7  # issue 17: medians of at least 7 runs


class MeasureError(Exception):
    """A figure could not be measured (the command failed, hung or never got ready)."""


@dataclass
class Figure:
    """One measured figure. With a `baseline`, the goal bounds the ratio of the medians;
    without, it bounds the largest of `ours` (every run must meet it)."""

    bench: str
    name: str
    ours: list[float]
    goal: float
    unit: str = "s"
    baseline: list[float] | None = None
    baseline_name: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return statistics.median(self.ours) / statistics.median(self.baseline)

    @property
    def value(self) -> float:
        """What the goal is checked against: the ratio, or the worst run."""
        ratio = self.ratio
        return ratio if ratio is not None else max(self.ours)

    @property
    def passed(self) -> bool:
        return bool(self.ours) and self.value <= self.goal

    def goal_text(self) -> str:
        return f"≤ {self.goal:g}×" if self.baseline is not None else f"≤ {self.goal:g} {self.unit}"

    def value_text(self) -> str:
        ratio = self.ratio
        return f"{ratio:.2f}×" if ratio is not None else f"{self.value:.3g} {self.unit}"


def spread(values: Sequence[float], unit: str = "s") -> str:
    """ "min 0.31 / median 0.33 / max 0.40 s (7 runs)"."""
    if not values:
        return "no run"
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"min {low:.3g} / median {mid:.3g} / max {high:.3g} {unit} ({len(values)} runs)"


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def report(figure: Figure) -> Figure:
    """Print `figure` (its runs, its ratio or worst run, PASS/FAIL) and add it to the
    summary file when `make bench` keeps one."""
    print(f"{figure.bench}: {figure.name}")
    print(f"  ours      {spread(figure.ours, figure.unit)}")
    if figure.baseline is not None:
        label = figure.baseline_name or "baseline"
        print(f"  {label:<9} {spread(figure.baseline, figure.unit)}")
    for note in figure.notes:
        print(f"  {note}")
    print(f"  → {figure.value_text()} (goal {figure.goal_text()}): {verdict(figure.passed)}")
    summary = os.environ.get(SUMMARY_ENV)
    if summary:
        record = asdict(figure) | {"value": figure.value, "passed": figure.passed}
        with open(summary, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return figure


def report_failure(bench: str, name: str, why: str) -> None:
    """A figure that could not be measured: said, and a FAIL line in the summary."""
    print(f"{bench}: {name}: could not be measured: {why}")
    summary = os.environ.get(SUMMARY_ENV)
    if summary:
        record = {"bench": bench, "name": name, "error": why.splitlines()[0], "passed": False}
        with open(summary, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


@dataclass(frozen=True)
class Run:
    """A finished process: its wall time (spawn to exit, or to its ready line), its peak
    resident memory in MB when asked for (else 0) and its output."""

    seconds: float
    peak_mb: float
    stdout: str


# Linux keeps the resident peak of a process across exec, so a child forked from this (big)
# bench process would carry the bench's own size. The command is started from a small
# Python instead, which writes the peak of the command it forks to the file it is given.
_PEAK_WRAPPER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_pid, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_process(
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 300.0,
    ready_token: str | None = None,
    memory: bool = False,
) -> Run:
    """Run `command` as a fresh process, timed from just before it is spawned until it exits
    (or prints `ready_token` at the start of a line; it is then left to exit by itself).
    `memory`: also its peak resident memory (through a small wrapper process, whose start
    the time then includes). A non-zero exit or a timeout raises MeasureError with the end
    of its stderr."""
    with (
        tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as err,
        tempfile.TemporaryDirectory(prefix="cmplanner-bench-") as tmp,
    ):
        peak_file = Path(tmp) / "peak"
        spawned = list(command)
        if memory:
            spawned = [sys.executable, "-c", _PEAK_WRAPPER, str(peak_file), *spawned]
        started = time.perf_counter()
        proc = subprocess.Popen(
            spawned,
            stdout=subprocess.PIPE,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        elapsed: float | None = None
        lines: list[str] = []
        assert proc.stdout is not None
        with proc.stdout:
            for line in proc.stdout:
                lines.append(line)
                if elapsed is None and ready_token is not None and _ready(line, ready_token):
                    elapsed = time.perf_counter() - started  # then left to exit by itself
        proc.wait()
        timer.cancel()
        if ready_token is None and not killed.is_set() and proc.returncode == 0:
            elapsed = time.perf_counter() - started
        if elapsed is None:
            err.seek(0)
            tail = "\n".join(err.read().splitlines()[-15:])
            why = (
                f"killed after {timeout:.0f} s"
                if killed.is_set()
                else f"exit code {proc.returncode}"
            )
            if ready_token is not None:
                why += f" without printing {ready_token}"
            raise MeasureError(
                f"{why}: {shlex.join(command)}"
                + (f"\n  stderr ended with:\n{tail}" if tail else "")
            )
        peak_mb = int(peak_file.read_text()) / 1024 if memory else 0.0
        return Run(elapsed, peak_mb, "".join(lines))


def _ready(line: str, token: str) -> bool:
    return line.split(" ", 1)[0].strip() == token


def alternate(
    commands: dict[str, Sequence[str]],
    runs: int,
    *,
    warmup: int = 1,
    env: dict[str, str] | None = None,
    timeout: float = 300.0,
    ready_tokens: dict[str, str] | None = None,
) -> dict[str, list[Run]]:
    """Each command `runs` times, taking turns, so that a slow patch of the machine hits
    every side; `warmup` unmeasured runs of each first (the page cache, .pyc files)."""
    tokens = ready_tokens or {}
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for turn in range(warmup + runs):
        for name, command in commands.items():
            run = run_process(command, env=env, timeout=timeout, ready_token=tokens.get(name))
            if turn >= warmup:
                results[name].append(run)
    return results


def seconds(runs: Sequence[Run]) -> list[float]:
    return [run.seconds for run in runs]


def peaks(runs: Sequence[Run]) -> list[float]:
    return [run.peak_mb for run in runs]


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment a bench runs CM Planner and its baseline in: its own home, settings and
    caches (never the user's), no database chosen by the caller's environment."""
    env = dict(os.environ)
    env.pop("CMPLANNER_DB", None)
    # With its bytecode, as an installed app (and a second `make run`) has it: the warm-up
    # runs compile into the bench's own cache, the measured runs read it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    env["CMPLANNER_HOME"] = str(home)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(home / var.lower())
    env.update(extra)
    return env
