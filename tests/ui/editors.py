"""Every editor and data-entry dialog, opened on the demo database as a user opens it (for the
tests that go through all of them: unsaved changes, Tab order, Ctrl+S)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from ui.shell.main_window import MainWindow

SERIES = 1  # the demo's weekly "Apéro du jeudi"
WORKSHOP = 4  # "Atelier « premiers pas »"


def _shown(dialog: Any) -> Any:
    """On screen and the active window, as when a person opens it."""
    if not dialog.isVisible():
        dialog.show()
    dialog.activateWindow()
    deadline = time.monotonic() + 10  # a busy machine (the suite on every core) is slow
    while QApplication.activeWindow() is not dialog and time.monotonic() < deadline:
        QTest.qWait(5)
    assert QApplication.activeWindow() is dialog
    return dialog


def contact_editor(window: MainWindow) -> Any:
    window.show_section("contacts")
    view = window.view("contacts")
    view.open_contact(view.model.ids()[0])
    return _shown(view.editor)


def new_contact_editor(window: MainWindow) -> Any:
    window.show_section("contacts")
    view = window.view("contacts")
    view.open_contact(None)
    return _shown(view.editor)


def _record_editor(window: MainWindow, section: str, record_id: int | None) -> Any:
    window.show_section(section)
    view = window.view(section)
    view.open_record(view.model.ids()[0] if record_id == 0 else record_id)
    return _shown(view.editor)


def organization_editor(window: MainWindow) -> Any:
    return _record_editor(window, "organizations", 0)


def community_editor(window: MainWindow) -> Any:
    return _record_editor(window, "communities", 0)


def event_editor(window: MainWindow) -> Any:
    return _record_editor(window, "events", SERIES)


def new_event_editor(window: MainWindow) -> Any:
    return _record_editor(window, "events", None)


def task_templates(window: MainWindow) -> Any:
    window.show_section("events")
    view = window.view("events")
    view.open_templates("interview")
    return _shown(view.templates_dialog)


def preferences(window: MainWindow) -> Any:
    from ui.preferences.dialog import PreferencesDialog

    return _shown(PreferencesDialog(window, db=window.db))


def promise(window: MainWindow) -> Any:
    from ui.communities.commitments import PromiseDialog

    return _shown(PromiseDialog([("Adrien André", {"contact_id": 1})], window))


def task(window: MainWindow) -> Any:
    from ui.checklists.view import TaskDialog

    window.show_section("tasks")
    return _shown(TaskDialog(window.view("tasks").choices, window))


def checklist_task(window: MainWindow) -> Any:
    import datetime as dt

    from ui.events.checklist import TaskEditor

    return _shown(TaskEditor(None, dt.date(2026, 11, 19), window))


def work(window: MainWindow) -> Any:
    from ui.dashboard.actions import WorkDialog

    return _shown(WorkDialog([(1, "Vélo Lyon")], window))


def interaction(window: MainWindow) -> Any:
    from ui.contacts.editor import InteractionDialog

    return _shown(InteractionDialog("Adrien André", window))


def close_event(window: MainWindow) -> Any:
    from ui.events.closing import open_close_event

    return _shown(open_close_event(window.db, window.undo_stack.push, SERIES, parent=window))


def debrief(window: MainWindow) -> Any:
    from cmplanner.services import closing
    from ui.events.closing import DebriefDialog

    plan = closing.closing_plan(window.db, SERIES, None)
    return _shown(DebriefDialog(window.db, window.undo_stack.push, plan, None, window))


def check_in(window: MainWindow) -> Any:
    from ui.events.checkin import open_checkin

    door = _shown(open_checkin(WORKSHOP, db=window.db, parent=window))
    # The workshop was on 1 November: the door asks which date, then takes arrivals.
    door.date_box.setCurrentIndex(1)
    door.date_box.activated.emit(1)
    return door


def import_wizard(window: MainWindow) -> Any:
    from ui.contacts.files import ImportWizard

    return _shown(ImportWizard(window.db, window))


ALL: dict[str, Callable[[MainWindow], QDialog]] = {
    "contact": contact_editor,
    "new contact": new_contact_editor,
    "organization": organization_editor,
    "community": community_editor,
    "event": event_editor,
    "new event": new_event_editor,
    "task templates": task_templates,
    "preferences": preferences,
    "promise": promise,
    "task": task,
    "checklist task": checklist_task,
    "online work": work,
    "interaction": interaction,
    "close the event": close_event,
    "debrief": debrief,
    "check-in": check_in,
    "import wizard": import_wizard,
}
