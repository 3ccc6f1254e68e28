"""The background runner: results come back on the GUI thread, errors reach the dialogs, the
Changes a job returns are published, only the latest keyed request counts, progress crosses to
the GUI thread, jobs can be cancelled."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from cmplanner.bus import Changes, Written, bus
from cmplanner.errors import StorageError
from ui.kit import errors
from ui.kit import jobs as tasks
from ui.kit.jobs import BackgroundRunner, run_in_background


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[object]]:
    shown: dict[str, list[object]] = {"message": [], "exception": []}
    monkeypatch.setattr(
        errors, "show_message", lambda text, title="": shown["message"].append(text)
    )
    monkeypatch.setattr(errors, "show_exception_dialog", lambda exc: shown["exception"].append(exc))
    return shown


def test_success_callback_gets_the_result() -> None:
    results: list[int] = []
    run_in_background(lambda a, b: a + b, 2, 3, on_success=results.append)
    assert results == [5]


def test_unexpected_error_goes_to_the_exception_dialog(dialogs) -> None:
    run_in_background(lambda: 1 / 0, label="Dividing")
    assert len(dialogs["exception"]) == 1
    assert isinstance(dialogs["exception"][0], ZeroDivisionError)
    assert dialogs["message"] == []


def test_user_error_shows_its_message(dialogs) -> None:
    def job() -> None:
        raise StorageError("The disk is full.")

    run_in_background(job)
    assert dialogs["message"] == ["The disk is full."]
    assert dialogs["exception"] == []


def test_a_full_disk_is_a_message_not_a_bug(dialogs) -> None:
    """SQLite's "database or disk is full" from a write job: said as such, in a message."""
    import sqlite3

    def job() -> None:
        con = sqlite3.connect(":memory:")
        con.execute("CREATE TABLE t (x)")
        con.execute("PRAGMA max_page_count = 2")
        con.execute("INSERT INTO t VALUES (zeroblob(100000))")

    run_in_background(job)
    assert dialogs["exception"] == []
    assert dialogs["message"] == [
        "The disk is full: nothing more can be written. Free some space, then try again."
    ]


def test_on_failure_handles_the_error_itself(dialogs) -> None:
    seen: list[BaseException] = []
    run_in_background(lambda: 1 / 0, on_failure=seen.append)
    assert isinstance(seen[0], ZeroDivisionError)
    assert dialogs["exception"] == []


def test_error_in_a_callback_is_reported(dialogs) -> None:
    run_in_background(lambda: 1, on_success=lambda _r: {}["missing"])
    assert isinstance(dialogs["exception"][0], KeyError)


def test_worker_thread_runs_jobs_and_calls_back_on_gui_thread(qtbot, dialogs) -> None:
    executor = ThreadPoolExecutor(max_workers=1)
    runner = BackgroundRunner(executor)
    gui_thread = threading.get_ident()
    job_threads: list[int] = []
    callback_threads: list[int] = []
    labels: list[str] = []
    runner.busyChanged.connect(labels.append)

    def job() -> str:
        job_threads.append(threading.get_ident())
        return "done"

    runner.run(
        job, on_success=lambda _r: callback_threads.append(threading.get_ident()), label="Working…"
    )
    qtbot.waitUntil(lambda: bool(callback_threads))
    assert job_threads[0] != gui_thread
    assert callback_threads == [gui_thread]
    assert labels[0] == "Working…" and labels[-1] == ""
    assert runner.is_idle()

    runner.run(lambda: 1 / 0)
    qtbot.waitUntil(lambda: bool(dialogs["exception"]))
    runner.shutdown()


def test_excepthook_logs_and_shows_the_dialog(dialogs, isolated_home) -> None:
    errors.setup_logging()
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        errors.excepthook(type(exc), exc, exc.__traceback__)
    assert isinstance(dialogs["exception"][0], RuntimeError)
    log = (isolated_home / "logs" / "cmplanner.log").read_text(encoding="utf-8")
    assert "RuntimeError: boom" in log


def test_set_executor_swaps_the_worker() -> None:
    tasks.set_executor(None)
    assert isinstance(tasks.runner().executor, ThreadPoolExecutor)
    tasks.runner().shutdown()
    tasks.set_executor(tasks.SynchronousExecutor())
    assert tasks.runner().is_synchronous()


def test_quitting_runs_the_queued_writes_and_drops_the_queued_reads() -> None:
    runner = BackgroundRunner(ThreadPoolExecutor(max_workers=1))
    started, release = threading.Event(), threading.Event()
    done: list[str] = []

    def slow_read() -> None:
        started.set()
        release.wait(5)
        done.append("running read")

    runner.run(slow_read)
    started.wait(5)
    read = runner.run(lambda: done.append("queued read"))
    write = runner.run(lambda: done.append("queued write"), must_finish=True)
    threading.Timer(0.1, release.set).start()
    runner.shutdown()  # the window closes while the worker is busy
    assert done == ["running read", "queued write"]  # a Save made before quitting is written
    assert read.future is not None and write.future is not None
    assert read.future.cancelled() and write.future.done() and not write.future.cancelled()


def test_an_undoable_edit_queued_when_quitting_is_written(monkeypatch) -> None:
    from ui.kit.undo import ServiceCommand

    runner = BackgroundRunner(ThreadPoolExecutor(max_workers=1))
    monkeypatch.setattr(tasks, "_runner", runner)
    started, release = threading.Event(), threading.Event()
    written: list[str] = []

    class Edit(ServiceCommand):
        def apply(self) -> Changes:
            written.append("edit")
            return Changes()

    def slow_read() -> None:
        started.set()
        release.wait(5)

    runner.run(slow_read)
    started.wait(5)
    Edit(None, "Edit").redo()  # type: ignore[arg-type]  # a Save, queued behind the read
    threading.Timer(0.1, release.set).start()
    runner.shutdown()
    assert written == ["edit"]


# -- what the runner does that views used to do by hand ---------------------------------------


class Heard:
    """Records what the bus publishes (and, with `then`, when)."""

    def __init__(self) -> None:
        self.changes: list[Changes] = []
        bus.subscribe(self.on_change)

    def on_change(self, changes: Changes) -> None:
        self.changes.append(changes)


def test_the_changes_a_job_returns_are_published_before_on_success() -> None:
    heard = Heard()
    order: list[str] = []
    bus.subscribe(hook := lambda _c: order.append("published"))
    run_in_background(
        lambda: Changes(contacts=frozenset({1})), on_success=lambda _r: order.append("success")
    )
    run_in_background(lambda: Written(7, Changes(tasks=frozenset({2}))), must_finish=True)
    run_in_background(lambda: [1, 2, 3])  # a read: nothing to publish
    run_in_background(Changes)  # nothing changed: nothing published
    assert heard.changes == [Changes(contacts=frozenset({1})), Changes(tasks=frozenset({2}))]
    assert order == ["published", "success", "published"]
    bus.unsubscribe(hook)


def test_a_failed_job_publishes_nothing(dialogs) -> None:
    heard = Heard()
    run_in_background(lambda: 1 / 0, on_failure=lambda _e: None)
    assert heard.changes == []


def test_only_the_latest_request_with_a_key_is_shown(qtbot) -> None:
    runner = BackgroundRunner(ThreadPoolExecutor(max_workers=1))
    release = threading.Event()
    shown: list[str] = []
    dropped: list[str] = []

    def slow(text: str) -> str:
        release.wait(5)
        return text

    runner.run(
        slow,
        "old",
        on_success=shown.append,
        on_cancelled=lambda: dropped.append("old"),
        key="search",
    )
    assert runner.pending("search")
    runner.run(slow, "new", on_success=shown.append, key="search")
    runner.run(slow, "other key", on_success=shown.append, key="other")
    release.set()
    qtbot.waitUntil(lambda: len(shown) == 2)
    qtbot.wait(50)
    assert shown == ["new", "other key"] and dropped == ["old"]
    assert not runner.pending("search")

    # drop(): no newer request, but the pending answer is not wanted any more.
    release.clear()
    runner.run(slow, "from the old database", on_success=shown.append, key="search")
    runner.drop("search")
    assert not runner.pending("search")
    release.set()
    qtbot.waitUntil(runner.is_idle)
    assert shown == ["new", "other key"]
    runner.shutdown()


def test_progress_is_relayed_to_the_gui_thread_while_the_job_counts(qtbot) -> None:
    runner = BackgroundRunner(ThreadPoolExecutor(max_workers=1))
    gui_thread = threading.get_ident()
    seen: list[tuple[int, int, int]] = []
    worker: list[int] = []

    def job(n: int, progress) -> int:  # type: ignore[no-untyped-def]
        worker.append(threading.get_ident())
        for done in range(n + 1):
            progress(done, n)
        return n

    results: list[int] = []
    runner.run(
        job,
        3,
        on_progress=lambda done, total: seen.append((done, total, threading.get_ident())),
        on_success=results.append,
    )
    qtbot.waitUntil(lambda: results == [3])
    assert worker[0] != gui_thread
    assert [(d, t) for d, t, _thread in seen] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert {thread for _d, _t, thread in seen} == {gui_thread}

    # A superseded request's progress is not shown either.
    release = threading.Event()
    late: list[int] = []

    def waiting(progress) -> None:  # type: ignore[no-untyped-def]
        release.wait(5)
        progress(1)

    runner.run(waiting, on_progress=late.append, key="layout")
    runner.run(lambda: None, key="layout")
    release.set()
    qtbot.waitUntil(runner.is_idle)
    qtbot.wait(50)
    assert late == []
    runner.shutdown()


def test_cancel_stops_a_read_at_its_next_progress_but_never_a_write(qtbot, dialogs) -> None:
    runner = BackgroundRunner(ThreadPoolExecutor(max_workers=1))
    heard = Heard()
    started, release = threading.Event(), threading.Event()
    steps: list[str] = []
    outcome: list[str] = []

    def long_read(progress) -> str:  # type: ignore[no-untyped-def]
        for n in range(3):
            if n == 1:
                started.set()
                release.wait(5)
            progress(n)
            steps.append(f"read {n}")
        return "read"

    read = runner.run(
        long_read,
        on_progress=lambda _n: None,
        on_success=outcome.append,
        on_cancelled=lambda: outcome.append("read cancelled"),
    )
    started.wait(5)
    read.cancel()
    release.set()
    qtbot.waitUntil(runner.is_idle)
    assert steps == ["read 0"] and outcome == ["read cancelled"]
    assert dialogs["exception"] == [] and dialogs["message"] == []

    def write(progress) -> Changes:  # type: ignore[no-untyped-def]
        started.wait(5)
        for n in range(3):
            progress(n)
            steps.append(f"write {n}")
        return Changes(events=frozenset({9}))

    started.clear()
    job = runner.run(
        write,
        on_progress=lambda _n: None,
        on_success=outcome.append,
        on_cancelled=lambda: outcome.append("write cancelled"),
        must_finish=True,
    )
    job.cancel()
    started.set()
    qtbot.waitUntil(runner.is_idle)
    assert steps[1:] == ["write 0", "write 1", "write 2"]  # a write runs to its end…
    assert outcome[-1] == "write cancelled"  # …its result is not shown…
    assert heard.changes == [Changes(events=frozenset({9}))]  # …but what it changed is said
    runner.shutdown()


def test_a_queued_job_cancelled_never_runs(qtbot) -> None:
    runner = BackgroundRunner(ThreadPoolExecutor(max_workers=1))
    release = threading.Event()
    ran: list[str] = []
    runner.run(release.wait, 5)
    queued = runner.run(lambda: ran.append("queued"))
    queued.cancel()
    release.set()
    qtbot.waitUntil(runner.is_idle)
    assert ran == [] and queued.cancelled
    runner.shutdown()
