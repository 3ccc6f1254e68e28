"""The background runner: results come back on the GUI thread, errors reach the dialogs."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

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
    assert read.cancelled() and write.done() and not write.cancelled()


def test_an_undoable_edit_queued_when_quitting_is_written(monkeypatch) -> None:
    from ui.kit.undo import ServiceCommand

    runner = BackgroundRunner(ThreadPoolExecutor(max_workers=1))
    monkeypatch.setattr(tasks, "_runner", runner)
    started, release = threading.Event(), threading.Event()
    written: list[str] = []

    class Edit(ServiceCommand):
        def apply(self) -> None:
            written.append("edit")

    def slow_read() -> None:
        started.set()
        release.wait(5)

    runner.run(slow_read)
    started.wait(5)
    Edit(None, "Edit").redo()  # type: ignore[arg-type]  # a Save, queued behind the read
    threading.Timer(0.1, release.set).start()
    runner.shutdown()
    assert written == ["edit"]
