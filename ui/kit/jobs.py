"""The one way to run work in the background: a single database worker thread.

`run_in_background(fn, *args, on_success=..., on_failure=..., label=...)` runs `fn` on the
worker and calls back on the GUI thread. The job must never touch a widget. Errors go to
`ui.kit.errors.report` unless `on_failure` handles them. Tests call `set_executor()` with a
synchronous executor so jobs finish before `run_in_background` returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from ui.kit import errors

log = logging.getLogger(__name__)


class SynchronousExecutor(Executor):
    """Runs each job at once, in the caller's thread (for tests)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the callback
            future.set_exception(exc)
        return future


class BackgroundRunner(QObject):
    """Runs jobs one at a time on the database worker; reports back on the GUI thread."""

    busyChanged = Signal(str)  # the label of the running jobs, "" when idle
    _finished = Signal(object, object)  # (future, callbacks), marshalled to the GUI thread

    def __init__(self, executor: Executor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._labels: list[str] = []
        self._optional: set[Future[Any]] = set()  # queued jobs a quit may drop
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

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
        label: str = "",
        must_finish: bool = False,
    ) -> Future[Any]:
        self._labels.append(label)
        self._emit_busy()
        future = self.executor.submit(fn, *args)
        if not must_finish:
            self._optional.add(future)
        callbacks = (label, on_success, on_failure)
        if self.is_synchronous():
            self._on_finished(future, callbacks)
        else:
            future.add_done_callback(lambda f: self._finished.emit(f, callbacks))
        return future

    def _on_finished(self, future: Future[Any], callbacks: tuple[Any, ...]) -> None:
        label, on_success, on_failure = callbacks
        self._optional.discard(future)
        if label in self._labels:
            self._labels.remove(label)
        self._emit_busy()
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            if on_failure is not None:
                on_failure(exc)
            else:
                errors.report(exc)
            return
        if on_success is not None:
            try:
                on_success(future.result())
            except Exception as callback_error:  # a bug in a callback
                errors.report(callback_error)

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
    label: str = "",
    must_finish: bool = False,
) -> Future[Any]:
    """`must_finish`: a write, run to its end even when the app quits while it is queued."""
    return runner().run(
        fn,
        *args,
        on_success=on_success,
        on_failure=on_failure,
        label=label,
        must_finish=must_finish,
    )
