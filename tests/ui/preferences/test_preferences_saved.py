"""Preferences on the job runner: opening them reads nothing on the GUI thread (the pages wait,
disabled, for the values read on the worker, and OK before they come writes nothing); saving
is one write job whose Changes the runner publishes, so the dashboard follows."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from cmplanner.services import caldav_settings, preferences
from cmplanner.storage import Database
from tests.interop.mail_server import MemoryKeyring, memory_keyring
from ui.kit import jobs as tasks
from ui.preferences.dialog import PreferencesDialog
from ui.shell.main_window import MainWindow

__all__ = ["memory_keyring"]


def _record_threads(monkeypatch: pytest.MonkeyPatch, where: list[str]) -> None:
    """Every database access and keyring read appends the thread it ran on: "gui" or
    "worker"."""

    def recorded(original: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            on_gui = threading.current_thread() is threading.main_thread()
            where.append("gui" if on_gui else "worker")
            return original(*args, **kwargs)

        return call

    for name in ("read", "session", "transaction"):
        monkeypatch.setattr(Database, name, recorded(getattr(Database, name)))
    monkeypatch.setattr(MemoryKeyring, "get_password", recorded(MemoryKeyring.get_password))


@pytest.fixture
def worker_thread() -> Any:
    """The runner on a real worker thread, as in the app (the tests' default runs jobs at
    once on the GUI thread)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-db")
    tasks.set_executor(executor)
    yield executor
    tasks.runner().shutdown()
    tasks.set_executor(tasks.SynchronousExecutor())


def test_opening_preferences_reads_nothing_on_the_gui_thread(
    qtbot,
    empty_db: Database,
    memory_keyring: MemoryKeyring,
    worker_thread: ThreadPoolExecutor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    preferences.put(empty_db, preferences.IDENTITY_NAME, "Zoé Lefèvre")
    preferences.put(empty_db, preferences.PHONE_REGION, "BE")
    preferences.put(empty_db, "dashboard.cadence.sponsor", "200")
    caldav_settings.save(empty_db, "https://dav.example.org/cm/events/", "cm")
    caldav_settings.set_password("cm", "été-secret")
    preferences.put(empty_db, preferences.SMTP_HOST, "smtp.example.org")
    preferences.put(empty_db, preferences.SMTP_USER, "zoe")
    where: list[str] = []
    _record_threads(monkeypatch, where)

    dialog = PreferencesDialog(db=empty_db)
    qtbot.addWidget(dialog)
    # Until the saved values arrive, the pages show the defaults and cannot be edited…
    assert not dialog.identity.isEnabled() and not dialog.region.isEnabled()
    assert not dialog.dashboard.isEnabled()
    assert dialog.identity_name.text() == ""
    # …and OK writes nothing (the empty name would replace the saved one).
    assert dialog.save()
    qtbot.waitUntil(dialog.identity.isEnabled, timeout=5000)

    assert "gui" not in where  # not one read on the GUI thread
    assert "worker" in where
    assert dialog.identity_name.text() == "Zoé Lefèvre"
    assert dialog.chosen_region() == "BE"
    assert dialog.dashboard_numbers["dashboard.cadence.sponsor"].value() == 200
    assert dialog.caldav_url.text() == "https://dav.example.org/cm/events/"
    assert dialog.caldav_password.placeholderText() == "stored in the system keyring"
    assert dialog.smtp_host.text() == "smtp.example.org"
    assert dialog.smtp_password.placeholderText() == ""  # none stored for it
    assert dialog.region.isEnabled() and dialog.dashboard.isEnabled()
    assert preferences.get(empty_db, preferences.IDENTITY_NAME) == "Zoé Lefèvre"


def test_saving_is_one_write_on_the_worker(
    qtbot,
    empty_db: Database,
    worker_thread: ThreadPoolExecutor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = PreferencesDialog(db=empty_db)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.identity.isEnabled, timeout=5000)
    where: list[str] = []
    _record_threads(monkeypatch, where)
    dialog.identity_name.setText("Zoé Lefèvre")
    dialog.dashboard_numbers["dashboard.min_ambassadors"].setValue(4)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    tasks.runner().shutdown()  # waits for the write
    assert where and "gui" not in where
    assert preferences.get(empty_db, preferences.IDENTITY_NAME) == "Zoé Lefèvre"
    assert preferences.get(empty_db, "dashboard.min_ambassadors") == "4"


def test_a_new_region_with_a_wrong_identity_saves_nothing(qtbot, empty_db: Database) -> None:
    dialog = PreferencesDialog(db=empty_db)
    qtbot.addWidget(dialog)
    dialog.region.setCurrentIndex(dialog.region.findData("DE"))
    dialog.identity_name.setText("Zoé")
    dialog.identity_email.setText("zoe@@example")
    assert not dialog.save()
    assert dialog.page() == "identity"
    assert preferences.phone_region(empty_db) == "FR"
    assert preferences.get(empty_db, preferences.IDENTITY_NAME) == ""


def test_a_saved_dashboard_setting_reaches_the_dashboard(qtbot, window: MainWindow) -> None:
    view = window.view("dashboard")
    view.ensure_loaded()
    view.finish_building()
    assert view.dashboard is not None
    target = view.dashboard.settings.min_ambassadors + 3
    dialog = PreferencesDialog(window, db=window.db)
    qtbot.addWidget(dialog)
    dialog.set_page("dashboard")
    dialog.dashboard_numbers["dashboard.min_ambassadors"].setValue(target)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: view.dashboard.settings.min_ambassadors == target, timeout=3000)
