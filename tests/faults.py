"""Faults injected into a real `cmplanner` process, for the data-safety tests and bench/.

`run_cli(args, kill_at=N)` runs the command line in a child process that kills itself with
SIGKILL just before the N-th SQL statement any of its SQLite connections starts (statements
SQLite runs for itself, such as FTS5's, count too): the same N always stops the same command
at the same place, so a failure can be replayed. `run_cli(args)` with no kill point runs the
command through and reports every statement it ran, so a caller can choose its points
(`kill_points`). `file_limit=B` makes every write past B bytes in any file fail (EFBIG, as a
full disk fails a write with ENOSPC; RLIMIT_FSIZE needs no privilege).

The child is `python -m tests.faults ARGS…`, with the repository on its path: the bench can
use this module as it is (bench/torture.py: `sys.path.insert(0, ROOT)`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KILL_AT_ENV = "CMPLANNER_FAULT_KILL_AT"
FILE_LIMIT_ENV = "CMPLANNER_FAULT_FILE_LIMIT"
LIMIT_AT_ENV = "CMPLANNER_FAULT_LIMIT_AT"
STATEMENTS_ENV = "CMPLANNER_FAULT_STATEMENTS"  # where the child writes the statements it ran


@dataclass
class Run:
    """What became of one child: its exit code (-9 when it was killed) and its output."""

    returncode: int
    stdout: str
    stderr: str
    statements: list[str] = field(default_factory=list)  # only when it ran to the end

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL


def run_cli(
    args: Sequence[str],
    *,
    kill_at: int | None = None,
    file_limit: int | None = None,
    limit_at: int | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> Run:
    """`cmplanner ARGS` in a child process, killed before its `kill_at`-th SQL statement;
    no file may grow past `file_limit` bytes from its `limit_at`-th statement on (from the
    start without `limit_at`): the disk fills up at that point."""
    child_env = {**os.environ, **(env or {})}
    child_env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [child_env.get("PYTHONPATH")])]
    )
    for name, value in ((KILL_AT_ENV, kill_at), (FILE_LIMIT_ENV, file_limit),
                        (LIMIT_AT_ENV, limit_at)):  # fmt: skip
        child_env.pop(name, None)
        if value is not None:
            child_env[name] = str(value)
    with tempfile.TemporaryDirectory(prefix="cmplanner-faults-") as scratch:
        log = Path(scratch) / "statements.json"
        child_env[STATEMENTS_ENV] = str(log)
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults", *args],
            capture_output=True, text=True, timeout=timeout, env=child_env, cwd=ROOT,
        )  # fmt: skip
        statements = json.loads(log.read_text()) if log.exists() else []
    return Run(done.returncode, done.stdout, done.stderr, statements)


def kill_points(statements: Sequence[str], count: int, *, marks: Sequence[str] = ()) -> list[int]:
    """Up to `count` kill points (1-based statement numbers) spread evenly over a run's
    statements, plus every statement starting with one of `marks` (say "BEGIN", "COMMIT",
    "CREATE") and the one just after it: the places where a transaction starts or ends."""
    total = len(statements)
    points = {1 + (i * (total - 1)) // max(count - 1, 1) for i in range(count)} if total else set()
    for n, sql in enumerate(statements, start=1):
        if sql.lstrip().upper().startswith(tuple(m.upper() for m in marks)):
            points.update({n, n + 1})
    return sorted(p for p in points if 1 <= p <= total)


def open_for_writing(
    path: Path,
    *,
    kill_at: int | None = None,
    file_limit: int | None = None,
    limit_at: int | None = None,
) -> Run:
    """Open the database at `path` for writing in a child, as every writer does (an older
    one is backed up, then upgraded), with `run_cli`'s faults: `cmplanner contacts list`
    does exactly that before it reads."""
    return run_cli(
        ["--db", str(path), "contacts", "list", "--json"],
        kill_at=kill_at, file_limit=file_limit, limit_at=limit_at,
    )  # fmt: skip


# --- the child ------------------------------------------------------------------------------


def _arm() -> None:
    """Count the statements of every SQLite connection this process makes; die at the chosen
    one. sqlite3.connect is looked up at call time by SQLAlchemy and by our own code."""
    import atexit
    import sqlite3
    import sqlite3.dbapi2  # what SQLAlchemy's pysqlite dialect calls

    kill_at = int(os.environ.get(KILL_AT_ENV) or 0)
    limit_at = int(os.environ.get(LIMIT_AT_ENV) or 0)
    log = os.environ.get(STATEMENTS_ENV)
    seen: list[str] = []
    real_connect = sqlite3.connect

    def tick(sql: str) -> None:
        seen.append(sql)
        if len(seen) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if len(seen) == limit_at:
            _limit_file_size()

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        con = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        con.set_trace_callback(tick)
        return con

    sqlite3.connect = sqlite3.dbapi2.connect = connect  # type: ignore[assignment]

    def save() -> None:
        _lift_file_size_limit()
        Path(log).write_text(json.dumps(seen))

    if log:
        atexit.register(save)


def _limit_file_size() -> None:
    """Writes past the limit fail with EFBIG (Python ignores SIGXFSZ), as they fail with
    ENOSPC on a full disk: SQLite rolls back the same way."""
    limit = os.environ.get(FILE_LIMIT_ENV)
    if limit:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a dead process

        _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), hard))


def _lift_file_size_limit() -> None:
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))


def main() -> int:
    _arm()
    if not os.environ.get(LIMIT_AT_ENV):
        _limit_file_size()
    from cmplanner.cli.main import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
