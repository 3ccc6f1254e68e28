"""One week of a community manager, in French then in English, through the real widgets on a
1366×768 laptop screen: from an empty database to a closed event, a printed brief and a merge
undone. Each step is done as a person does it (menus, keys typed, buttons clicked); the
database is only read, to check what the person would expect to find in it.

Monday: a community is created, contacts imported (two people of one association share its
office phone; one person is in the file twice), a weekly event planned at a new venue, the
community invited. Wednesday: the guests' replies are read, one of them older than the answer
it would overwrite. Thursday evening: the door. Friday: the date is closed, its brief previewed
and printed, duplicates found, one merged and the merge undone, an editor closed with unsaved
notes (kept, then saved). No error dialog, nothing logged at ERROR."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import pdfplumber
import pytest
from PySide6.QtCore import QEvent, Qt, QTimer, QtMsgType
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
)

from cmplanner import clock
from cmplanner.i18n import _, current_language, ngettext
from cmplanner.services.duplicates import SAME_EMAIL, SAME_PHONE
from cmplanner.storage import Database
from tests.rows import dump
from ui.kit.display import format_date
from ui.shell.main_window import MainWindow

MONDAY = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)  # 9:00 in Lyon
TUESDAY = dt.datetime(2026, 11, 17, 10, 0, tzinfo=dt.UTC)
WEDNESDAY = dt.datetime(2026, 11, 18, 17, 0, tzinfo=dt.UTC)
THURSDAY_EVENING = dt.datetime(2026, 11, 19, 18, 30, tzinfo=dt.UTC)  # 19:30 in Lyon
FRIDAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
FIRST_DATE = dt.datetime(2026, 11, 19, 19, 0)  # the series' first Thursday, local time

COMMUNITY = "Cyclistes de la Guillotière"
OBJECTIVE = "Réunir chaque semaine les cyclistes du quartier"
TITLE = "Apéro vélo du jeudi"
VENUE = "La Cordée Guillotière"
VENUE_ADDRESS = "3 rue Sébastien Gryphe, 69007 Lyon"
OFFICE_PHONE = "+33 4 78 00 00 00"
NOTES = "Préfère être appelé le soir"


def card(given: str, family: str, *lines: str) -> str:
    """A vCard 3.0 as a phone or an address book writes it."""
    return "\r\n".join(
        (
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{family};{given};;;",
            f"FN:{given} {family}",
            *lines,
            "END:VCARD",
            "",
        )
    )


# Seven cards: Hugo and Inès share their association's office line (two people); Camille is
# in the file twice (the second card, from her phone, has her personal address too); Paul
# works at the town hall and is not a member of the community.
CONTACTS_VCF = "".join(
    (
        card("Élodie", "Fauré", "EMAIL;TYPE=INTERNET:elodie.faure@example.org"),
        card(
            "Hugo",
            "Lefebvre",
            "ORG:Vélo Lyon",
            "EMAIL;TYPE=INTERNET:hugo.lefebvre@example.org",
            f"TEL;TYPE=WORK:{OFFICE_PHONE}",
        ),
        card(
            "Inès",
            "Moreau",
            "ORG:Vélo Lyon",
            "EMAIL;TYPE=INTERNET:ines.moreau@example.org",
            f"TEL;TYPE=WORK:{OFFICE_PHONE}",
        ),
        card(
            "Karim",
            "Benali",
            "EMAIL;TYPE=INTERNET:karim.benali@example.org",
            "TEL;TYPE=CELL:+33 6 12 34 56 78",
        ),
        card("Camille", "Martin", "EMAIL;TYPE=INTERNET:camille.martin@example.org"),
        card(
            "Camille",
            "Martin",
            "EMAIL;TYPE=INTERNET:camille.martin@example.org",
            "EMAIL;TYPE=HOME:camille.m@perso.example",
            "TEL;TYPE=CELL:+33 6 98 76 54 32",
        ),
        card("Paul", "Girard", "ORG:Mairie du 7e", "EMAIL;TYPE=INTERNET:paul.girard@example.org"),
    )
)
MEMBERS = {
    "Élodie Fauré",
    "Hugo Lefebvre",
    "Inès Moreau",
    "Karim Benali",
    "Camille Martin",
}
WALK_IN = "Paul Girard"


# --- driving the widgets as a person does ------------------------------------------------------


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` key by key into `widget` (accented letters as a keyboard's input method
    sends them: QTest types ASCII only)."""
    target = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    assert target is not None
    target.setFocus()
    for char in text:
        if char == "\n":
            QTest.keyClick(target, Qt.Key.Key_Return)
        elif char.isascii():
            QTest.keyClicks(target, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                key = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(target, key)


class Answered(list[Any]):
    """The windows `when_shown` answered; what went wrong answering one is raised by
    `check()` (the window itself is closed, so the test never hangs on it)."""

    error: BaseException | None = None

    def check(self) -> Answered:
        if self.error is not None:
            raise self.error
        assert self, "the dialog was never shown"
        return self


def when_shown(find: Callable[[], Any], act: Callable[[Any], None]) -> Answered:
    """Answer the next window `find` returns (a dialog shown by exec() or a menu: each runs
    its own event loop, which blocks the test) with `act`; `.check()` the result once it
    has come and gone."""
    answered = Answered()
    tries = [0]

    def look() -> None:
        shown = find()
        if shown is not None and shown.isVisible():
            answered.append(shown)
            try:
                act(shown)
            except BaseException as exc:
                answered.error = exc
                shown.reject() if isinstance(shown, QDialog) else shown.close()
            return
        tries[0] += 1
        if tries[0] < 500:
            QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)
    return answered


def when_modal(kind: type, act: Callable[[Any], None]) -> Answered:
    """Answer the next modal dialog of `kind` with `act` (`when_shown`)."""

    def modal() -> Any:
        dialog = QApplication.activeModalWidget()
        return dialog if isinstance(dialog, kind) else None

    return when_shown(modal, act)


def choose_in_file_dialog(path: Path) -> Callable[[QFileDialog], None]:
    """In Qt's file dialog: go to the folder (a folder to choose, or the file's), type the
    file's name, then the dialog's Open, Choose or Save button."""

    def act(dialog: QFileDialog) -> None:
        folder = dialog.fileMode() == QFileDialog.FileMode.Directory
        dialog.setDirectory(str(path if folder else path.parent))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        # Typed with the focus in it: the dialog then drops the folder it had selected in its
        # list (what is selected there wins over what is typed).
        focus(name)
        name.clear()
        if not folder:
            type_text(name, path.name)
        button = ok_button(dialog)
        wait_for(button.isEnabled)  # once the folder is listed
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()

    return act


def ok_button(dialog: QWidget) -> QPushButton:
    """The button that confirms a dialog (OK, Save or Close, whatever its words)."""
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    for role in (
        QDialogButtonBox.StandardButton.Ok,
        QDialogButtonBox.StandardButton.Open,
        QDialogButtonBox.StandardButton.Save,
        QDialogButtonBox.StandardButton.Close,
    ):
        button = box.button(role)
        if button is not None:
            return button
    raise AssertionError(f"no OK or Save button in {dialog!r}")


def wait_for(condition: Callable[[], object], timeout_ms: int = 5000) -> None:
    """Let the event loop run until `condition()` holds (in a dialog's exec() as well)."""
    for _wait in range(timeout_ms // 10):
        if condition():
            return
        QTest.qWait(10)
    raise AssertionError(f"{condition} never came true")


def focus(widget: QWidget) -> None:
    """Bring the widget's window forward and give the widget the keyboard focus."""
    window = widget.window()
    window.activateWindow()
    wait_for(lambda: QApplication.activeWindow() is window)
    widget.setFocus()
    wait_for(widget.hasFocus)


def click_row(table: Any, row: int, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
    """Click a row of a table, on its first column shown."""
    model = table.model()
    column = next(c for c in range(model.columnCount()) if not table.isColumnHidden(c))
    index = model.index(row, column)
    table.scrollTo(index)
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, modifier, table.visualRect(index).center()
    )


def select_row(view: Any, record_id: int) -> None:
    """Click the record's row in a section's list (which then has the keyboard focus)."""
    focus(view.table)
    click_row(view.table, view.model.ids().index(record_id))
    assert view.selected_ids() == [record_id]


def row_menu_action(view: Any, record_id: int, text: str) -> Any:
    """The action of the row's context menu (right-click) whose words are `text`."""
    menu = QMenu(view)
    view.fill_row_menu(menu, [record_id])
    found = [a for a in menu.actions() if a.text() == text]
    assert found, f"{text!r} not in {[a.text() for a in menu.actions()]}"
    return found[0]


def names_in(model: Any) -> list[str]:
    """The first column of a list's rows, as shown."""
    return [model.index(r, 0).data() for r in range(model.rowCount())]


# --- what is in the database -------------------------------------------------------------------


def rows(db: Database, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """What a query reads (the test reads the database; only the widgets write)."""
    with db.read() as con:
        return [tuple(r) for r in con.execute(sql, args).fetchall()]


def contact_ids(db: Database) -> dict[str, list[int]]:
    """Contact ids by name shown."""
    out: dict[str, list[int]] = {}
    for cid, given, family in rows(db, "SELECT id, given_name, family_name FROM contact"):
        out.setdefault(f"{given} {family}", []).append(cid)
    return out


def emails_of(db: Database, contact_id: int) -> set[str]:
    """A contact's e-mail addresses."""
    return {
        r[0] for r in rows(db, "SELECT address FROM contact_email WHERE contact_id = ?", contact_id)
    }


def answers(db: Database, event_id: int) -> dict[str, tuple[str, bool | None]]:
    """Each guest of the series' shared list: (answer, attended)."""
    return {
        f"{given} {family}": (rsvp, attended)
        for given, family, rsvp, attended in rows(
            db,
            "SELECT c.given_name, c.family_name, i.rsvp, i.attended FROM invitation i"
            " JOIN contact c ON c.id = i.contact_id WHERE i.event_id = ? AND i.occurrence IS NULL",
            event_id,
        )
    }


def attendance_on(db: Database, event_id: int, day: dt.date) -> dict[str, bool | None]:
    """Who came (True), who did not (False) on one date of the series."""
    return {
        f"{given} {family}": attended
        for given, family, attended, occurrence in rows(
            db,
            "SELECT c.given_name, c.family_name, i.attended, i.occurrence FROM invitation i"
            " JOIN contact c ON c.id = i.contact_id"
            " WHERE i.event_id = ? AND i.occurrence IS NOT NULL",
            event_id,
        )
        if str(occurrence).startswith(day.isoformat())
    }


# --- replies from the guests' calendar apps ------------------------------------------------------


def reply(uid: str, sequence: int, email: str, name: str, answer: str, stamp: dt.datetime) -> bytes:
    """An iTIP METHOD:REPLY as a calendar app sends it."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//Example Corp.//Calendar 1.0//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", "REPLY")
    vevent = icalendar.Event()
    vevent.add("UID", uid)
    vevent.add("DTSTAMP", stamp)
    vevent.add("SEQUENCE", sequence)
    attendee = icalendar.vCalAddress(f"mailto:{email}")
    attendee.params["PARTSTAT"] = answer
    attendee.params["CN"] = name
    vevent.add("ATTENDEE", attendee)
    calendar.add_component(vevent)
    return calendar.to_ical()


# --- the watchers: error dialogs, the log, Qt's own messages ------------------------------------


class ErrorDialogs:
    """Every error the app shows the user: through ui.kit.errors (a message or a bug's
    traceback), or any warning or critical message box (closed, so nothing waits on it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[str] = []
        monkeypatch.setattr(
            "ui.kit.errors.show_message", lambda text, title="": self.shown.append(text)
        )
        monkeypatch.setattr(
            "ui.kit.errors.show_exception_dialog", lambda exc: self.shown.append(repr(exc))
        )
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def _look(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, QMessageBox)
                and widget.isVisible()
                and widget.objectName() != "unsavedChanges"  # the question, not an error
                and widget.icon() in (QMessageBox.Icon.Warning, QMessageBox.Icon.Critical)
                and widget.property("seen") is None
            ):
                widget.setProperty("seen", True)
                self.shown.append(widget.text())
                widget.reject()


@pytest.fixture
def error_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[ErrorDialogs]:
    watcher = ErrorDialogs(monkeypatch)
    yield watcher
    watcher.timer.stop()


# --- the week -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"], indirect=True)
def test_a_week_of_a_community_manager(
    qtbot,
    open_window: Callable[[Database], MainWindow],
    empty_db: Database,
    frozen_clock: dt.datetime,
    language: str,
    error_dialogs: ErrorDialogs,
    unsaved_answers: Any,
    caplog: pytest.LogCaptureFixture,
    qtlog: Any,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.WARNING)
    db = empty_db
    clock.freeze(MONDAY)
    window = open_window(db)
    screen = window.screen().geometry()
    assert (screen.width(), screen.height()) == (1366, 768)
    assert window.menuBar().actions()[0].text() == _("&File")
    if language == "fr":
        assert window.menuBar().actions()[0].text() == "&Fichier"

    community_id = create_the_community(qtbot, window)
    people = import_the_contacts(qtbot, window, tmp_path)
    add_the_members(qtbot, window, community_id, people)
    event_id = plan_the_series(qtbot, window, community_id)
    invite_the_community(qtbot, window, event_id, people)

    clock.freeze(WEDNESDAY)
    read_the_replies(qtbot, window, event_id, tmp_path)

    clock.freeze(THURSDAY_EVENING)
    open_the_door(qtbot, window, event_id)

    clock.freeze(FRIDAY)
    close_the_date(qtbot, window, event_id)
    preview_and_print_the_brief(qtbot, window, event_id, tmp_path)
    merge_and_undo(qtbot, window, people)
    keep_unsaved_notes_then_save(qtbot, window, people, unsaved_answers)

    the_end_of_the_week(window.db, event_id)
    nothing_went_wrong(error_dialogs, caplog, qtlog)
    assert unsaved_answers.asked and not unsaved_answers.unexpected


def the_end_of_the_week(db: Database, event_id: int) -> None:
    """What the database holds at the end of the week."""
    assert {name: len(ids) for name, ids in contact_ids(db).items()} == {
        **{name: 1 for name in MEMBERS | {WALK_IN}},
        "Camille Martin": 2,  # the merge was undone
    }
    assert rows(db, "SELECT name, street FROM venue") == [(VENUE, VENUE_ADDRESS)]
    assert rows(db, "SELECT title, rrule, status FROM event") == [
        (TITLE, "FREQ=WEEKLY;BYDAY=TH;COUNT=6", "planned")  # the series goes on
    ]
    assert answers(db, event_id) == REPLIED
    assert len(rows(db, "SELECT id FROM invitation WHERE occurrence IS NULL")) == 6
    assert attendance_on(db, event_id, FIRST_DATE.date()) == {
        "Hugo Lefebvre": True,
        "Élodie Fauré": True,
        WALK_IN: True,
    }
    assert rows(db, "SELECT recurrence_id, status FROM occurrence_exception") == [
        ("2026-11-19 19:00:00.000000", "done")
    ]
    assert len(rows(db, "SELECT id FROM task WHERE done = 0 AND occurrence IS NOT NULL")) == 5
    assert rows(db, "SELECT count(*) FROM contact WHERE notes != ''") == [(1,)]


def nothing_went_wrong(errors: ErrorDialogs, caplog: Any, qtlog: Any) -> None:
    """No error on screen, nothing at ERROR in the log, no Qt critical message."""
    assert errors.shown == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [
        r.message
        for r in qtlog.records
        if r.type in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
    ] == []


# --- Monday -------------------------------------------------------------------------------------


def create_the_community(qtbot: Any, window: MainWindow) -> int:
    """Communities (Ctrl+4), New (Ctrl+N): its name and objective typed, Save."""
    window.commands["section:communities"].trigger()
    view = window.view("communities")
    assert window.commands["new_item"].text() == _("&New community…")
    window.commands["new_item"].trigger()
    editor = view.editor
    qtbot.waitUntil(editor.isVisible)
    type_text(editor.name, COMMUNITY)
    type_text(editor.objective, OBJECTIVE)
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()

    ((community_id, objective),) = rows(
        window.db, "SELECT id, objective FROM community WHERE name = ?", COMMUNITY
    )
    assert objective == OBJECTIVE
    qtbot.waitUntil(lambda: view.model.ids() == [community_id])
    assert view.record_name(community_id) == COMMUNITY
    assert view.selected_ids() == [community_id]  # the new record, selected in its list
    return community_id


def import_the_contacts(qtbot: Any, window: MainWindow, tmp_path: Path) -> dict[str, list[int]]:
    """File ▸ Import contacts… (Ctrl+I): the file's path typed, Next through the pages."""
    from ui.contacts.files import ImportWizard

    path = tmp_path / "adhérents.vcf"
    path.write_text(CONTACTS_VCF, encoding="utf-8", newline="")
    window.commands["import_contacts"].trigger()
    wizard = window.import_wizard
    qtbot.waitUntil(wizard.isVisible)
    type_text(wizard.file_page.path, str(path))
    next_button = wizard.button(wizard.WizardButton.NextButton)
    QTest.mouseClick(next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PREVIEW)
    preview = wizard.preview_page.model
    assert preview.rowCount() == 7
    QTest.mouseClick(next_button, Qt.MouseButton.LeftButton)
    # Nobody in the book yet: no page of decisions, the import runs, then its summary.
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.SUMMARY)
    report = wizard.report
    assert len(report.created) == 7 and not report.merged
    # The summary says which cards only look like an earlier one, and why: both are kept.
    summary = wizard.summary_page.text.text()
    for number, line, why in ((2, 7, SAME_PHONE), (5, 30, SAME_EMAIL)):
        earlier = _("card {number}, line {line}").format(number=number, line=line)
        assert _("Looks like {where} of this file ({why})").format(where=earlier, why=_(why)) in (
            summary
        )
    QTest.mouseClick(wizard.button(wizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()

    people = contact_ids(window.db)
    # Both people of the office line exist, each with their own e-mail; Camille twice.
    assert {name: len(ids) for name, ids in people.items()} == {
        **{name: 1 for name in MEMBERS | {WALK_IN}},
        "Camille Martin": 2,
    }
    assert emails_of(window.db, people["Hugo Lefebvre"][0]) == {"hugo.lefebvre@example.org"}
    assert emails_of(window.db, people["Inès Moreau"][0]) == {"ines.moreau@example.org"}
    office = rows(window.db, "SELECT contact_id FROM contact_phone WHERE number = ?", OFFICE_PHONE)
    assert sorted(r[0] for r in office) == sorted(people["Hugo Lefebvre"] + people["Inès Moreau"])
    window.commands["section:contacts"].trigger()
    contacts = window.view("contacts")
    qtbot.waitUntil(lambda: contacts.row_count() == 7)
    return people


def add_the_members(
    qtbot: Any, window: MainWindow, community_id: int, people: dict[str, list[int]]
) -> None:
    """The community's editor: Add members…, every imported person but Paul (Ctrl+click
    takes him out of the selection), Add, Save."""
    from ui.communities.editor import ContactPicker

    window.commands["section:communities"].trigger()
    view = window.view("communities")
    select_row(view, community_id)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    editor = view.editor
    qtbot.waitUntil(editor.isVisible)
    assert editor.name.text() == COMMUNITY

    def pick(picker: ContactPicker) -> None:
        qtbot.waitUntil(lambda: picker.model.rowCount() == 7)
        picker.table.setFocus()
        picker.table.selectAll()
        paul = picker.model.ids().index(people[WALK_IN][0])
        click_row(picker.table, paul, Qt.KeyboardModifier.ControlModifier)
        assert {cid for cid, _name in picker.chosen()} == {
            cid for name in MEMBERS for cid in people[name]
        }
        QTest.mouseClick(ok_button(picker), Qt.MouseButton.LeftButton)

    picked = when_modal(ContactPicker, pick)
    QTest.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    picked.check()
    assert len(editor.members.members) == 6
    members_group = editor.members.index(0, 0)
    joined = {editor.members.index(r, 1, members_group).data() for r in range(6)}
    assert joined == {format_date(MONDAY.date())}  # they join today, as the list says
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()

    members = rows(
        window.db,
        "SELECT contact_id, joined_on FROM community_member WHERE community_id = ?",
        community_id,
    )
    assert {cid for cid, _joined in members} == {cid for name in MEMBERS for cid in people[name]}
    assert {joined for _cid, joined in members} == {"2026-11-16"}


def choose(combo: QComboBox, data: Any = None, text: str | None = None) -> None:
    """Pick an item of a combo box (by its data, or by its words)."""
    index = combo.findText(text) if text is not None else combo.findData(data)
    assert index >= 0, (data, text, [combo.itemText(i) for i in range(combo.count())])
    combo.setFocus()
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def plan_the_series(qtbot: Any, window: MainWindow, community_id: int) -> int:
    """Events (Ctrl+5), New (Ctrl+N): title, community, "Thursday 7 pm" typed, weekly for
    six weeks, at a new venue typed in; Save."""
    from cmplanner import recurrence_form as rf
    from ui.events.editor import NEW_VENUE

    window.commands["section:events"].trigger()
    view = window.view("events")
    window.commands["new_item"].trigger()
    editor = view.editor
    qtbot.waitUntil(editor.isVisible)
    type_text(editor.title, TITLE)
    choose(editor.community, community_id)

    # Ctrl+Tab to "Date and time": its first field, the start, has the focus; the day and
    # time typed in words replace the whole field.
    focus(editor.title)
    QTest.keyClick(editor.title, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(editor.start.hasFocus)
    QTest.qWait(20)  # a person's first key comes after the field has selected its text
    type_text(editor.start, "jeudi 19h" if current_language() == "fr" else "thursday 7 pm")
    QTest.keyClick(editor.start, Qt.Key.Key_Tab)
    assert editor.start.dateTime().toPython() == FIRST_DATE
    assert editor.end.dateTime().toPython() == FIRST_DATE + dt.timedelta(hours=2)
    choose(editor.timezone, text="Europe/Paris")
    rec = editor.recurrence
    choose(rec.pattern, rf.WEEKLY)
    assert [box.isChecked() for box in rec.days] == [d == 3 for d in range(7)]  # Thursday
    choose(rec.ends, "count")
    rec.count.setFocus()
    rec.count.selectAll()
    type_text(rec.count, "6")
    assert (
        rec.summary.text()
        == {"fr": "Chaque jeudi, 6 fois", "en": "Every Thursday, 6 times"}[current_language()]
    )

    editor.tabs.setCurrentIndex(2)  # Place
    choose(editor.venue, NEW_VENUE)
    assert editor.new_venue.isVisible()
    type_text(editor.venue_name, VENUE)
    type_text(editor.venue_street, VENUE_ADDRESS)
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()

    ((event_id, venue_id, start, end, zone, rule, community),) = rows(
        window.db,
        "SELECT id, venue_id, start_local, end_local, timezone, rrule, community_id FROM event"
        " WHERE title = ?",
        TITLE,
    )
    assert (start[:16], end[:16], zone) == ("2026-11-19 19:00", "2026-11-19 21:00", "Europe/Paris")
    assert rule == "FREQ=WEEKLY;BYDAY=TH;COUNT=6" and community == community_id
    assert rows(window.db, "SELECT id, name, street FROM venue") == [
        (venue_id, VENUE, VENUE_ADDRESS)
    ]
    qtbot.waitUntil(lambda: view.model.ids() == [event_id])
    assert view.selected_ids() == [event_id]
    return event_id


def invite_the_community(
    qtbot: Any, window: MainWindow, event_id: int, people: dict[str, list[int]]
) -> None:
    """The event's editor (Enter on its row), Guests tab, Invite a Group ▸ A Community…: the
    event's own community is proposed; Invite. The list changes at once: Cancel asks nothing."""
    from ui.events.invite_group import GroupDialog

    view = window.view("events")
    select_row(view, event_id)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    editor = view.editor
    qtbot.waitUntil(editor.isVisible)
    panel = editor.guests_panel
    editor.tabs.setCurrentWidget(panel)
    (community_action,) = [
        a for a in panel.group_button.menu().actions() if a.text() == _("A &Community…")
    ]
    community_action.trigger()
    dialog = panel.group_dialog
    assert isinstance(dialog, GroupDialog) and dialog.isVisible()
    assert dialog.choice.currentText() == COMMUNITY
    QTest.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(names_in(panel.proxy)) == 6)  # Camille's two cards
    assert set(names_in(panel.proxy)) == MEMBERS
    buttons = editor.findChild(QDialogButtonBox)
    QTest.mouseClick(
        buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert not editor.isVisible()
    assert answers(window.db, event_id) == {name: ("needs-action", None) for name in MEMBERS}
    assert len(rows(window.db, "SELECT id FROM invitation WHERE event_id = ?", event_id)) == 6


# --- Wednesday ----------------------------------------------------------------------------------


def read_the_replies(qtbot: Any, window: MainWindow, event_id: int, tmp_path: Path) -> None:
    """File ▸ Read guests' replies…, Choose a folder…, the folder typed in Qt's dialog. Hugo
    declined on Monday, then accepted on Wednesday: his older reply comes last in the folder
    and is not applied."""
    folder = write_the_replies(window.db, event_id, tmp_path)

    def choose_folder(box: QMessageBox) -> None:
        (button,) = [b for b in box.buttons() if b.text() == _("Choose a f&older…")]
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    asked = when_modal(QMessageBox, choose_folder)
    chosen = when_modal(QFileDialog, choose_in_file_dialog(folder))
    window.commands["read_replies"].trigger()
    asked.check()
    chosen.check()
    report = window.calendar_report
    qtbot.waitUntil(report.isVisible)
    assert report.headline.text() == "{}, {}.".format(
        ngettext("{n} answer recorded", "{n} answers recorded", 3).format(n=3),
        ngettext("{n} older reply not applied", "{n} older replies not applied", 1).format(n=1),
    )
    assert "4-hugo.ics" in report.text()
    QTest.mouseClick(ok_button(report), Qt.MouseButton.LeftButton)
    assert not report.isVisible()
    assert answers(window.db, event_id) == REPLIED


def write_the_replies(db: Database, event_id: int, tmp_path: Path) -> Path:
    """The folder of the guests' replies to the event: Hugo's older one comes last."""
    ((uid, sequence),) = rows(db, "SELECT uid, sequence FROM event WHERE id = ?", event_id)
    folder = tmp_path / "réponses"
    folder.mkdir()
    for name, email, who, answer, stamp in (
        ("1-hugo.ics", "hugo.lefebvre@example.org", "Hugo Lefebvre", "ACCEPTED", WEDNESDAY),
        ("2-elodie.ics", "elodie.faure@example.org", "Élodie Fauré", "ACCEPTED", TUESDAY),
        ("3-karim.ics", "karim.benali@example.org", "Karim Benali", "DECLINED", TUESDAY),
        ("4-hugo.ics", "hugo.lefebvre@example.org", "Hugo Lefebvre", "DECLINED", MONDAY),
    ):
        (folder / name).write_bytes(reply(uid, sequence, email, who, answer, stamp))
    return folder


# The series' answers once the replies are read (and at the end of the week).
REPLIED = {
    "Hugo Lefebvre": ("accepted", None),
    "Élodie Fauré": ("accepted", None),
    "Karim Benali": ("declined", None),
    "Inès Moreau": ("needs-action", None),
    "Camille Martin": ("needs-action", None),
}


# --- Thursday evening ---------------------------------------------------------------------------


def open_the_door(qtbot: Any, window: MainWindow, event_id: int) -> None:
    """The event's row menu ▸ Check in at the door…: tonight's date. Two guests typed, Enter
    each; Paul, who was not invited, walks in: Ctrl+N, his name typed, the contact book
    offers him, Enter. Nobody is created. Esc closes the door."""
    from ui.events.checkin import CheckInDialog

    window.commands["section:events"].trigger()
    view = window.view("events")
    select_row(view, event_id)
    row_menu_action(view, event_id, _("Chec&k in at the door…")).trigger()
    door = view.checkin
    assert isinstance(door, CheckInDialog)
    qtbot.waitUntil(lambda: door.date is not None)
    assert door.date.today and door.occurrence == FIRST_DATE
    focus(door.search)
    qtbot.waitUntil(lambda: len(names_in(door.model)) == 6)
    before = len(rows(window.db, "SELECT id FROM contact"))

    for typed, name in (("hugo", "Hugo Lefebvre"), ("elodie", "Élodie Fauré")):
        QTest.keyClicks(door.search, typed)
        qtbot.waitUntil(lambda name=name: names_in(door.model) == [name])
        QTest.keyClick(door.search, Qt.Key.Key_Return)
        assert name in door.feedback.text()
        assert door.search.text() == ""  # ready for the next person

    QTest.keyClick(door.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert door.walk_in_form.isVisible()
    QTest.keyClicks(door.walk_in_search, "paul gi")
    qtbot.waitUntil(door.match_list.isVisible)
    match = door.current_match()
    assert match is not None and match.name == WALK_IN
    QTest.keyClick(door.walk_in_search, Qt.Key.Key_Return)
    assert not door.walk_in_form.isVisible()
    assert WALK_IN in door.feedback.text()
    assert door.counts["attended"] == 3
    QTest.keyClick(door.search, Qt.Key.Key_Escape)
    assert not door.isVisible()

    assert len(rows(window.db, "SELECT id FROM contact")) == before  # nobody created
    assert attendance_on(window.db, event_id, FIRST_DATE.date()) == {
        "Hugo Lefebvre": True,
        "Élodie Fauré": True,
        WALK_IN: True,
    }
    assert WALK_IN not in answers(window.db, event_id)  # tonight's guest, not the series'


# --- Friday -------------------------------------------------------------------------------------


def close_the_date(qtbot: Any, window: MainWindow, event_id: int) -> None:
    """More ▸ Close the event… (Ctrl+Shift+D): last night's date, those who came ticked;
    Close the event, then the debrief (a line typed before the numbers), Save."""
    from ui.events.closing import CloseEventDialog, DebriefDialog

    window.commands["section:events"].trigger()
    view = window.view("events")
    select_row(view, event_id)
    assert view.close_action in view.more_button.menu().actions()
    view.close_action.trigger()
    dialog = view.close_dialog
    assert isinstance(dialog, CloseEventDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.close_button.isEnabled())
    assert dialog.occurrence_box.currentData() == FIRST_DATE  # the only date that has come
    plan = dialog.plan
    assert {g.name for g in plan.guests if g.invitation_id in dialog.came()} == {
        "Hugo Lefebvre",
        "Élodie Fauré",
        WALK_IN,
    }
    assert plan.no_shows(dialog.came()) == 0
    QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    debrief = dialog.debrief_dialog
    assert isinstance(debrief, DebriefDialog)
    qtbot.waitUntil(debrief.isVisible)
    debrief.text.moveCursor(debrief.text.textCursor().MoveOperation.Start)
    type_text(debrief.text, "Belle première soirée.\n")
    QTest.mouseClick(ok_button(debrief), Qt.MouseButton.LeftButton)
    assert not debrief.isVisible()

    ((status,),) = rows(
        window.db, "SELECT status FROM occurrence_exception WHERE event_id = ?", event_id
    )
    assert status == "done"
    ((debrief_text,),) = rows(window.db, "SELECT debrief FROM event WHERE id = ?", event_id)
    assert debrief_text.startswith("Belle première soirée.\n")
    tasks = rows(
        window.db,
        "SELECT title, due_date, occurrence FROM task WHERE event_id = ? ORDER BY position",
        event_id,
    )
    assert [(title, due) for title, due, _occurrence in tasks] == [
        ("Remercier la salle", "2026-11-20"),
        ("Remercier les partenaires", "2026-11-20"),
        ("Envoyer un questionnaire aux participants", "2026-11-21"),
        ("Écrire un mot aux absents", "2026-11-21"),
        ("Partager les photos", "2026-11-22"),
    ]
    assert {str(occurrence)[:16] for _title, _due, occurrence in tasks} == {"2026-11-19 19:00"}


def preview_and_print_the_brief(
    qtbot: Any, window: MainWindow, event_id: int, tmp_path: Path
) -> None:
    """File ▸ Preview the event brief… (Ctrl+P) on the event's row: Save as PDF… into a
    folder typed in Qt's dialog, then Print… to a PDF file chosen in Qt's print dialog."""
    from PySide6.QtPrintSupport import QPrintDialog

    from ui.documents.preview import PdfPreview

    view = window.view("events")
    select_row(view, event_id)
    preview_action = window.commands["preview"]
    assert preview_action.isEnabled() and preview_action.text() == _("Pre&view the event brief…")
    preview_action.trigger()
    preview = view.preview
    assert isinstance(preview, PdfPreview)
    qtbot.waitUntil(lambda: preview.page_count() > 0 and not preview.working)
    pages = preview.page_count()

    saved = tmp_path / "imprimés" / "brief.pdf"
    saved.parent.mkdir()
    chosen = when_modal(QFileDialog, choose_in_file_dialog(saved))
    QTest.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    chosen.check()
    assert saved.exists()
    with pdfplumber.open(saved) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert TITLE in text and "Hugo Lefebvre" in text and VENUE in text

    printed = tmp_path / "imprimés" / "printed.pdf"
    asked = when_modal(QPrintDialog, print_to_a_file(printed))
    QTest.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    asked.check()
    assert printed.exists()
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) == pages
        assert all(page.images for page in pdf.pages)  # each page carries its rendering
    QTest.keyClick(preview, Qt.Key.Key_Escape)
    assert not preview.isVisible()


def print_to_a_file(path: Path) -> Callable[[Any], None]:
    """In Qt's print dialog: the last printer (Print to File (PDF)), the file's path, OK."""

    def act(dialog: Any) -> None:
        printers = dialog.findChild(QComboBox, "printers")
        choose(printers, text=printers.itemText(printers.count() - 1))  # Print to File (PDF)
        output = dialog.findChild(QLineEdit, "filename")
        output.setFocus()
        output.selectAll()
        output.insert(str(path))
        QTest.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    return act


INVITED_CAMILLE = "SELECT count(*) FROM invitation WHERE contact_id = ? AND occurrence IS NULL"


def merge_and_undo(qtbot: Any, window: MainWindow, people: dict[str, list[int]]) -> None:
    """Edit ▸ Find duplicates…: Hugo and Inès (the office line) and Camille's two cards are
    suggested, each with its reason. Camille's are merged (Merge…, her first card kept,
    Merge): one Camille with both addresses, invited once. Edit ▸ Undo: both cards back,
    every row as it was."""
    from ui.contacts.duplicates import MergeDialog

    db = window.db
    window.commands["duplicates"].trigger()
    dialog = window.view("contacts").duplicates_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.model.rowCount() > 0)
    hugo, ines = people["Hugo Lefebvre"][0], people["Inès Moreau"][0]
    first, second = sorted(people["Camille Martin"])
    pairs = {
        frozenset((p.first, p.second)): dialog.model.index(row, 2).data()
        for row, p in enumerate(dialog.model.records)
    }
    assert pairs == {
        frozenset((hugo, ines)): _(SAME_PHONE),
        frozenset((first, second)): _(SAME_EMAIL),
    }
    if current_language() == "fr":
        assert pairs[frozenset((hugo, ines))] == "même numéro de téléphone"

    for camille in (first, second):
        assert rows(db, INVITED_CAMILLE, camille) == [(1,)]
    before = dump(db)
    row = next(
        r for r, p in enumerate(dialog.model.records) if {p.first, p.second} == {first, second}
    )
    click_row(dialog.table, row)

    def keep_the_first(merge: MergeDialog) -> None:
        assert merge.kept() in (first, second)
        merge.choose(first)
        QTest.mouseClick(ok_button(merge), Qt.MouseButton.LeftButton)

    merged = when_modal(MergeDialog, keep_the_first)
    QTest.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    merged.check()
    assert contact_ids(db)["Camille Martin"] == [first]
    assert emails_of(db, first) == {"camille.martin@example.org", "camille.m@perso.example"}
    assert [frozenset((p.first, p.second)) for p in dialog.model.records] == [
        frozenset((hugo, ines))  # only a suggestion: still two people
    ]
    assert rows(db, INVITED_CAMILLE, first) == [(1,)]  # her two invitations are one
    (close,) = [b for b in dialog.findChildren(QPushButton) if b.text() == _("Close")]
    QTest.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    undo = window.commands["undo"]
    assert undo.isEnabled() and "Camille Martin" in undo.text()
    undo.trigger()  # Edit ▸ Undo (Ctrl+Z)
    assert dump(db) == before
    assert sorted(contact_ids(db)["Camille Martin"]) == [first, second]
    assert len(contact_ids(db)) == 6 and contact_ids(db)["Hugo Lefebvre"] == [hugo]


def keep_unsaved_notes_then_save(
    qtbot: Any, window: MainWindow, people: dict[str, list[int]], unsaved_answers: Any
) -> None:
    """Karim's card (Enter on his row), Keeping in touch: notes typed, Esc. "Save the
    changes?" — Keep editing: the editor stays, the notes in it. Then Save."""
    db = window.db
    karim = people["Karim Benali"][0]
    window.commands["section:contacts"].trigger()
    view = window.view("contacts")
    select_row(view, karim)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    editor = view.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.details is not None)
    assert editor.details.id == karim
    editor.tabs.setCurrentIndex(2)  # Keeping in touch
    focus(editor.notes)
    type_text(editor.notes, NOTES)

    unsaved_answers.plan("keep")
    QTest.keyClick(editor.notes, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(unsaved_answers.asked) == 1)
    assert unsaved_answers.asked == [
        _("Save the changes made in “{name}”?").format(name=editor.windowTitle())
    ]
    assert editor.isVisible() and editor.notes.toPlainText() == NOTES
    assert rows(db, "SELECT notes FROM contact WHERE id = ?", karim) == [("",)]

    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert rows(db, "SELECT notes FROM contact WHERE id = ?", karim) == [(NOTES,)]
