"""The GUI thread does no database reads besides the list models' visible-row fetches: the
whole app walked as a person goes through it, watched by `GuiThreadReads`
(tests/ui/gui_reads.py), every other read on the job runner (ui/kit/jobs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget
from sqlalchemy import text

from cmplanner.storage import Database
from cmplanner.storage import backup as backups
from tests.ui import editors
from tests.ui.conftest import discard_open_editors
from tests.ui.editors import SERIES
from tests.ui.gui_reads import UI_ROOT, Allowed, GuiThreadReads
from tests.ui.test_laptop_screen import Opener, _openers, look_at_what_opens
from ui.shell.main_window import MainWindow
from ui.shell.sections import SECTION_KEYS

ALLOWED = (
    # What the issue allows: the list models fetch the rows on screen, a batch of ids at a
    # time, as the view paints them.
    Allowed("ui/kit/models.py:_fetch_around", why="the list models' visible-row fetches"),
    # Start-up, before app.exec(): opening the database (creating, migrating, backing up an
    # older one) and, when it is locked, asking the window that has it, come before there
    # is any window to keep responsive. (The walk opens the database itself, as run() does.)
    Allowed("ui/shell/app.py:run", why="opening the database, before the event loop"),
    # Quitting: the database is closed (its log folded back in the file) once the worker
    # has stopped (`runner().shutdown()`): nothing is left on screen to answer, and no job
    # may still use it. The counterpart of opening it.
    Allowed(
        "ui/shell/main_window.py:closeEvent",
        through="cmplanner/storage/database.py:close",
        why="closing the database, after the worker has stopped",
    ),
)

# Reads still done on the GUI thread, by site ("ui/module.py:function"), and why they are not
# moved yet: the walk must find exactly these (a new one fails the test, and so does one
# moved without being taken off this list).
NOT_YET_MOVED: dict[str, str] = {}


def _every_tab(shown: list[QWidget]) -> list[str]:
    """Each page of the tabs of what opened, shown in turn (a page may read when shown)."""
    for window in shown:
        for tabs in window.findChildren(QTabWidget):
            current = tabs.currentIndex()
            for index in range(tabs.count()):
                if tabs.isTabEnabled(index):
                    tabs.setCurrentIndex(index)
                    QApplication.processEvents()
            tabs.setCurrentIndex(current)
    return []


def _guest_search(window: MainWindow) -> None:
    window.show_section("events")
    window.view("events").open_record(SERIES)
    finder = window.view("events").editor.guests_panel.finder
    finder.search.setText("mar")
    finder.run_search()


def _occurrence(window: MainWindow) -> None:
    window.show_section("calendar")
    calendar = window.view("calendar")
    calendar.set_mode("month")
    calendar.open_occurrence(calendar.occurrences()[0])


MORE_OPENERS = (
    Opener("check-in, a date chosen", QWidget, editors.check_in),
    Opener("event editor, a guest searched for", QWidget, _guest_search),
    Opener("an occurrence from the calendar", QWidget, _occurrence),
)


def edit_undo_redo(qtbot: Any, window: MainWindow) -> None:
    """A contact's notes saved, undone, redone: writes go through the runner too."""
    window.show_section("contacts")
    view = window.view("contacts")
    view.open_contact(view.model.ids()[0])
    editor = view.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.details is not None)
    editor.notes.setPlainText("Met at the repair café.")
    editor.save_button.click()
    qtbot.waitUntil(lambda: not editor.isVisible())
    window.commands["undo"].trigger()
    window.commands["redo"].trigger()


def walk(qtbot: Any, reads: GuiThreadReads, demo_path: Path) -> None:
    """Start, go through every section and every editor and dialog, and quit."""
    with reads.step("opening the database"):
        db = Database.open(demo_path)
    with reads.step("opening the main window"):
        window = MainWindow(db)
        qtbot.addWidget(window, before_close_func=discard_open_editors)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.first_view_filled)
    with reads.step("reminders"):
        window.start_reminders()
    for key in SECTION_KEYS:
        with reads.step(f"section {key}"):
            window.show_section(key)
            view = window.view(key)
            table = getattr(view, "table", None)
            if table is not None and table.model().rowCount():
                table.selectRow(0)
            search = getattr(view, "search", None)
            if search is not None and search.isVisible():
                search.setText("a")
                view._search_now()
                search.clear()
                view._search_now()
            qtbot.wait(1)
    calendar = window.view("calendar")
    window.show_section("calendar")
    for mode in ("month", "week", "agenda"):
        with reads.step(f"calendar, {mode}"):
            calendar.set_mode(mode)
            calendar.step(1)
            calendar.step(-1)
            qtbot.wait(1)
    for opener in (*_openers(), *MORE_OPENERS):
        with reads.step(opener.name):
            look_at_what_opens(qtbot, window, opener, _every_tab)
    with reads.step("editing, undoing, redoing"):
        edit_undo_redo(qtbot, window)
    for path in (demo_path.with_name("another.cmplanner"), demo_path):
        with reads.step(f"switching to {path.name}"):
            window.switch_database(path)
            qtbot.waitUntil(lambda path=path: window.db.path == path.resolve())
            window.show_section("events")
    with reads.step("quitting"):
        window.backup_on_close = True
        window.close()
    assert [b.reason for b in backups.list_backups(demo_path)] == ["on-close"]


def test_the_gui_thread_reads_only_the_rows_on_screen(
    qtbot: Any, demo_path: Path, frozen_clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = GuiThreadReads(ALLOWED)
    with reads.watching(monkeypatch):
        walk(qtbot, reads, demo_path)
    found = reads.sites()
    unexpected = set(found) - set(NOT_YET_MOVED)
    assert not unexpected, "the GUI thread reads the database:\n" + reads.report(unexpected)
    moved = set(NOT_YET_MOVED) - set(found)
    assert not moved, f"moved to the runner? take them off NOT_YET_MOVED: {sorted(moved)}"
    # The detector saw the rest: the jobs' reads, and the rows the lists showed.
    assert reads.in_jobs > 100
    assert reads.seen_allowed["ui/kit/models.py:_fetch_around"] > 0


PROBE = """
def read(db):
    with db.read() as con:
        con.execute("SELECT count(*) FROM contact").fetchone()
    with db.session() as session:
        session.execute(query).all()
"""


def test_a_read_from_the_ui_on_the_gui_thread_is_caught(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways to the database, from a function the detector takes for one of ui/'s."""
    probe: dict[str, Any] = {"query": text("SELECT count(*) FROM event")}
    exec(compile(PROBE, str(UI_ROOT / "kit" / "probe.py"), "exec"), probe)
    reads = GuiThreadReads(ALLOWED)
    with reads.watching(monkeypatch):
        db = Database.open(demo_path)
        try:
            probe["read"](db)
            assert [s.sql for s in reads.statements if s.sql.startswith("SELECT")] == [
                "SELECT count(*) FROM contact",
                "SELECT count(*) FROM event",
            ]
            assert {s.site for s in reads.statements} == {"ui/kit/probe.py:read"}
            reads.statements.clear()
            from ui.kit.jobs import run_in_background

            run_in_background(probe["read"], db)  # on the worker: not the GUI thread's
            assert reads.statements == [] and reads.in_jobs >= 2
        finally:
            db.close()
