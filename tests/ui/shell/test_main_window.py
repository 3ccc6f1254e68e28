"""The main window as a user meets it: sections, search, sorting, live refresh, backups."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cmplanner.bus import EVERYTHING, Changes, bus
from cmplanner.model import Contact
from cmplanner.storage import backup
from cmplanner.storage.backup import create_backup, list_backups
from ui.kit import jobs as tasks
from ui.kit import settings
from ui.kit.models import ValueRole
from ui.shell.main_window import MainWindow
from ui.shell.sections import SECTIONS


def add_contact(window: MainWindow, given: str, family: str) -> int:
    with window.db.transaction() as session:
        contact = Contact(given_name=given, family_name=family)
        session.add(contact)
        session.flush()
        assert contact.id is not None
        return contact.id


def test_every_section_shows_rows(window: MainWindow) -> None:
    for number, (key, _label, _view) in enumerate(SECTIONS, start=1):
        window.commands[f"section:{key}"].trigger()
        view = window.current_view()
        assert window.stack.currentWidget() is view
        assert window.sidebar.currentRow() == number - 1
        assert view.row_count() > 0, key
        first = view.model.index(0, 1)
        assert view.model.data(first), key
        assert view.table.isVisible() and view.table.isVisibleTo(window)
        assert window.count_label.text()


def test_status_bar_shows_database_and_count(window: MainWindow) -> None:
    window.show_section("contacts")
    assert window.path_label.whole == str(window.db.path)  # "…" in the middle if it is long
    assert str(window.db.path) in window.path_label.toolTip()
    n = window.view("contacts").row_count()
    assert window.count_label.text() == f"{n} contacts"


def test_search_filters_rows(window: MainWindow, qtbot) -> None:
    window.show_section("contacts")
    view = window.view("contacts")
    total = view.row_count()
    family = view.model.data(view.model.index(0, 1))
    view.search.setText(family)
    qtbot.waitUntil(lambda: view.row_count() < total)
    for row in range(view.row_count()):
        values = [str(view.model.index(row, c).data(ValueRole) or "") for c in range(3)]
        assert any(family.lower() in v.lower() for v in values)

    view.search.setText("zzzz-nobody")
    qtbot.waitUntil(lambda: view.row_count() == 0)
    assert view.pages.currentWidget() is view.empty
    assert "zzzz-nobody" in view.empty.text()

    view.search.clear()
    qtbot.waitUntil(lambda: view.row_count() == total)
    assert view.pages.currentWidget() is view.table


def test_sorting_by_header_changes_order(window: MainWindow) -> None:
    window.show_section("contacts")
    view = window.view("contacts")
    header = view.table.horizontalHeader()
    keys = view.listing.column_keys()

    header.sectionClicked.emit(keys.index("given_name"))
    by_first = [view.model.index(r, 0).data() for r in range(view.row_count())]
    assert by_first == sorted(by_first, key=str.lower)
    assert header.sortIndicatorSection() == keys.index("given_name")

    header.sectionClicked.emit(keys.index("given_name"))
    descending = [view.model.index(r, 0).data() for r in range(view.row_count())]
    assert descending == sorted(by_first, key=str.lower, reverse=True)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    ids_before = view.model.ids()
    header.sectionClicked.emit(keys.index("email"))  # not sortable: nothing moves
    assert view.model.ids() == ids_before
    assert header.sortIndicatorSection() == keys.index("given_name")


def test_bus_changes_refresh_only_the_views_that_show_them(window: MainWindow, qtbot) -> None:
    window.show_section("contacts")
    view = window.view("contacts")
    before = view.row_count()
    new_id = add_contact(window, "Zélie", "Zyx")

    bus.publish(Changes(tasks=frozenset({1})))
    QApplication.processEvents()
    assert view.row_count() == before

    bus.publish(Changes(contacts=frozenset({new_id})))
    qtbot.waitUntil(lambda: view.row_count() == before + 1)
    assert new_id in view.model.ids()


def test_find_focuses_the_current_search_box(window: MainWindow, qtbot) -> None:
    window.show_section("organizations")
    window.activateWindow()
    window.commands["find"].trigger()
    view = window.view("organizations")
    qtbot.waitUntil(lambda: view.search.hasFocus())


def test_shortcuts_are_assigned(window: MainWindow) -> None:
    expected = {
        "new_item": "Ctrl+N",
        "new": "Ctrl+Shift+N",
        "preview": "Ctrl+P",
        "help": "F1",
        "open": "Ctrl+O",
        "backup": "Ctrl+B",
        "preferences": "Ctrl+,",
        "quit": "Ctrl+Q",
        "undo": "Ctrl+Z",
        "redo": "Ctrl+Shift+Z",
        "find": "Ctrl+F",
        "section:dashboard": "Ctrl+1",
        "section:tasks": "Ctrl+7",
    }
    for key, shortcut in expected.items():
        assert window.commands[key].shortcut().toString() == shortcut, key
    assert window.commands["new_contact"].shortcut().isEmpty()  # Ctrl+N makes it in Contacts
    assert window.undo_stack.count() == 0
    assert not window.commands["undo"].isEnabled()


def test_backup_now_creates_a_backup(window: MainWindow) -> None:
    assert list_backups(window.db.path) == []
    window.commands["backup"].trigger()
    backups = list_backups(window.db.path)
    assert len(backups) == 1 and backups[0].reason == "manual"
    assert backups[0].path.name in window.statusBar().currentMessage()


def test_restore_brings_back_the_backup_and_reloads(window: MainWindow, qtbot) -> None:
    window.show_section("contacts")
    view = window.view("contacts")
    before = view.row_count()
    backup = create_backup(window.db.path)
    new_id = add_contact(window, "Temporaire", "Aoublier")
    bus.publish(Changes(contacts=frozenset({new_id})))
    qtbot.waitUntil(lambda: view.row_count() == before + 1)

    window.restore(backup)
    qtbot.waitUntil(lambda: view.row_count() == before)
    reasons = {b.reason for b in list_backups(window.db.path)}
    assert "before-restore" in reasons


def test_everything_reloads_views_already_loaded(window: MainWindow, qtbot) -> None:
    window.show_section("tasks")
    tasks_view = window.view("tasks")
    tasks_view.model.set_ids([])
    bus.publish(EVERYTHING)
    qtbot.waitUntil(lambda: tasks_view.row_count() > 0)


def test_switching_database_reloads_every_view(window: MainWindow, tmp_path: Path) -> None:
    window.show_section("contacts")
    old = window.db
    new_path = tmp_path / "fresh.cmplanner"
    window.switch_database(new_path)
    assert window.db is not old
    assert window.db.path == new_path.resolve()
    view = window.view("contacts")
    assert view.row_count() == 0
    assert view.pages.currentWidget() is view.empty
    assert view.empty.text() == "No contacts yet."
    assert settings.app_settings().value(settings.LAST_DATABASE) == str(new_path.resolve())
    assert new_path.name in window.windowTitle()
    window.show_section("events")
    assert window.view("events").row_count() == 0


def test_window_state_is_remembered(qtbot, demo_db, frozen_clock) -> None:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.backup_on_close = False
    win.show()
    win.show_section("communities")
    win.close()
    store = settings.app_settings()
    assert store.value(settings.SECTION) == "communities"
    assert store.value(settings.GEOMETRY) is not None
    assert store.value(settings.LAST_DATABASE) == str(demo_db.path)


def test_dashboard_counts_records(window: MainWindow) -> None:
    dashboard = window.view("dashboard")
    assert dashboard.counts["contacts"] == len(window.view("contacts").listing.ids(window.db))
    assert dashboard._numbers["contacts"].text() == str(dashboard.counts["contacts"])


def test_calendar_shows_the_month_of_today(window: MainWindow) -> None:
    window.show_section("calendar")
    calendar = window.view("calendar")
    assert calendar.row_count() > 0
    assert calendar.title_text() == "November 2026"


def test_sections_are_built_when_first_shown(window: MainWindow) -> None:
    assert set(window.views) == {"dashboard"}
    window.show_section("tasks")
    assert set(window.views) == {"dashboard", "tasks"}


def test_scheduled_backup_only_when_due(window: MainWindow) -> None:
    window.backup_if_due()
    assert [b.reason for b in list_backups(window.db.path)] == ["scheduled"]
    window.backup_if_due()  # the clock is frozen: the last backup is 0 minutes old
    assert len(list_backups(window.db.path)) == 1


def test_closing_backs_up_when_due(qtbot, demo_db, frozen_clock) -> None:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    path = demo_db.path
    win.close()
    assert [b.reason for b in list_backups(path)] == ["on-close"]


def test_the_backup_on_quitting_is_the_worker_s_last_job(
    qtbot, demo_db, frozen_clock, monkeypatch
) -> None:
    """Made on the worker, after the write queued before quitting: the backup holds it."""
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    tasks.set_executor(None)  # the worker thread, as when the app runs
    gui = threading.get_ident()
    done: list[tuple[str, bool]] = []
    make_backup = backup.create_backup

    def create_backup_on(path: Path, reason: str) -> Path:
        done.append(("backup", threading.get_ident() != gui))
        return make_backup(path, reason)

    monkeypatch.setattr(backup, "create_backup", create_backup_on)
    started, release = threading.Event(), threading.Event()

    def slow_write() -> None:
        started.set()
        release.wait(5)
        done.append(("write", threading.get_ident() != gui))

    tasks.run_in_background(slow_write, must_finish=True)
    assert started.wait(5)
    threading.Timer(0.1, release.set).start()
    win.close()
    assert done == [("write", True), ("backup", True)]
    assert [b.reason for b in list_backups(demo_db.path)] == ["on-close"]
