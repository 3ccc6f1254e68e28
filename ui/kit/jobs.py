"""The one way to run work in the background: a single database worker thread.

`run_in_background(fn, *args, on_success=..., on_failure=..., label=...)` runs `fn` on the
worker and calls back on the GUI thread. The job must never touch a widget. Errors go to
`ui.kit.errors.report` unless `on_failure` handles them. Tests call `set_executor()` with a
synchronous executor so jobs finish before `run_in_background` returns.

What views would otherwise rebuild by hand, the runner does:

- The `Changes` a job returns (a `Changes`, or a result carrying them as `.changes`) are
  published on the bus, on the GUI thread, before `on_success` runs.
- `key=`: only the latest request's result is shown. A newer job with the same key (any
  hashable: `(self, "search")`) drops the older one's result (and its progress; queued, it
  never runs); `drop(key)` drops it without a new request, `pending(key)` says whether a
  result is still on its way.
- `on_progress=`: the job is called with a `progress` keyword, a callable it may call from
  the worker (`progress(done, total)`, any values); `on_progress` gets them on the GUI thread
  while the job's result is still wanted.
- `Job.cancel()`: the job's result is dropped, and a running job that is not a write
  (`must_finish`) stops at its next `progress()` call, which raises `Cancelled`.
- A dropped or cancelled job calls `on_cancelled` (if given) instead of its other callbacks;
  what a write changed is still published.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import CancelledError, Executor, Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from cmplanner.bus import bus, changes_of
from ui.kit import errors

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised by a cancelled job's `progress()` call: the job stops there."""


class SynchronousExecutor(Executor):
    """Runs each job at once, in the caller's thread (for tests)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the callback
            future.set_exception(exc)
        return future


class Job:
    """One request to the worker: its callbacks, and whether its result still counts."""

    _serials = itertools.count(1)

    def __init__(
        self,
        label: str,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        on_progress: Callable[..., None] | None,
        on_cancelled: Callable[[], None] | None,
        key: Hashable | None,
        must_finish: bool,
    ) -> None:
        self.serial = next(self._serials)
        self.label = label
        self.on_success, self.on_failure, self.on_progress = on_success, on_failure, on_progress
        self.on_cancelled = on_cancelled
        self.key = key
        self.must_finish = must_finish
        self.future: Future[Any] | None = None
        self.finished = False
        self.dropped = False  # its result is no longer wanted
        self._cancelled = threading.Event()  # read on the worker, set on the GUI thread

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def drop(self) -> None:
        """Its result (and progress) are no longer wanted; queued, it never runs."""
        self.dropped = True
        if self.future is not None and not self.must_finish:
            self.future.cancel()

    def cancel(self) -> None:
        """Drop it, and stop it at its next `progress()` call unless it is a write."""
        self._cancelled.set()
        self.drop()

    def progress_relay(self, emit: Callable[[Job, tuple[Any, ...]], None]) -> Callable[..., None]:
        def progress(*values: Any) -> None:
            if self.cancelled and not self.must_finish:
                raise Cancelled
            emit(self, values)

        return progress


class BackgroundRunner(QObject):
    """Runs jobs one at a time on the database worker; reports back on the GUI thread."""

    busyChanged = Signal(str)  # the label of the running jobs, "" when idle
    _finished = Signal(object)  # the Job, marshalled to the GUI thread
    _progressed = Signal(object, object)  # (Job, values): queued from the worker

    def __init__(self, executor: Executor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._labels: list[str] = []
        self._optional: set[Future[Any]] = set()  # queued jobs a quit may drop
        self._latest: dict[Hashable, Job] = {}
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        # Direct when emitted on the GUI thread (a synchronous executor), queued from the worker.
        self._progressed.connect(self._on_progress, Qt.ConnectionType.AutoConnection)

    @property
    def executor(self) -> Executor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmplanner-db")
        return self._executor

    def set_executor(self, executor: Executor | None) -> None:
        self._executor = executor

    def is_synchronous(self) -> bool:
        return isinstance(self._executor, SynchronousExecutor)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[..., None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        label: str = "",
        must_finish: bool = False,
        key: Hashable | None = None,
    ) -> Job:
        job = Job(label, on_success, on_failure, on_progress, on_cancelled, key, must_finish)
        if key is not None:
            older = self._latest.get(key)
            if older is not None:
                older.drop()
            self._latest[key] = job
        self._labels.append(label)
        self._emit_busy()
        kwargs: dict[str, Any] = {}
        if on_progress is not None:
            kwargs["progress"] = job.progress_relay(self._progressed.emit)
        job.future = self.executor.submit(fn, *args, **kwargs)
        if not must_finish:
            self._optional.add(job.future)
        if self.is_synchronous():
            self._on_finished(job)
        else:
            job.future.add_done_callback(lambda _f: self._finished.emit(job))
        return job

    def _on_progress(self, job: Job, values: tuple[Any, ...]) -> None:
        if job.finished or job.dropped or job.on_progress is None:
            return  # news arriving after the result, or of a request no longer wanted
        try:
            job.on_progress(*values)
        except Exception as callback_error:  # a bug in a callback
            errors.report(callback_error)

    def _on_finished(self, job: Job) -> None:
        future = job.future
        assert future is not None
        job.finished = True
        self._optional.discard(future)
        if job.key is not None and self._latest.get(job.key) is job:
            del self._latest[job.key]
        if job.label in self._labels:
            self._labels.remove(job.label)
        self._emit_busy()
        try:
            result = future.result()
        except (CancelledError, Cancelled):
            self._dropped(job)
            return
        except BaseException as exc:
            if job.dropped:
                self._dropped(job)  # a newer request's answer is the one shown
            elif job.on_failure is not None:
                job.on_failure(exc)
            else:
                errors.report(exc)
            return
        changes = changes_of(result)
        if changes:
            bus.publish(changes)  # even for a dropped result: the write happened
        if job.dropped:
            self._dropped(job)
        elif job.on_success is not None:
            try:
                job.on_success(result)
            except Exception as callback_error:  # a bug in a callback
                errors.report(callback_error)

    @staticmethod
    def _dropped(job: Job) -> None:
        if job.on_cancelled is not None:
            try:
                job.on_cancelled()
            except Exception as callback_error:  # a bug in a callback
                errors.report(callback_error)

    def drop(self, key: Hashable) -> None:
        """The result of the pending request under `key` is no longer wanted."""
        job = self._latest.pop(key, None)
        if job is not None:
            job.drop()

    def pending(self, key: Hashable) -> bool:
        """Whether the latest request under `key` has not answered yet."""
        return key in self._latest

    def _emit_busy(self) -> None:
        self.busyChanged.emit(next((lbl for lbl in reversed(self._labels) if lbl), ""))

    def is_idle(self) -> bool:
        return not self._labels

    def shutdown(self) -> None:
        """On quit: drop the queued reads, wait for the running job and for every write
        (`must_finish`): an edit saved just before quitting is never lost."""
        if self._executor is not None and not self.is_synchronous():
            for future in list(self._optional):
                future.cancel()
            self._executor.shutdown(wait=True)
            self._executor = None


_runner: BackgroundRunner | None = None
_pending_executor: Executor | None = None


def runner() -> BackgroundRunner:
    global _runner
    if _runner is None:
        _runner = BackgroundRunner(_pending_executor)
    return _runner


def set_executor(executor: Executor | None) -> None:
    """Swap the worker (tests pass `SynchronousExecutor()`); None restores the thread."""
    global _pending_executor
    _pending_executor = executor
    if _runner is not None:
        _runner.set_executor(executor)


def run_in_background(
    fn: Callable[..., Any],
    *args: Any,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_progress: Callable[..., None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    label: str = "",
    must_finish: bool = False,
    key: Hashable | None = None,
) -> Job:
    """`must_finish`: a write, run to its end even when the app quits while it is queued.
    `key`, `on_progress`, `on_cancelled`: see the module's docstring."""
    return runner().run(
        fn,
        *args,
        on_success=on_success,
        on_failure=on_failure,
        on_progress=on_progress,
        on_cancelled=on_cancelled,
        label=label,
        must_finish=must_finish,
        key=key,
    )


def drop(key: Hashable) -> None:
    runner().drop(key)


def pending(key: Hashable) -> bool:
    return runner().pending(key)
