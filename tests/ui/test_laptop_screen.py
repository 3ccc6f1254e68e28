"""A laptop screen: at 1366×768 and at 1280×720, in French and in English, every section,
editor, dialog and preview fits the screen with its buttons on it, and its minimum size too
(so the window manager cannot be asked for more than the screen has).

The screens come from fixtures/screens.json (see conftest.py): a 1366×768 laptop, the
primary, and a 1280×720 one to its right. Every dialog class of ui/ must be opened here: a
new one that is not fails `test_every_dialog_of_the_app_is_measured`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

import ui
from cmplanner import i18n
from cmplanner.services import closing
from cmplanner.storage import Database
from ui.kit import settings
from ui.shell.app import apply_style
from ui.shell.main_window import MainWindow
from ui.shell.sections import SECTION_KEYS

# The widest a main window may insist on: a 1024-pixel-wide screen (or half of a big one).
MOST_MAIN_WINDOW_WIDTH = 1024

SERIES = 1  # the demo's weekly "Apéro du jeudi" (with guests, a venue, a recurrence)
WORKSHOP = 4  # "Atelier « premiers pas »": past, with guests
APEROS = 1  # the community "Apéros du jeudi", the one with most members
CSV = Path(__file__).parent / "fixtures" / "association_members.csv"
VCARDS = Path(__file__).parent / "fixtures" / "contacts.vcf"


@dataclass(frozen=True)
class Opener:
    """How a person opens one window, and the class of the window it opens."""

    name: str
    opens: type[QWidget]
    trigger: Callable[[MainWindow], Any]


# -- what is opened ---------------------------------------------------------------------------


def _contacts(win: MainWindow) -> Any:
    win.show_section("contacts")
    return win.view("contacts")


def _events(win: MainWindow) -> Any:
    win.show_section("events")
    return win.view("events")


def _busiest_contact(db: Database) -> int:
    """The contact with the most e-mails, phones, addresses and memberships."""
    with db.read() as con:
        row = con.execute(
            "SELECT c.id FROM contact c ORDER BY "
            "(SELECT COUNT(*) FROM contact_email e WHERE e.contact_id = c.id)"
            " + (SELECT COUNT(*) FROM contact_phone p WHERE p.contact_id = c.id)"
            " + (SELECT COUNT(*) FROM contact_address a WHERE a.contact_id = c.id)"
            " + (SELECT COUNT(*) FROM community_member m WHERE m.contact_id = c.id)"
            " + (SELECT COUNT(*) FROM affiliation f WHERE f.contact_id = c.id) DESC, c.id"
        ).fetchone()
    return int(row[0])


def _contact_editor(win: MainWindow) -> None:
    _contacts(win).open_contact(_busiest_contact(win.db))


def _interaction(win: MainWindow) -> QDialog:
    from ui.contacts.editor import InteractionDialog

    dialog = InteractionDialog("Camille Martin-Delacroix", win)
    dialog.open()
    return dialog


def _organization_editor(win: MainWindow) -> None:
    win.show_section("organizations")
    win.view("organizations").open_record(1)


def _contact_picker(win: MainWindow) -> QDialog:
    from ui.communities.editor import ContactPicker

    picker = ContactPicker(win.db, i18n._("Add people"), parent=win)
    picker.open()
    return picker


def _community_editor(win: MainWindow) -> None:
    win.show_section("communities")
    win.view("communities").open_record(APEROS)


def _add_to_community(win: MainWindow) -> QDialog:
    from cmplanner.services import vocabulary
    from ui.communities.editor import AddToCommunityDialog

    dialog = AddToCommunityDialog(vocabulary.communities(win.db), 3, win)
    dialog.open()
    return dialog


def _event_editor(win: MainWindow) -> None:
    _events(win).open_record(SERIES)


def _checklist_task(win: MainWindow) -> QDialog:
    from ui.events.checklist import TaskEditor

    dialog = TaskEditor(None, dt.date(2026, 11, 19), win)
    dialog.open()
    return dialog


def _merge_into(win: MainWindow) -> QDialog:
    from cmplanner.services import named_records
    from ui.kit.named_records import MergeIntoDialog

    found = named_records.records(win.db, "community")
    dialog = MergeIntoDialog(found[0].name, found[0].usage, found[1:], win)
    dialog.open()
    return dialog


def _group_dialog(win: MainWindow) -> QDialog:
    from cmplanner.services import vocabulary
    from ui.events.invite_group import COMMUNITY, GroupDialog

    dialog = GroupDialog(COMMUNITY, vocabulary.communities(win.db), win)
    dialog.open()
    return dialog


def _promise(win: MainWindow) -> QDialog:
    from ui.communities.commitments import PromiseDialog

    dialog = PromiseDialog([(i18n._("The community"), {"community_id": APEROS})], win)
    dialog.open()
    return dialog


def _invitations(win: MainWindow) -> None:
    _events(win).open_invitations(SERIES)


def _cancel(win: MainWindow) -> QDialog:
    from ui.events.invitations import CancelDialog, InvitationsDialog

    invitations = InvitationsDialog(win.db, SERIES, win.undo_stack.push, win)
    assert invitations.state is not None
    dialog = CancelDialog(invitations.state, 12, win)
    dialog.open()
    return dialog


def _check_in(win: MainWindow) -> None:
    _events(win).open_checkin(WORKSHOP)


def _close_event(win: MainWindow) -> None:
    _events(win).close_event(SERIES)


def _debrief(win: MainWindow) -> QDialog:
    from ui.events.closing import DebriefDialog

    plan = closing.closing_plan(win.db, WORKSHOP, None)
    dialog = DebriefDialog(win.db, win.undo_stack.push, plan, None, win)
    dialog.open()
    return dialog


def _task_templates(win: MainWindow) -> None:
    _events(win).open_templates("workshop")


def _task(win: MainWindow) -> None:
    win.show_section("tasks")
    win.view("tasks").add_task()


def _work(win: MainWindow) -> None:
    from ui.dashboard.actions import log_work

    win.show_section("dashboard")
    log_work(win.view("dashboard"))


def _brief(win: MainWindow) -> None:
    _events(win).preview_document(SERIES, "brief")


def _badges(win: MainWindow) -> None:
    _events(win).preview_document(WORKSHOP, "badges")


def _dossier(win: MainWindow) -> None:
    win.show_section("communities")
    win.view("communities").preview_dossier(APEROS)


def _duplicates(win: MainWindow) -> None:
    win.find_duplicates()


def _merge(win: MainWindow) -> QDialog:
    from ui.contacts.duplicates import MergeDialog

    people = [
        (1, "Camille Martin", "camille.martin@example.org · +33 6 12 34 56 78 · Lyon"),
        (2, "Camille Martin", "c.martin@example.com · Villeurbanne"),
    ]
    dialog = MergeDialog(people, win)
    dialog.open()
    return dialog


def _import_csv(win: MainWindow) -> None:
    """The wizard on its columns page (a CSV file from another program)."""
    win.import_contacts()
    wizard = win.import_wizard
    wizard.file_page.path.setText(str(CSV))
    wizard.next()


def _import_vcards(win: MainWindow) -> None:
    """The wizard on its preview page (cards with warnings and an unreadable one)."""
    win.import_contacts()
    wizard = win.import_wizard
    wizard.file_page.path.setText(str(VCARDS))
    wizard.next()


def _export_contacts(win: MainWindow) -> None:
    win.export_contacts()


def _export_calendar(win: MainWindow) -> None:
    win.export_calendar()


def _report(win: MainWindow) -> QDialog:
    from ui.kit.report import ReportDialog

    body = "<p>" + "Test de la version 3.3 — Atelier « premiers pas » — " * 30 + "</p>"
    dialog = ReportDialog(i18n._("Import calendar"), i18n._("Import calendar"), body, win)
    dialog.open()
    return dialog


def _publish(win: MainWindow) -> QDialog:
    from ui.preferences.publishing import PublishDialog

    dialog = PublishDialog(win.db, "Repair café de la Croix-Rousse", win)
    dialog.open()
    dialog._finish(True, "https://cloud.example.org/remote.php/dav/calendars/cm/apero/", "<ul>")
    return dialog


def _restore(win: MainWindow) -> None:
    win.restore_dialog()


def _erase(win: MainWindow) -> QDialog:
    from ui.contacts.privacy import EraseDialog

    backups = [Path(f"/home/cm/.local/share/cmplanner/backups/{n}.cmpbak") for n in range(9)]
    dialog = EraseDialog("Camille Martin-Delacroix", backups, win)
    dialog.open()
    return dialog


def _preferences(win: MainWindow) -> None:
    win.preferences()


def _day_popup(win: MainWindow) -> None:
    win.show_section("calendar")
    calendar = win.view("calendar")
    calendar.show_month(dt.date(2026, 11, 19))
    calendar.open_day(dt.date(2026, 11, 19))


def _about(win: MainWindow) -> None:
    win.about()


def _read_replies(win: MainWindow) -> None:
    win.read_replies()


def _openers() -> tuple[Opener, ...]:
    from ui.calendar.agenda import DayPopup
    from ui.checklists.templates import TaskTemplatesDialog
    from ui.checklists.view import TaskDialog
    from ui.communities.commitments import PromiseDialog
    from ui.communities.editor import AddToCommunityDialog, CommunityEditor, ContactPicker
    from ui.contacts.duplicates import DuplicatesDialog, MergeDialog
    from ui.contacts.editor import ContactEditor, InteractionDialog
    from ui.contacts.files import ExportDialog, ImportWizard
    from ui.contacts.privacy import EraseDialog
    from ui.dashboard.actions import WorkDialog
    from ui.documents.preview import PdfPreview
    from ui.events.checkin import CheckInDialog
    from ui.events.checklist import TaskEditor
    from ui.events.closing import CloseEventDialog, DebriefDialog
    from ui.events.editor import EventEditor
    from ui.events.invitations import CancelDialog, InvitationsDialog
    from ui.events.invite_group import GroupDialog
    from ui.exchange.calendars import ExportCalendarDialog
    from ui.kit.named_records import ManageDialog, MergeIntoDialog
    from ui.kit.report import ReportDialog
    from ui.organizations.editor import OrganizationEditor
    from ui.preferences.dialog import PreferencesDialog
    from ui.preferences.publishing import PublishDialog
    from ui.shell.backups import RestoreDialog
    from ui.shell.help import HelpDialog

    return (
        Opener("contact editor", ContactEditor, _contact_editor),
        Opener("new contact", ContactEditor, lambda w: _contacts(w).open_contact(None)),
        Opener("interaction", InteractionDialog, _interaction),
        Opener("organization editor", OrganizationEditor, _organization_editor),
        Opener("contact picker", ContactPicker, _contact_picker),
        Opener("community editor", CommunityEditor, _community_editor),
        Opener("add to a community", AddToCommunityDialog, _add_to_community),
        Opener("event editor", EventEditor, _event_editor),
        Opener("new event", EventEditor, lambda w: _events(w).open_record(None)),
        Opener("checklist task", TaskEditor, _checklist_task),
        Opener("manage tags", ManageDialog, lambda w: w.commands["manage_tags"].trigger()),
        Opener("manage venues", ManageDialog, lambda w: w.commands["manage_venues"].trigger()),
        Opener("merge into", MergeIntoDialog, _merge_into),
        Opener("invite a community", GroupDialog, _group_dialog),
        Opener("promise", PromiseDialog, _promise),
        Opener("invitations", InvitationsDialog, _invitations),
        Opener("cancel", CancelDialog, _cancel),
        Opener("check-in", CheckInDialog, _check_in),
        Opener("close event", CloseEventDialog, _close_event),
        Opener("debrief", DebriefDialog, _debrief),
        Opener("task templates", TaskTemplatesDialog, _task_templates),
        Opener("task", TaskDialog, _task),
        Opener("online work", WorkDialog, _work),
        Opener("brief preview", PdfPreview, _brief),
        Opener("badges preview", PdfPreview, _badges),
        Opener("dossier preview", PdfPreview, _dossier),
        Opener("duplicates", DuplicatesDialog, _duplicates),
        Opener("merge", MergeDialog, _merge),
        Opener("import wizard", ImportWizard, lambda w: w.import_contacts()),
        Opener("import wizard, columns", ImportWizard, _import_csv),
        Opener("import wizard, preview", ImportWizard, _import_vcards),
        Opener("export contacts", ExportDialog, _export_contacts),
        Opener("export calendar", ExportCalendarDialog, _export_calendar),
        Opener("import report", ReportDialog, _report),
        Opener("publish", PublishDialog, _publish),
        Opener("restore", RestoreDialog, _restore),
        Opener("erase", EraseDialog, _erase),
        Opener("preferences", PreferencesDialog, _preferences),
        Opener("day popup", DayPopup, _day_popup),
        Opener("help", HelpDialog, lambda w: w.show_help()),
        Opener("about", QMessageBox, _about),
        Opener("read replies", QMessageBox, _read_replies),
    )


# -- measuring ---------------------------------------------------------------------------------


def look_at_what_opens(
    qtbot: Any, window: MainWindow, opener: Opener, look: Callable[[list[QWidget]], list[str]]
) -> list[str]:
    """Open with `opener` as a person does; once it is shown (inside its exec() loop if it
    has one), `look` at the windows it opened, then close them all. What `look` found, and
    an assertion failing in it, are returned to be said with the rest."""
    found: list[str] = []
    state = {"done": False, "opening": True, "waits": 0}

    def done() -> None:
        if state["done"]:
            return
        in_a_loop = QApplication.activeModalWidget() or QApplication.activePopupWidget()
        if state["opening"] and not in_a_loop and state["waits"] < 200:
            # Still opening (waiting for its window to be active, say): look once it has.
            state["waits"] += 1
            QTimer.singleShot(50, done)
            return
        state["done"] = True
        try:
            found.extend(look(_shown_windows(window)))
        except AssertionError as problem:
            found.append(f"{opener.name}: {problem}")
        finally:
            for shown in reversed(_shown_windows(window)):
                _close(shown)

    QTimer.singleShot(50, done)
    opener.trigger(window)
    state["opening"] = False
    qtbot.waitUntil(lambda: state["done"], timeout=20_000)
    qtbot.waitUntil(lambda: not _shown_windows(window), timeout=5_000)
    return found


def _shown_windows(main: MainWindow) -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w is not main and not isinstance(w, QMenu | QFileDialog)
    ]


def _name(window: QWidget) -> str:
    return f"{type(window).__name__} «{window.windowTitle()}»"


def _size(width: int, height: int) -> str:
    return f"{width}×{height}"


def misfits(window: QWidget, screen_name: str) -> list[str]:
    """What does not fit the screen: the window's frame, its minimum size, a button."""
    found = []
    # Looked up each time: PySide can drop a QScreen wrapper held across dialogs.
    room = _screen(screen_name).availableGeometry()
    frame = window.frameGeometry()
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    if window.screen().name() != screen_name:
        found.append(f"opens on the screen {window.screen().name()}, not {screen_name}")
    if not room.contains(frame):
        found.append(
            f"its frame {_size(frame.width(), frame.height())} at ({frame.x()}, {frame.y()}) "
            f"is not inside the screen's {_size(room.width(), room.height())}"
        )
    if least.width() + extra_w > room.width() or least.height() + extra_h > room.height():
        found.append(f"its minimum size {_size(least.width(), least.height())} is too big")
    inside = window.rect()
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or _scrolls(button, window):
            continue
        where = button.rect().translated(button.mapTo(window, button.rect().topLeft()))
        if not inside.contains(where):
            found.append(f"the button “{button.text()}” is cut or outside the window")
    return found + cut_words(window)


def cut_words(window: QWidget) -> list[str]:
    """Column titles and combo box texts that do not fit their box ("Toutes les étiquet",
    "Vu pour la dernière f"). A combo may shorten a long choice (not its first, "Any tag")
    with "…" if its tooltip says it whole."""
    found = []
    for header in window.findChildren(QHeaderView):
        if not header.isVisibleTo(window) or header.orientation() != Qt.Orientation.Horizontal:
            continue
        model = header.model()
        for section in range(header.count()):
            mode = header.sectionResizeMode(section)
            if header.isSectionHidden(section) or mode == QHeaderView.ResizeMode.Stretch:
                continue
            title = model.headerData(section, Qt.Orientation.Horizontal) if model else ""
            needed = header.sectionSizeFromContents(section).width()
            if title and header.sectionSize(section) < needed:
                found.append(
                    f"the column title “{title}” is cut ({header.sectionSize(section)} px "
                    f"of {needed})"
                )
    for combo in window.findChildren(QComboBox):
        if not combo.isVisibleTo(window) or combo.isEditable() or not combo.currentText():
            continue
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        room = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
        )
        text = combo.currentText()
        if combo.fontMetrics().horizontalAdvance(text) <= room.width() - 2:
            continue
        if combo.currentIndex() > 0 and text in combo.toolTip():
            continue  # a long choice, shortened with "…" and whole in the tooltip
        found.append(f"the combo box text “{text}” is cut ({room.width()} px)")
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text() or label.pixmap().width():
            continue
        whole = getattr(label, "whole", "")  # an ElidedLabel's text
        if whole and whole in label.toolTip():
            continue  # a long path, shortened with "…" and whole in the tooltip
        if label.wordWrap():
            needed = QSize(1, label.heightForWidth(label.width()))
        else:
            needed = label.sizeHint()
        if label.width() + 1 < needed.width() or label.height() + 1 < needed.height():
            text = " ".join(label.text().split())[:40]
            found.append(
                f"the label “{text}” is cut ({_size(label.width(), label.height())} of "
                f"{_size(needed.width(), needed.height())})"
            )
    return found


def _scrolls(widget: QWidget, window: QWidget) -> bool:
    """Whether `widget` is inside a scroll area of `window` (reachable by scrolling)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _close(window: QWidget) -> None:
    if isinstance(window, QDialog):
        window.done(QDialog.DialogCode.Rejected)
    window.close()


class Measure:
    """Opens each window as a person does and notes what does not fit."""

    def __init__(self, win: MainWindow, screen_name: str, qtbot: Any) -> None:
        self.win, self.screen_name, self.qtbot = win, screen_name, qtbot
        self.problems: list[str] = []
        self.seen: dict[str, set[type]] = {}

    def main_window(self, where: str) -> None:
        win = self.win
        if win.current_key() == "dashboard":  # its cards come one by one
            self.qtbot.waitUntil(lambda: len(win.view("dashboard").cards) == 4, timeout=10_000)
        self.qtbot.wait(50)  # the layouts a section's filling asked for, done
        for _round in range(3):  # on a busy machine too: a wrapped label's height, then its
            QApplication.sendPostedEvents()  # width, each a layout request of its own
            QApplication.processEvents()
        least = win.minimumSizeHint().expandedTo(win.minimumSize())
        if least.width() > MOST_MAIN_WINDOW_WIDTH:
            self.problems.append(
                f"main window, {where}: its minimum width is {least.width()} px "
                f"(at most {MOST_MAIN_WINDOW_WIDTH})"
            )
        self.problems.extend(f"main window, {where}: {p}" for p in misfits(win, self.screen_name))

    def open(self, opener: Opener) -> None:
        """Open with `opener.trigger`; measure once it is shown (inside its exec() loop if it
        has one), then close everything it opened."""
        state: dict[str, Any] = {"done": False}
        self.seen[opener.name] = set()

        def look() -> None:
            if state["done"]:
                return
            state["done"] = True
            for _round in range(3):  # a wrapped label's height, once its width is known
                QApplication.sendPostedEvents()
                QApplication.processEvents()
            for window in _shown_windows(self.win):
                self.seen[opener.name].add(type(window))
                self.problems.extend(
                    f"{opener.name}: {_name(window)}: {p}"
                    for p in misfits(window, self.screen_name)
                )
            for window in reversed(_shown_windows(self.win)):
                _close(window)

        QTimer.singleShot(50, look)
        opener.trigger(self.win)
        self.qtbot.waitUntil(lambda: state["done"], timeout=10_000)
        self.qtbot.waitUntil(lambda: not _shown_windows(self.win), timeout=5_000)


# -- fixtures ------------------------------------------------------------------------------------


def _screen(name: str) -> QScreen:
    screens = {s.name(): s for s in QGuiApplication.screens()}
    assert name in screens, (
        "the UI tests run on the offscreen screens of tests/ui/fixtures/screens.json "
        f"(QT_QPA_PLATFORM=offscreen); this run has {sorted(screens)}"
    )
    return screens[name]


def _save_geometry_on(screen: QScreen, width: int, height: int) -> None:
    """A main window last closed on `screen` at that size (what restoreGeometry gets)."""
    probe = QWidget()
    room = screen.availableGeometry()
    probe.setGeometry(room.x() + 20, room.y() + 40, width, height)
    settings.app_settings().setValue(settings.GEOMETRY, probe.saveGeometry())
    probe.deleteLater()


SCREENS = [("laptop", 1366, 768), ("small", 1280, 720)]


@pytest.mark.parametrize("language", ["fr", "en"], indirect=True)
@pytest.mark.parametrize(("screen_name", "width", "height"), SCREENS)
def test_every_section_and_window_fits_a_laptop_screen(
    open_window, qtbot, demo_db: Database, language: str, screen_name: str, width: int, height: int
) -> None:
    _every_section_and_window_fits(open_window, qtbot, demo_db, screen_name, width, height)


@pytest.fixture
def large_text(qapp: QApplication, language: str) -> Iterator[float]:
    """The person's text at 150% (the desktop's font size, which Qt gives the app as its
    font), the style sheet rendered for it; the font as it was afterwards."""
    before = QFont(qapp.font())
    bigger = QFont(before)
    bigger.setPointSizeF(before.pointSizeF() * 1.5)
    qapp.setFont(bigger)
    apply_style(qapp)
    yield bigger.pointSizeF()
    qapp.setFont(before)


@pytest.mark.parametrize("language", ["fr", "en"], indirect=True)
def test_at_150_percent_text_every_section_and_window_fits_a_laptop_screen(
    open_window, qtbot, demo_db: Database, language: str, large_text: float
) -> None:
    """Text 1.5 times the default: the titles grow with it (no pixel size pinned), and every
    section and window still fits 1366×768, no word cut (scrolling where it must)."""
    sheet = QApplication.instance().styleSheet()
    assert not re.search(r"font-size:\s*\d+px", sheet)
    title = QLabel("Contacts")
    title.setObjectName("pageTitle")
    plain = QLabel("Contacts")
    qtbot.addWidget(title)
    qtbot.addWidget(plain)
    title.ensurePolished()
    assert plain.font().pointSizeF() == large_text
    assert title.font().pointSizeF() > large_text * 1.7  # 22 px at 12 px: follows the text
    _every_section_and_window_fits(open_window, qtbot, demo_db, "laptop", 1366, 768)


def _every_section_and_window_fits(
    open_window, qtbot, demo_db: Database, screen_name: str, width: int, height: int
) -> None:
    size = _screen(screen_name).size()
    assert (size.width(), size.height()) == (width, height)
    _save_geometry_on(_screen(screen_name), 1000, 640)
    win = open_window(demo_db)
    measure = Measure(win, screen_name, qtbot)

    for key in SECTION_KEYS:
        win.show_section(key)
        view = win.view(key)
        if key == "calendar":
            for mode in ("month", "week", "agenda"):
                view.set_mode(mode)
                measure.main_window(f"{key} ({mode})")
        else:
            measure.main_window(key)
    win.show_section("dashboard")
    measure.main_window("dashboard, after every section")

    for opener in _openers():
        measure.open(opener)
    missing = [o.name for o in _openers() if o.opens not in measure.seen[o.name]]
    assert not missing, f"these did not open their window: {missing}"
    assert not measure.problems, "\n".join(measure.problems)
    win.close()


def test_every_dialog_of_the_app_is_measured() -> None:
    """A dialog class added to ui/ without an opener above fails here, not silently."""
    dialogs: set[type] = set()
    for found in pkgutil.walk_packages(ui.__path__, "ui."):
        module = importlib.import_module(found.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, QDialog) and value.__module__ == found.name:
                dialogs.add(value)
    assert len(dialogs) > 20  # the scan found the app's dialogs
    measured = {opener.opens for opener in _openers()}
    missing = sorted(d.__qualname__ for d in dialogs - measured)
    assert not missing, f"dialogs no test opens on a laptop screen: {missing}"


# -- the window comes back where it was -------------------------------------------------------


def _frame_inside(window: QWidget, screen_name: str) -> bool:
    return _screen(screen_name).availableGeometry().contains(window.frameGeometry())


@pytest.mark.parametrize(
    ("x", "y", "width", "height"),
    [
        (0, 0, 1900, 1150),  # a big monitor's maximised-like size
        (2700, 300, 900, 600),  # on a monitor to the right, unplugged since
        (200, -400, 1000, 700),  # its title bar above the screen
    ],
)
def test_a_window_saved_elsewhere_comes_back_inside_the_screen(
    open_window, qtbot, demo_db: Database, frozen_clock, x: int, y: int, width: int, height: int
) -> None:
    probe = QWidget()
    probe.setGeometry(x, y, width, height)
    settings.app_settings().setValue(settings.GEOMETRY, probe.saveGeometry())
    win = open_window(demo_db)
    assert win.screen().name() in ("laptop", "small")
    assert _frame_inside(win, win.screen().name()), win.frameGeometry()
    win.close()


def test_a_maximised_window_comes_back_maximised(
    open_window, qtbot, demo_db: Database, frozen_clock
) -> None:
    win = open_window(demo_db)
    win.showMaximized()
    qtbot.waitUntil(win.isMaximized)
    win.close()
    again = open_window(demo_db)
    assert again.isMaximized()
    assert _frame_inside(again, again.screen().name())
    again.close()


def test_the_window_comes_back_as_it_was_left(
    open_window, qtbot, demo_db: Database, frozen_clock
) -> None:
    win = open_window(demo_db)
    win.show_section("contacts")
    win.setGeometry(1366 + 60, 40, 1000, 620)  # on the 1280×720 screen
    splitter = win.view("contacts").splitter
    splitter.moveSplitter(560, 1)
    splitter.splitterMoved.emit(560, 1)  # as the person's drag does
    sizes = splitter.sizes()
    qtbot.waitUntil(lambda: win.screen().name() == "small")
    geometry = win.geometry()
    win.close()

    again = open_window(demo_db)
    assert again.screen().name() == "small"
    assert again.geometry() == geometry
    assert again.current_key() == "contacts"
    assert again.view("contacts").splitter.sizes() == sizes
    again.close()


def test_the_invitations_keep_the_height_given_to_the_mail_preview(
    qtbot, demo_db: Database, frozen_clock
) -> None:
    from ui.events.invitations import InvitationsDialog

    dialog = InvitationsDialog(demo_db, SERIES, lambda _command: None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.splitter.moveSplitter(120, 1)
    dialog.splitter.splitterMoved.emit(120, 1)
    sizes = dialog.splitter.sizes()
    dialog.close()
    again = InvitationsDialog(demo_db, SERIES, lambda _command: None)
    qtbot.addWidget(again)
    again.resize(dialog.size())
    again.show()
    assert again.splitter.sizes() == sizes


# -- the home screen ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr"], indirect=True)
def test_the_home_screen_is_one_page_that_scrolls_down_only(
    open_window, qtbot, demo_db: Database, frozen_clock, language: str
) -> None:
    """At 1024 px wide, nothing scrolls sideways (the community cards go one per line) and
    no list scrolls inside the page (the wheel would stop there halfway down)."""
    win = open_window(demo_db)
    win.show_section("dashboard")
    view = win.view("dashboard")
    qtbot.waitUntil(lambda: len(view.cards) == 4, timeout=10_000)
    extra = win.frameGeometry().width() - win.width()
    for width in (MOST_MAIN_WINDOW_WIDTH, 1366):
        win.resize(width - extra, 700)
        qtbot.waitUntil(lambda w=width: win.frameGeometry().width() == w)
        assert view.scroll_area.horizontalScrollBar().maximum() == 0, width
        assert view.scroll_area.verticalScrollBar().maximum() > 0
        inner = [
            area.objectName() or type(area).__name__
            for area in view.content.findChildren(QAbstractScrollArea)
            if area.isVisibleTo(view)
            and (area.verticalScrollBar().maximum() or area.horizontalScrollBar().maximum())
        ]
        assert not inner, f"these scroll inside the page at {width} px: {inner}"
        # Two cards side by side only when both fit.
        assert view.card_columns == (2 if width > MOST_MAIN_WINDOW_WIDTH else 1)
    win.close()


@pytest.mark.parametrize("language", ["fr", "en"], indirect=True)
def test_the_calendar_s_controls_hold_on_one_line_of_a_laptop_s_screen(
    open_window, qtbot, demo_db: Database, frozen_clock, language: str
) -> None:
    """Today, ‹ ›, the title, the community, the colours, Month / Week / Agenda and Export:
    one line in the window a 1366×768 screen opens (and in the whole screen's width), for
    the longest titles; no word cut."""
    win = open_window(demo_db)
    win.show_section("calendar")
    calendar = win.view("calendar")
    toolbar = calendar.toolbar
    longest = (
        ("month", dt.date(2026, 9, 1)),  # "Septembre 2026"
        ("week", dt.date(2026, 11, 30)),  # "30 nov. – 6 déc. 2026"
        ("agenda", dt.date(2026, 12, 19)),  # "19 déc. 2026 – 18 janv. 2027"
    )
    for width in (win.width(), 1366):
        win.resize(width, win.height())
        for mode, day in longest:
            calendar.anchor = day
            calendar.set_mode(mode)
            qtbot.waitUntil(calendar.is_filled)
            room = toolbar.geometry().width()
            one_line = toolbar.sizeHint()
            assert one_line.width() <= room, (width, mode, calendar.title_text())
            height = one_line.height()
            qtbot.waitUntil(lambda h=height: toolbar.geometry().height() == h)
            for combo in (calendar.community_combo, calendar.colour_combo):
                option = QStyleOptionComboBox()
                combo.initStyleOption(option)
                field = combo.style().subControlRect(
                    QStyle.ComplexControl.CC_ComboBox,
                    option,
                    QStyle.SubControl.SC_ComboBoxEditField,
                    combo,
                )
                icon = combo.iconSize().width() + 4 if not option.currentIcon.isNull() else 0
                text = combo.fontMetrics().horizontalAdvance(combo.currentText())
                assert icon + text <= field.width(), combo.currentText()
            for button in (calendar.month_button, calendar.week_button, calendar.agenda_button):
                assert button.width() >= button.sizeHint().width(), button.text()
    assert not calendar.export_button.icon().isNull()
    assert calendar.export_button.accessibleName() == i18n._("Export")
    win.close()


# -- the pieces -----------------------------------------------------------------------------------


def test_a_flow_of_controls_wraps_instead_of_widening_the_window(qtbot) -> None:
    from PySide6.QtWidgets import QLineEdit, QPushButton, QSizePolicy

    from ui.kit.flow_layout import FlowLayout

    bar = QWidget()
    qtbot.addWidget(bar)
    flow = FlowLayout(bar, spacing=6, wrapped_to_the_right=True)
    search = QLineEdit(bar)
    search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    buttons = [QPushButton(f"A rather long button {n}", bar) for n in range(4)]
    for widget in (search, *buttons):
        flow.addWidget(widget)
    widest = max(w.minimumSizeHint().width() for w in (search, *buttons))
    assert flow.minimumSize().width() == widest  # not the sum of them all
    one_line = flow.sizeHint().width()
    bar.resize(one_line + 100, flow.heightForWidth(one_line + 100))
    bar.show()
    qtbot.waitExposed(bar)
    assert len({w.y() for w in (search, *buttons)}) == 1
    assert search.width() > search.sizeHint().width()  # takes the room left on its line
    assert buttons[-1].geometry().right() == bar.width() - 1

    narrow = buttons[0].sizeHint().width() * 2 + 20
    assert flow.heightForWidth(narrow) > 2 * buttons[0].sizeHint().height()
    bar.resize(narrow, flow.heightForWidth(narrow))
    qtbot.waitUntil(lambda: len({w.y() for w in buttons}) > 1)
    assert all(w.geometry().right() < narrow for w in buttons)
    assert buttons[-1].geometry().right() == narrow - 1  # a wrapped line ends on the right


def test_a_filter_combo_shows_its_first_choice_whole_and_a_long_one_shortened(qtbot) -> None:
    from ui.kit.choice_combo import FilterCombo

    combo = FilterCombo()
    qtbot.addWidget(combo)
    combo.setToolTip("Only the contacts with this tag")
    combo.addItem("Toutes les étiquettes", None)
    combo.addItem("Bénévoles de la fête de quartier de la Croix-Rousse, édition d'hiver", 2)
    combo.resize(combo.sizeHint())
    combo.show()
    qtbot.waitExposed(combo)
    assert not combo.is_elided()
    assert combo.toolTip() == "Only the contacts with this tag"
    combo.setCurrentIndex(1)
    assert combo.is_elided()
    assert combo.toolTip().startswith("Bénévoles de la fête de quartier")
    assert combo.width() < combo.fontMetrics().horizontalAdvance(combo.currentText())


def test_a_long_community_name_does_not_make_the_drop_list_scroll_sideways(
    window: MainWindow, qtbot
) -> None:
    from cmplanner.services import communities
    from cmplanner.services.communities import CommunityData

    communities.create_community(
        window.db, CommunityData(name="Repair café de la Croix-Rousse et des pentes, le samedi")
    )
    window.show_section("contacts")
    view = window.view("contacts")
    view.refresh()
    drop_list = view.drop_panel.community_list
    qtbot.waitUntil(lambda: drop_list.model().rowCount() == 5)
    assert drop_list.horizontalScrollBar().maximum() == 0
    assert drop_list.visualRect(drop_list.model().index(0, 0)).width() <= (
        drop_list.viewport().width()
    )


def test_on_a_dark_desktop_the_light_theme_keeps_dark_text(qapp: QApplication) -> None:
    """The style sheet paints white pages and lists: a dark desktop's light text would be
    unreadable on them (the calendar's title and day numbers, every list)."""
    from PySide6.QtGui import QColor, QPalette

    before = qapp.palette()
    dark = QPalette(before)
    for role, colour in (
        (QPalette.ColorRole.Window, "#242424"),
        (QPalette.ColorRole.WindowText, "#ffffff"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#ffffff"),
        (QPalette.ColorRole.ButtonText, "#ffffff"),
    ):
        dark.setColor(role, QColor(colour))
    qapp.setPalette(dark)
    try:
        apply_style(qapp)
        palette = qapp.palette()
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
            assert palette.color(role).lightness() < 80, role
        assert palette.color(QPalette.ColorRole.Base).lightness() > 200
    finally:
        qapp.setStyleSheet("")
        qapp.styleHints().unsetColorScheme()
        qapp.setPalette(before)
