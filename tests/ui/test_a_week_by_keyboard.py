"""The week of tests/ui/test_a_week_of_a_cm.py done by a person who uses only the keyboard,
with a screen reader, in the dark scheme, in French: every key goes to the control that has
the focus (or to the menu open), menus open with Alt and their letter or a shortcut, context
menus with Shift+F10 or the Menu key, dialogs are answered with Tab, Space, Return and
Escape. Wherever the focus lands it has a name a screen reader says and it is on screen.

Only Qt's file and print dialogs are filled in as the other test does: they stand for the
system's own dialogs, which are not the app's to make reachable."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QRadioButton,
    QWidget,
)

from cmplanner import clock
from cmplanner.i18n import _
from cmplanner.storage import Database
from tests.rows import dump
from tests.ui.test_a_week_of_a_cm import (
    COMMUNITY,
    CONTACTS_VCF,
    FIRST_DATE,
    FRIDAY,
    MEMBERS,
    MONDAY,
    NOTES,
    OBJECTIVE,
    REPLIED,
    THURSDAY_EVENING,
    TITLE,
    VENUE,
    VENUE_ADDRESS,
    WALK_IN,
    WEDNESDAY,
    Answered,
    ErrorDialogs,
    answers,
    attendance_on,
    choose_in_file_dialog,
    contact_ids,
    emails_of,
    error_dialogs,  # noqa: F401  (a fixture)
    names_in,
    nothing_went_wrong,
    print_to_a_file,
    rows,
    the_end_of_the_week,
    type_text,
    wait_for,
    when_modal,
    when_shown,
    write_the_replies,
)
from tests.ui.test_accessible_names import (
    accessible_description,
    accessible_name,
    describe,
    known_by_value,
)
from ui.kit import focus_ring, theme
from ui.kit.accessible import plain
from ui.kit.menu_keys import mnemonic
from ui.shell.main_window import MainWindow

Key = Qt.Key
NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def dark(language: str, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app in the dark scheme (after the language's style); ui.kit.theme as it was after."""
    for name in ("_scheme", "_sheet", "_forced"):
        monkeypatch.setattr(theme, name, getattr(theme, name))
    theme.apply(qapp, theme.DARK)
    yield theme.DARK


# --- the keyboard, and what a screen reader says where the focus lands -------------------------


class Focus:
    """Follows the focus: each control it lands on must have a name and be on screen."""

    def __init__(self) -> None:
        self.last: QWidget | None = None
        self.passed: list[str] = []  # the controls the focus went through, described
        self.windows: list[QWidget] = []  # the windows that were active, the last one last

    def window_manager(self) -> None:
        """What a desktop's window manager does and offscreen Qt does not: a window closed,
        the one active before it is active again."""
        active = QApplication.activeWindow()
        if active is not None and active.isVisible():
            if active in self.windows:
                self.windows.remove(active)
            self.windows.append(active)
            return
        self.windows = [w for w in self.windows if shiboken6.isValid(w) and w.isVisible()]
        if self.windows:
            self.windows[-1].activateWindow()
            QTest.qWait(5)

    def widget(self) -> QWidget:
        """What takes the keys now: the open menu, or the focus widget of the active window."""
        popup = QApplication.activePopupWidget()
        if popup is not None:
            return popup
        self.window_manager()
        widget = QApplication.focusWidget()
        assert widget is not None, f"the focus is lost (after {self.passed[-3:]})"
        return widget

    def check(self) -> QWidget:
        """The control with the focus: named for a screen reader, and on screen."""
        widget = self.widget()
        if isinstance(widget, QMenu) or widget is self.last:
            return widget
        self.last = widget
        named = widget.parentWidget() or widget  # a spin box's text field: the box
        if not isinstance(named, QAbstractSpinBox):
            named = widget
        said = accessible_name(named)
        where = f"{describe(named)} in {type(widget.window()).__name__}"
        self.passed.append(f"{where} {said!r}")
        assert any(c.isalnum() for c in said), f"{where} has no name for a screen reader"
        assert not known_by_value(named, said), f"{where} is only known as {said!r}"
        assert widget.isVisible() and not widget.visibleRegion().isEmpty(), (
            f"{where} has the focus but is not on screen"
        )
        ringed = focus_ring.ringed(widget)  # None: a control that draws its focus itself
        if ringed is not None:
            direct = Qt.FindChildOption.FindDirectChildrenOnly
            ring = ringed.findChild(focus_ring.FocusRing, "focusRing", direct)
            assert ring is not None and ring.isVisible(), f"{where} has no focus ring"
        return widget

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]


FOCUS = Focus()


def press(key: Qt.Key, modifiers: Any = NO, times: int = 1) -> QWidget:
    """Press `key` (with `modifiers`) where the focus is; the control that has it then."""
    for _time in range(times):
        QTest.keyClick(FOCUS.widget(), key, modifiers)
        QTest.qWait(1)
    return FOCUS.check()


def write(text: str) -> QWidget:
    """Type `text` where the focus is."""
    widget = FOCUS.check()
    type_text(widget, text)
    return widget


def opened(window: QWidget) -> QWidget:
    """Once `window` has come up and is active (as a desktop makes a new window), the
    control it starts on."""
    wait_for(lambda: window.isVisible() and QApplication.activeWindow() is window)
    return FOCUS.check()


def closed(window: QWidget) -> bool:
    """`window` is closed (or gone: some are deleted once closed)."""
    return not shiboken6.isValid(window) or not window.isVisible()


def tab_to(predicate: Callable[[QWidget], bool], limit: int = 60, back: bool = False) -> QWidget:
    """Press Tab (Shift+Tab with `back`) until the focus is on a control `predicate` likes."""
    start = len(FOCUS.passed)
    for _step in range(limit):
        widget = press(Key.Key_Backtab if back else Key.Key_Tab, SHIFT if back else NO)
        if predicate(widget):
            return widget
    raise AssertionError(f"never reached; Tab went through {FOCUS.passed[start:]}")


def named(name: str) -> Callable[[QWidget], bool]:
    """The control a screen reader calls `name`."""
    return lambda widget: accessible_name(widget) == name


def letter(text: str) -> Qt.Key:
    """The key of a menu item's Alt letter ("&Fichier": F)."""
    found = mnemonic(text)
    assert found is not None and found.isascii(), text
    return Qt.Key(ord(found.upper()))


def from_menu(title: str, item: str) -> QWidget:
    """Alt and the menu's letter, then the item's: the control with the focus after."""
    press(letter(title), ALT)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and menu.title() == title, menu
    texts = [a.text() for a in menu.actions()]
    assert item in texts, texts
    return press(letter(item))


def choose_by_keys(combo: QComboBox, text: str) -> None:
    """Down (or Up) on a closed combo box until it shows `text`."""
    assert FOCUS.check() is combo
    target = combo.findText(text)
    assert target >= 0, [combo.itemText(i) for i in range(combo.count())]
    moves = target - combo.currentIndex()
    if moves:
        press(Key.Key_Down if moves > 0 else Key.Key_Up, times=abs(moves))
    assert combo.currentText() == text


def when_menu(act: Callable[[QMenu], None]) -> Answered:
    """Do `act` in the next menu that opens (a context menu runs its own event loop)."""

    def menu() -> QMenu | None:
        popup = QApplication.activePopupWidget()
        return popup if isinstance(popup, QMenu) else None

    return when_shown(menu, act)


# --- the week -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr"], indirect=True)
def test_a_week_by_keyboard_in_the_dark(
    qtbot,
    open_window: Callable[[Database], MainWindow],
    empty_db: Database,
    frozen_clock: dt.datetime,
    language: str,
    dark: str,
    unsaved_answers: Any,
    error_dialogs: ErrorDialogs,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    qtlog: Any,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.WARNING)
    clock.freeze(MONDAY)
    FOCUS.reset()
    window = open_window(empty_db)
    window.activateWindow()  # the app just started: its window is the active one
    qtbot.waitUntil(
        lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is not None
    )
    assert QApplication.palette().color(QPalette.ColorRole.Base).name() == theme.value(
        "base", theme.DARK
    )
    assert FOCUS.check() is window.sidebar

    community_id = create_the_community(qtbot, window)
    people = import_the_contacts(qtbot, window, tmp_path)
    add_the_members(qtbot, window, community_id, people)
    event_id = plan_the_series(qtbot, window, community_id)
    invite_the_community(qtbot, window, event_id)

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


def create_the_community(qtbot: Any, window: MainWindow) -> int:
    """In the sections' list, Down to Communautés; Ctrl+N: the name typed, Tab to the
    objective, typed; Ctrl+S."""
    press(Key.Key_Down, times=3)
    view = window.view("communities")
    assert window.stack.currentWidget() is view
    press(Key.Key_N, CTRL)
    editor = view.editor
    assert opened(editor) is editor.name
    write(COMMUNITY)
    tab_to(lambda w: w is editor.objective)
    write(OBJECTIVE)
    press(Key.Key_S, CTRL)
    assert not editor.isVisible()
    ((community_id, objective),) = rows(
        window.db, "SELECT id, objective FROM community WHERE name = ?", COMMUNITY
    )
    assert objective == OBJECTIVE
    return community_id


def import_the_contacts(qtbot: Any, window: MainWindow, tmp_path: Path) -> dict[str, list[int]]:
    """Fichier ▸ Importer des contacts…: the file's path typed, Return through the pages."""
    from ui.contacts.files import ImportWizard

    path = tmp_path / "adhérents.vcf"
    path.write_text(CONTACTS_VCF, encoding="utf-8", newline="")
    from_menu(_("&File"), _("&Import contacts…"))
    wizard = window.import_wizard
    assert opened(wizard) is wizard.file_page.path
    write(str(path))
    press(Key.Key_Return)  # Next, the default button
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.PREVIEW)
    assert wizard.preview_page.model.rowCount() == 7
    FOCUS.check()
    press(Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.SUMMARY)
    assert len(wizard.report.created) == 7
    FOCUS.check()
    press(Key.Key_Return)  # Close
    assert not wizard.isVisible()
    people = contact_ids(window.db)
    assert {name: len(ids) for name, ids in people.items()} == {
        **{name: 1 for name in MEMBERS | {WALK_IN}},
        "Camille Martin": 2,
    }
    return people


def add_the_members(
    qtbot: Any, window: MainWindow, community_id: int, people: dict[str, list[int]]
) -> None:
    """Ctrl+4, Tab to the list, Return on the community; Tab to Add members…, Space: in the
    picker, Tab to the list, Ctrl+A, Ctrl+Down to Paul, Ctrl+Space leaves him out, Return.
    Ctrl+S."""
    from ui.communities.editor import ContactPicker

    press(Key.Key_4, CTRL)
    view = window.view("communities")
    tab_to(lambda w: w is view.table)
    assert view.selected_ids() == [community_id]
    press(Key.Key_Return)
    editor = view.editor
    assert opened(editor) is editor.name and editor.name.text() == COMMUNITY

    def pick(picker: ContactPicker) -> None:
        qtbot.waitUntil(lambda: picker.model.rowCount() == 7)
        assert opened(picker) is picker.search
        tab_to(lambda w: w is picker.table)
        press(Key.Key_A, CTRL)
        paul = picker.model.ids().index(people[WALK_IN][0])
        press(Key.Key_Down, CTRL, times=paul - picker.table.currentIndex().row())
        assert picker.table.currentIndex().row() == paul
        press(Key.Key_Space, CTRL)
        assert {cid for cid, _name in picker.chosen()} == {
            cid for name in MEMBERS for cid in people[name]
        }
        press(Key.Key_Return)

    picked = when_modal(ContactPicker, pick)
    tab_to(lambda w: w is editor.add_button)
    press(Key.Key_Space)
    picked.check()
    assert len(editor.members.members) == 6
    press(Key.Key_S, CTRL)
    assert not editor.isVisible()
    members = rows(
        window.db,
        "SELECT contact_id FROM community_member WHERE community_id = ?",
        community_id,
    )
    assert {cid for (cid,) in members} == {cid for name in MEMBERS for cid in people[name]}


def plan_the_series(qtbot: Any, window: MainWindow, community_id: int) -> int:
    """Ctrl+5 Events, Ctrl+N: the title typed, Tab to the community, Down to it; Ctrl+Tab to
    "Date et heure": "jeudi 19h" typed, Tab; the zone typed; weekly, after 6 times; Ctrl+Tab
    to "Lieu": a new venue, its name and address typed; Ctrl+S."""
    from ui.events.editor import NEW_VENUE

    press(Key.Key_5, CTRL)
    view = window.view("events")
    press(Key.Key_N, CTRL)
    editor = view.editor
    assert opened(editor) is editor.title
    write(TITLE)
    tab_to(lambda w: w is editor.community)
    choose_by_keys(editor.community, COMMUNITY)

    press(Key.Key_Tab, CTRL)
    assert FOCUS.check() is editor.start
    QTest.qWait(20)  # a person's first key comes after the field has selected its text
    write("jeudi 19h")
    press(Key.Key_Tab)
    assert editor.start.dateTime().toPython() == FIRST_DATE
    assert editor.end.dateTime().toPython() == FIRST_DATE + dt.timedelta(hours=2)
    tab_to(lambda w: w is editor.timezone)
    write("Europe/Paris")
    rec = editor.recurrence
    tab_to(lambda w: w is rec.pattern)
    choose_by_keys(rec.pattern, _("Weekly"))
    assert [box.isChecked() for box in rec.days] == [d == 3 for d in range(7)]  # Thursday
    tab_to(lambda w: w is rec.ends)
    choose_by_keys(rec.ends, _("After"))
    tab_to(lambda w: w is rec.count)
    write("6")
    assert rec.summary.text() == "Chaque jeudi, 6 fois"

    press(Key.Key_Tab, CTRL)
    assert editor.tabs.currentIndex() == 2  # Lieu
    tab_to(lambda w: w is editor.venue)
    choose_by_keys(editor.venue, editor.venue.itemText(editor.venue.findData(NEW_VENUE)))
    assert editor.new_venue.isVisible()
    tab_to(lambda w: w is editor.venue_name)
    write(VENUE)
    tab_to(lambda w: w is editor.venue_street)
    write(VENUE_ADDRESS)
    press(Key.Key_S, CTRL)
    assert not editor.isVisible()

    ((event_id, start, zone, rule, community),) = rows(
        window.db,
        "SELECT id, start_local, timezone, rrule, community_id FROM event WHERE title = ?",
        TITLE,
    )
    assert (start[:16], zone) == ("2026-11-19 19:00", "Europe/Paris")
    assert rule == "FREQ=WEEKLY;BYDAY=TH;COUNT=6" and community == community_id
    assert rows(window.db, "SELECT name, street FROM venue") == [(VENUE, VENUE_ADDRESS)]
    qtbot.waitUntil(lambda: view.model.ids() == [event_id])
    return event_id


def invite_the_community(qtbot: Any, window: MainWindow, event_id: int) -> None:
    """Tab to the list, Return on the event; Ctrl+Tab to "Invités", Alt+G "Inviter un
    groupe", C "Une communauté…": the event's community is proposed, Return invites. The
    list changed at once: Escape closes the editor without a question."""
    from ui.events.invite_group import GroupDialog

    view = window.view("events")
    tab_to(lambda w: w is view.table)
    assert view.selected_ids() == [event_id]
    press(Key.Key_Return)
    editor = view.editor
    assert opened(editor) is editor.title
    panel = editor.guests_panel
    for _page in range(editor.tabs.indexOf(panel)):
        press(Key.Key_Tab, CTRL)
    assert editor.tabs.currentWidget() is panel, (editor.tabs.currentIndex(), FOCUS.passed[-4:])

    def invite_a_community(menu: QMenu) -> None:
        press(letter(_("A &Community…")))

    chose = when_menu(invite_a_community)
    press(letter(panel.group_button.text()), ALT)
    chose.check()
    dialog = panel.group_dialog
    assert isinstance(dialog, GroupDialog)
    assert opened(dialog) is dialog.choice and dialog.choice.currentText() == COMMUNITY
    press(Key.Key_Return)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: len(names_in(panel.proxy)) == 6)  # Camille's two cards
    assert set(names_in(panel.proxy)) == MEMBERS
    FOCUS.check()
    press(Key.Key_Escape)
    assert not editor.isVisible()
    assert answers(window.db, event_id) == {name: ("needs-action", None) for name in MEMBERS}


# --- Wednesday ----------------------------------------------------------------------------------


def read_the_replies(qtbot: Any, window: MainWindow, event_id: int, tmp_path: Path) -> None:
    """Fichier ▸ Lire les réponses des invités…: Tab to "Choisir un dossier…", Space; the
    folder given in the file dialog. The report: Return closes it."""
    folder = write_the_replies(window.db, event_id, tmp_path)

    def choose_folder(box: QMessageBox) -> None:
        opened(box)
        tab_to(named(plain(_("Choose a f&older…"))))
        press(Key.Key_Space)

    asked = when_modal(QMessageBox, choose_folder)
    # Qt's file dialog stands for the system's: filled in as test_a_week_of_a_cm does.
    chosen = when_modal(QFileDialog, choose_in_file_dialog(folder))
    from_menu(_("&File"), _("Read &guests' replies…"))
    asked.check()
    chosen.check()
    report = window.calendar_report
    opened(report)
    assert "4-hugo.ics" in report.text()
    press(Key.Key_Return)
    assert not report.isVisible()
    assert answers(window.db, event_id) == REPLIED


# --- Thursday evening ---------------------------------------------------------------------------


def open_the_door(qtbot: Any, window: MainWindow, event_id: int) -> None:
    """On the event's row, Shift+F10 ▸ Pointer à l'entrée…: tonight's date. Two guests typed,
    Return each; Paul walks in: Ctrl+N, his name typed, Return. Escape closes the door."""
    from ui.events.checkin import CheckInDialog

    view = window.view("events")
    assert FOCUS.check() is view.table and view.selected_ids() == [event_id]
    door_opened = when_menu(lambda menu: press(letter(_("Chec&k in at the door…"))))
    press(Key.Key_F10, SHIFT)
    door_opened.check()
    door = view.checkin
    assert isinstance(door, CheckInDialog)
    qtbot.waitUntil(lambda: door.date is not None)
    assert door.date.today and door.occurrence == FIRST_DATE
    assert opened(door) is door.search
    qtbot.waitUntil(lambda: len(names_in(door.model)) == 6)
    before = len(rows(window.db, "SELECT id FROM contact"))

    for typed, name in (("hugo", "Hugo Lefebvre"), ("elodie", "Élodie Fauré")):
        write(typed)
        qtbot.waitUntil(lambda name=name: names_in(door.model) == [name])
        assert press(Key.Key_Return) is door.search  # ready for the next person
        assert name in door.feedback.text() and door.search.text() == ""

    assert press(Key.Key_N, CTRL) is door.walk_in_search
    write("paul gi")
    qtbot.waitUntil(door.match_list.isVisible)
    match = door.current_match()
    assert match is not None and match.name == WALK_IN
    press(Key.Key_Return)
    assert not door.walk_in_form.isVisible()
    assert WALK_IN in door.feedback.text()
    assert door.counts["attended"] == 3
    press(Key.Key_Escape)
    assert closed(door)
    assert len(rows(window.db, "SELECT id FROM contact")) == before  # nobody created
    assert attendance_on(window.db, event_id, FIRST_DATE.date()) == {
        "Hugo Lefebvre": True,
        "Élodie Fauré": True,
        WALK_IN: True,
    }


# --- Friday -------------------------------------------------------------------------------------


def close_the_date(qtbot: Any, window: MainWindow, event_id: int) -> None:
    """Ctrl+Shift+D on the event's row: last night's date, those who came ticked; Return
    closes it. The debrief: Ctrl+Home, a line typed before the numbers, Ctrl+S."""
    from ui.events.closing import CloseEventDialog, DebriefDialog

    view = window.view("events")
    assert FOCUS.check() is view.table and view.selected_ids() == [event_id]
    press(Key.Key_D, CTRL | SHIFT)
    dialog = view.close_dialog
    assert isinstance(dialog, CloseEventDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.close_button.isEnabled())
    assert opened(dialog) is dialog.occurrence_box
    assert dialog.occurrence_box.currentData() == FIRST_DATE  # the only date that has come
    assert {g.name for g in dialog.plan.guests if g.invitation_id in dialog.came()} == {
        "Hugo Lefebvre",
        "Élodie Fauré",
        WALK_IN,
    }
    press(Key.Key_Return)
    assert not dialog.isVisible()
    debrief = dialog.debrief_dialog
    assert isinstance(debrief, DebriefDialog)
    assert opened(debrief) is debrief.text
    press(Key.Key_Home, CTRL)
    write("Belle première soirée.\n")
    press(Key.Key_S, CTRL)
    assert closed(debrief)

    ((status,),) = rows(
        window.db, "SELECT status FROM occurrence_exception WHERE event_id = ?", event_id
    )
    assert status == "done"
    ((debrief_text,),) = rows(window.db, "SELECT debrief FROM event WHERE id = ?", event_id)
    assert debrief_text.startswith("Belle première soirée.\n")
    assert len(rows(window.db, "SELECT id FROM task WHERE event_id = ?", event_id)) == 5


def preview_and_print_the_brief(
    qtbot: Any, window: MainWindow, event_id: int, tmp_path: Path
) -> None:
    """Ctrl+P on the event's row: the brief. Ctrl+S saves it as a PDF, Ctrl+P prints it (to
    a PDF file); Escape closes the preview."""
    from PySide6.QtPrintSupport import QPrintDialog

    from ui.documents.preview import PdfPreview

    view = window.view("events")
    assert FOCUS.check() is view.table and view.selected_ids() == [event_id]
    press(Key.Key_P, CTRL)
    preview = view.preview
    assert isinstance(preview, PdfPreview)
    qtbot.waitUntil(lambda: preview.page_count() > 0 and not preview.working)
    opened(preview)
    pages = preview.page_count()

    saved = tmp_path / "imprimés" / "brief.pdf"
    saved.parent.mkdir()
    # Qt's file and print dialogs stand for the system's: filled in as the other test does.
    chosen = when_modal(QFileDialog, choose_in_file_dialog(saved))
    press(Key.Key_S, CTRL)
    chosen.check()
    assert saved.exists()
    printed = tmp_path / "imprimés" / "printed.pdf"
    asked = when_modal(QPrintDialog, print_to_a_file(printed))
    press(Key.Key_P, CTRL)
    asked.check()
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) == pages
    press(Key.Key_Escape)
    assert closed(preview)


def merge_and_undo(qtbot: Any, window: MainWindow, people: dict[str, list[int]]) -> None:
    """Édition ▸ Rechercher les doublons…: Down to Camille's two cards, Return (Fusionner…):
    her first card chosen with the arrows (each said with its addresses), Return merges.
    Escape; Ctrl+Z undoes the merge."""
    from ui.contacts.duplicates import MergeDialog

    db = window.db
    first, second = sorted(people["Camille Martin"])
    from_menu(_("&Edit"), _("&Find duplicates…"))
    dialog = window.view("contacts").duplicates_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    assert opened(dialog) is dialog.table
    before = dump(db)
    for _pair in range(dialog.model.rowCount()):
        if {dialog.current().first, dialog.current().second} == {first, second}:
            break
        press(Key.Key_Down)

    def keep_the_first(merge: MergeDialog) -> None:
        chosen = opened(merge)
        assert isinstance(chosen, QRadioButton) and chosen.isChecked()
        said = [accessible_description(button) for button in merge.group.buttons()]
        assert len(set(said)) == 2 and "+33 6 98 76 54 32" in " ".join(said)  # told apart
        if merge.kept() != first:
            press(Key.Key_Down)
        assert merge.kept() == first
        press(Key.Key_Return)

    merged = when_modal(MergeDialog, keep_the_first)
    press(Key.Key_Return)
    merged.check()
    assert contact_ids(db)["Camille Martin"] == [first]
    assert emails_of(db, first) == {"camille.martin@example.org", "camille.m@perso.example"}
    assert dialog.model.rowCount() == 1  # Hugo and Inès: only a suggestion
    FOCUS.check()
    press(Key.Key_Escape)
    assert closed(dialog)
    assert isinstance(FOCUS.check(), QLineEdit)  # the contacts' search box, untouched
    press(Key.Key_Z, CTRL)  # Édition ▸ Annuler
    assert dump(db) == before
    assert sorted(contact_ids(db)["Camille Martin"]) == [first, second]


def keep_unsaved_notes_then_save(
    qtbot: Any, window: MainWindow, people: dict[str, list[int]], unsaved_answers: Any
) -> None:
    """Karim's card (Down to his row, Return), Ctrl+Tab to "Garder le contact", Tab to the
    notes, typed; Escape. "Enregistrer les modifications ?" — Escape: keep editing, the
    notes still there. Ctrl+S saves."""
    db = window.db
    karim = people["Karim Benali"][0]
    press(Key.Key_2, CTRL)
    view = window.view("contacts")
    tab_to(lambda w: w is view.table)
    for _row in range(view.row_count()):
        if view.selected_ids() == [karim]:
            break
        press(Key.Key_Down)
    assert view.selected_ids() == [karim]
    press(Key.Key_Return)
    editor = view.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.details is not None)
    opened(editor)
    assert editor.details.id == karim
    press(Key.Key_Tab, CTRL)
    press(Key.Key_Tab, CTRL)
    assert editor.tabs.currentIndex() == 2  # Garder le contact
    tab_to(lambda w: w is editor.notes)
    write(NOTES)

    unsaved_answers.timer.stop()  # the question is answered from the keyboard here
    asked: list[str] = []

    def keep_editing(box: QMessageBox) -> None:
        opened(box)
        asked.append(box.text())
        press(Key.Key_Escape)  # Continuer la saisie

    question = when_modal(QMessageBox, keep_editing)
    press(Key.Key_Escape)
    question.check()
    assert asked == [_("Save the changes made in “{name}”?").format(name=editor.windowTitle())]
    assert editor.isVisible() and editor.notes.toPlainText() == NOTES
    assert FOCUS.check() is editor.notes  # back where the person was typing
    assert rows(db, "SELECT notes FROM contact WHERE id = ?", karim) == [("",)]
    press(Key.Key_S, CTRL)
    assert not editor.isVisible()
    assert rows(db, "SELECT notes FROM contact WHERE id = ?", karim) == [(NOTES,)]
