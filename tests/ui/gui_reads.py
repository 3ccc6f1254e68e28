"""Catches the database statements the GUI thread runs itself, outside the job runner.

The UI tests run jobs synchronously (conftest.py: `SynchronousExecutor`), so a job's
statements run on the main thread too: `GuiThreadReads` swaps in an executor that marks
its jobs, and a statement counts as the GUI thread's when it runs on the main thread and
not inside a job. Both ways to the database are watched: SQLAlchemy's engines (the
`before_cursor_execute` event, for every engine) and plain `sqlite3` connections
(`Database.read()`, backups), whose opening is recorded too (opening a file is database
I/O) and whose statements are traced.

A statement is put on the account of the innermost frame in ui/ that led to it (its
`site`): one that no ui/ code led to is the test's own (setting up what it opens) and is
not counted.
"""

from __future__ import annotations

import sqlite3
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

import cmplanner
import ui
from ui.kit import jobs

UI_ROOT = Path(ui.__file__).resolve().parent
APP_ROOTS = (UI_ROOT, Path(cmplanner.__file__).resolve().parent)
ROOT = UI_ROOT.parent


@dataclass(frozen=True)
class Allowed:
    """Statements the GUI thread may run: those of `site` (the innermost ui/ frame,
    "ui/kit/models.py:_fetch_around") that went through `through` ("module.py:function",
    any frame of the app) when given."""

    site: str
    through: str = ""
    why: str = ""

    def covers(self, statement: Statement) -> bool:
        return statement.site == self.site and (
            not self.through or self.through in statement.frames
        )


@dataclass
class Statement:
    sql: str
    site: str  # "ui/shell/backup_schedule.py:close"
    frames: list[str]  # the app's frames that led to it ("ui/x.py:fn"), outermost first
    lines: list[str]  # the same with their line numbers
    during: str  # what the walk was doing (`GuiThreadReads.step`)

    def __str__(self) -> str:
        ui_lines = [line for line in self.lines if line.startswith("ui/")][-6:]
        return f"{self.site} [{self.during}]: {self.sql[:100]}\n      " + " ← ".join(
            reversed(ui_lines)
        )


@dataclass
class GuiThreadReads:
    allowed: tuple[Allowed, ...] = ()
    statements: list[Statement] = field(default_factory=list)  # not allowed ones
    seen_allowed: Counter[str] = field(default_factory=Counter)  # by `Allowed.site`
    in_jobs: int = 0  # statements run by jobs (the worker's)
    doing: str = ""
    _in_job: int = 0

    # -- recording -------------------------------------------------------------------------

    def record(self, sql: str) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        if self._in_job:
            self.in_jobs += 1
            return
        frames: list[tuple[str, str, int | None]] = []
        for frame in traceback.extract_stack()[:-1]:  # all but this one
            path = Path(frame.filename).resolve()
            if any(path.is_relative_to(root) for root in APP_ROOTS):
                frames.append((path.relative_to(ROOT).as_posix(), frame.name, frame.lineno))
        ui_frames = [f for f in frames if f[0].startswith("ui/")]
        if not ui_frames:
            return  # the test's own set-up
        statement = Statement(
            sql=" ".join(sql.split()),
            site=f"{ui_frames[-1][0]}:{ui_frames[-1][1]}",
            frames=[f"{module}:{name}" for module, name, _line in frames],
            lines=[f"{module}:{name}:{line}" for module, name, line in frames],
            during=self.doing,
        )
        rule = next((rule for rule in self.allowed if rule.covers(statement)), None)
        if rule is not None:
            self.seen_allowed[rule.site] += 1
        else:
            self.statements.append(statement)

    def sites(self) -> dict[str, list[Statement]]:
        """The statements not allowed, by site."""
        found: dict[str, list[Statement]] = {}
        for statement in self.statements:
            found.setdefault(statement.site, []).append(statement)
        return found

    def report(self, sites: set[str] | None = None) -> str:
        return "\n".join(f"  {s}" for s in self.statements if sites is None or s.site in sites)

    # -- hooks -----------------------------------------------------------------------------

    def _before_cursor_execute(self, _conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        self.record(sql)

    def _connect(self, real: Callable[..., sqlite3.Connection]) -> Callable[..., Any]:
        def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
            self.record(f"-- connect {database}")
            con = real(database, *args, **kwargs)
            con.set_trace_callback(self.record)
            return con

        return connect

    @contextmanager
    def watching(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[GuiThreadReads]:
        """Watch from here on. A connection opened before is not seen: open the database
        inside."""
        detector = self

        class MarkedExecutor(jobs.SynchronousExecutor):
            def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
                detector._in_job += 1
                try:
                    return super().submit(fn, *args, **kwargs)
                finally:
                    detector._in_job -= 1

        jobs.set_executor(MarkedExecutor())
        # SQLAlchemy connects through sqlite3.dbapi2.connect, left alone: its statements are
        # seen by the engine event, not twice.
        monkeypatch.setattr(sqlite3, "connect", self._connect(sqlite3.connect))
        event.listen(Engine, "before_cursor_execute", self._before_cursor_execute)
        try:
            yield self
        finally:
            event.remove(Engine, "before_cursor_execute", self._before_cursor_execute)
            jobs.set_executor(jobs.SynchronousExecutor())

    @contextmanager
    def step(self, doing: str) -> Iterator[None]:
        before, self.doing = self.doing, doing
        try:
            yield
        finally:
            self.doing = before
