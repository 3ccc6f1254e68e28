"""What the home screen's rows and buttons do: open a record, act on someone drifting away,
fix a readiness item, log online work, export the page. Each write is an undoable command
pushed through the view (the window's undo stack). The ORM-backed modules are imported here,
on a click, never on the start-up path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from cmplanner import clock
from cmplanner.i18n import _
from ui.kit import file_dialogs
from ui.kit.date_fields import date_edit
from ui.kit.jobs import run_in_background
from ui.kit.unsaved import UnsavedChangesGuard

if TYPE_CHECKING:
    from ui.dashboard.view import DashboardView


def _window_view(view: DashboardView, key: str) -> Any:
    """Another section of the main window (None when the dashboard stands alone)."""
    window = view.window()
    getter = getattr(window, "view", None)
    return getter(key) if callable(getter) else None


def _say(view: DashboardView, text: str) -> None:
    view.last_message = text
    show = getattr(view.window(), "show_message", None)
    if callable(show):
        show(text)


# --- opening records --------------------------------------------------------------------------


def open_event(view: DashboardView, event_id: int | None) -> None:
    events = _window_view(view, "events")
    if events is not None and event_id is not None:
        events.open_record(event_id)


def open_contact(view: DashboardView, contact_id: int | None) -> None:
    contacts = _window_view(view, "contacts")
    if contacts is not None and contact_id is not None:
        contacts.open_contact(contact_id)


def open_due(view: DashboardView, row: Any) -> None:
    """A task or a date to confirm opens its event; a promise its event, else its person,
    else its community. A task without an event shows the Tasks section."""
    record = row.record
    if row.kind == "task":
        if record.event_id is not None:
            open_event(view, record.event_id)
        else:
            window = view.window()
            if hasattr(window, "show_section"):
                window.show_section("tasks")
    elif row.kind == "commitment":
        if record.event_id is not None:
            open_event(view, record.event_id)
        elif record.contact_id is not None:
            open_contact(view, record.contact_id)
        elif record.community_id is not None:
            open_community(view, record.community_id)
    else:
        open_event(view, record.event_id)


def open_community(view: DashboardView, community_id: int, focus: str = "") -> None:
    """The community editor, its `focus` field ("objective", "target", "launch", "members")
    ready to type in."""
    communities = _window_view(view, "communities")
    if communities is None or view.db is None:
        return

    def show(details: Any) -> None:
        editor = communities.make_editor(details)
        communities.editor = editor
        view.editor = editor
        editor.open()
        widget = {
            "objective": getattr(editor, "objective", None),
            "target": getattr(editor, "target", None),
            "launch": getattr(editor, "launched", None),
            "members": getattr(editor, "add_button", None),
        }.get(focus)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    run_in_background(
        communities.details, view.db, community_id, on_success=show, label=_("Opening…")
    )


def plan_event(view: DashboardView, community_id: int) -> None:
    """A new event, already in the community."""
    events = _window_view(view, "events")
    if events is None or view.db is None:
        return

    def show(details: Any) -> None:
        editor = events.make_editor(details)
        events.editor = editor
        view.editor = editor
        combo = getattr(editor, "community", None)
        if combo is not None:
            combo.setCurrentIndex(max(0, combo.findData(community_id)))
        editor.open()

    run_in_background(events.details, view.db, None, on_success=show, label=_("Opening…"))


def fix_readiness(view: DashboardView, community_id: int, action: str) -> None:
    if action == "event":
        plan_event(view, community_id)
    elif action.startswith("editor:"):
        open_community(view, community_id, action.split(":", 1)[1])


# --- drifting away ----------------------------------------------------------------------------


def log_interaction(view: DashboardView, person: Any) -> None:
    from ui.contacts import commands
    from ui.contacts.editor import InteractionDialog

    if view.db is None:
        return
    dialog = InteractionDialog(person.name, view)
    view.dialog = dialog
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    command = commands.AddInteraction(view.db, person.contact_id, person.name, dialog.values())
    command.on_done = lambda _c: _say(
        view, _("Interaction with {name} logged.").format(name=person.name)
    )
    view.push(command)


def next_event_of(view: DashboardView, community_id: int | None) -> Any:
    """The community's next event (an UpcomingEvent), from the figures shown."""
    dashboard = view.dashboard
    if dashboard is None or community_id is None:
        return None
    for c in dashboard.communities:
        if c.community_id == community_id:
            return c.next_event
    return None


def invite_to_next_event(view: DashboardView, person: Any) -> None:
    from ui.events.guest_commands import AddGuests

    if view.db is None:
        return
    event = next_event_of(view, person.community_id)
    if event is None:
        where = person.community or _("their community")
        QMessageBox.information(
            view,
            _("No event to invite to"),
            _("{community} has no event planned. Plan one first, then invite {name}.").format(
                community=where, name=person.name
            ),
        )
        return
    command = AddGuests(view.db, event.event_id, [person.contact_id])
    command.on_done = lambda _c: _say(view, command.report(event.title))
    view.push(command)


def add_task(view: DashboardView, person: Any) -> None:
    """The Tasks section's dialog, the title and the due date already written."""
    from cmplanner.services import tasks as task_service

    if view.db is None:
        return
    run_in_background(
        task_service.filter_choices,
        view.db,
        on_success=lambda choices: _task_dialog(view, person, choices),
        label=_("Opening…"),
    )


def _task_dialog(view: DashboardView, person: Any, choices: Any) -> None:
    from ui.checklists.commands import AddTask
    from ui.checklists.view import TaskDialog

    dialog = TaskDialog(choices, view)
    view.dialog = dialog
    dialog.title.setText(_("Get back in touch with {name}").format(name=person.name))
    dialog.has_due.setChecked(True)
    index = dialog.assignee.findData(None)
    if index >= 0:
        dialog.assignee.setCurrentIndex(index)
    if dialog.exec() != QDialog.DialogCode.Accepted or view.db is None:
        return
    command = AddTask(view.db, dialog.data())
    command.on_done = lambda _c: _say(
        view, _("Task added: {title}").format(title=dialog.data().title)
    )
    view.push(command)


def act(view: DashboardView, person: Any, key: str) -> None:
    {"interaction": log_interaction, "invite": invite_to_next_event, "task": add_task}[key](
        view, person
    )


# --- online work ------------------------------------------------------------------------------


class WorkDialog(UnsavedChangesGuard, QDialog):
    """Time spent working online (preparing, writing, animating a group): day, duration,
    community, a note."""

    def __init__(self, communities: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workDialog")
        self.setWindowTitle(_("Log online work"))
        self.day = date_edit(self)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(5, 24 * 60)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(60)
        self.minutes.setSuffix(_(" min"))
        self.community = QComboBox(self)
        self.community.addItem(_("No community"), None)
        for cid, name in communities:
            self.community.addItem(name, cid)
        self.notes = QLineEdit(self)
        self.notes.setPlaceholderText(_("e.g. newsletter, answering the forum"))
        form = QFormLayout(self)
        form.addRow(_("&Day:"), self.day)
        form.addRow(_("D&uration:"), self.minutes)
        form.addRow(_("&Community:"), self.community)
        form.addRow(_("&Notes:"), self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Log"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(400, self.sizeHint().height())

    def values(self) -> dict[str, Any]:
        day: dt.date = self.day.date().toPython()  # type: ignore[assignment]
        return {
            "day": day,
            "minutes": int(self.minutes.value()),
            "community_id": self.community.currentData(),
            "notes": self.notes.text().strip(),
        }


def log_work(view: DashboardView) -> None:
    from ui.dashboard.commands import AddWork

    if view.db is None:
        return
    communities = [
        (c.community_id, c.name) for c in (view.dashboard.communities if view.dashboard else ())
    ]
    dialog = WorkDialog(communities, view)
    view.dialog = dialog
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    command = AddWork(view.db, dialog.values())
    command.on_done = lambda _c: _say(view, _("Online work logged."))
    view.push(command)


# --- export -----------------------------------------------------------------------------------


def export_png(view: DashboardView, path: Path | None = None) -> Path | None:
    """The whole page (not only what the window shows) as a PNG image."""
    from ui.documents.preview import documents_folder, file_name

    if path is None:
        suggested = documents_folder() / file_name(_("dashboard"), clock.today()).replace(
            ".pdf", ".png"
        )
        name = file_dialogs.save_file_name(
            view, _("Export the dashboard as PNG"), str(suggested), _("PNG images (*.png)")
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
    image = view.grab_page()
    if not image.save(str(path), "PNG"):
        QMessageBox.warning(
            view,
            _("Export the dashboard as PNG"),
            _("Could not write {path}. Choose another folder.").format(path=path),
        )
        return None
    _say(view, _("Dashboard saved as {path}").format(path=path))
    return path


def pdf_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("cmplanner.documents.dashboard") is not None
    except ImportError:
        return False


def export_pdf(view: DashboardView) -> Any:
    """The dashboard as a PDF (the documents layer), in the preview: Save as PDF…, Print…"""
    from ui.documents.preview import open_pdf_preview

    if view.db is None:
        return None
    db = view.db

    def job(_choice: Any) -> bytes:
        from cmplanner.documents import dashboard as document

        return bytes(document.render(db))

    view.preview = open_pdf_preview(
        view.window(), _("Dashboard"), _("dashboard"), job, date=clock.today()
    )
    return view.preview
