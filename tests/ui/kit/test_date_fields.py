"""Date fields take a date typed on the keyboard, as people say it, and show it back in the
locale's format; what is not a date leaves the value and says why; the popup calendar's
day names are readable and its last week is shown whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner import paths
from cmplanner.i18n import set_language
from ui.kit.date_fields import DateEdit, DateTimeEdit, date_edit

TODAY = dt.date(2026, 11, 19)  # the frozen clock's day, a Thursday


@pytest.fixture
def form(qtbot, frozen_clock: dt.datetime) -> QWidget:
    window = QWidget()
    QVBoxLayout(window)
    qtbot.addWidget(window)
    return window


def field(qtbot: Any, form: QWidget, kind: type = DateEdit) -> Any:
    edit = kind(form)
    after = QLineEdit(form)  # somewhere to Tab to, and to come from
    after.setObjectName("after")
    form.layout().addWidget(edit)
    form.layout().addWidget(after)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    return edit


def tab_into(qtbot: Any, edit: Any) -> None:
    other = edit.window().findChild(QLineEdit, "after")
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(edit.hasFocus)
    qtbot.waitUntil(lambda: edit.lineEdit().selectedText() == edit.lineEdit().text())


def type_in(qtbot: Any, edit: Any, text: str) -> None:
    """Tab into the field (its whole text selected), type over it, Tab out (QTest types
    ASCII only)."""
    tab_into(qtbot, edit)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


@pytest.mark.parametrize(
    ("language", "typed", "expected", "shown"),
    [
        ("fr", "12/03/2027", dt.date(2027, 3, 12), "12/03/2027"),
        ("fr", "12 mars", dt.date(2027, 3, 12), "12/03/2027"),
        ("fr", "+7", dt.date(2026, 11, 26), "26/11/2026"),
        ("fr", "demain", dt.date(2026, 11, 20), "20/11/2026"),
        ("fr", "jeudi", dt.date(2026, 11, 26), "26/11/2026"),
        ("en", "march 12", dt.date(2027, 3, 12), "12/03/2027"),
        ("en", "-1", dt.date(2026, 11, 18), "18/11/2026"),
        ("en", "tomorrow", dt.date(2026, 11, 20), "20/11/2026"),
    ],
)
def test_a_date_typed_is_read_and_shown_back(
    qtbot, form: QWidget, language: str, typed: str, expected: dt.date, shown: str
) -> None:
    set_language(language)
    edit = field(qtbot, form)
    edit.setDate(QDate(2026, 1, 5))
    type_in(qtbot, edit, typed)
    assert edit.date().toPython() == expected
    assert edit.lineEdit().text() == shown  # the locale's format, once the field is left
    assert edit.problem() == ""


def test_enter_reads_the_date_too(qtbot, form: QWidget) -> None:
    set_language("fr")
    edit = field(qtbot, form)
    tab_into(qtbot, edit)
    qtbot.keyClicks(edit, "+2")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.date().toPython() == dt.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("fr", "zzz", "« zzz » n'est pas une date. Tapez par exemple 12/03/2027, 12 mars"),
        ("en", "31/02/2027", "“31/02/2027” is not a date that exists."),
    ],
)
def test_what_is_not_a_date_keeps_the_value_and_says_why(
    qtbot, form: QWidget, language: str, typed: str, message: str
) -> None:
    set_language(language)
    edit = field(qtbot, form)
    edit.setDate(QDate(2026, 12, 24))
    type_in(qtbot, edit, typed)
    assert edit.date().toPython() == dt.date(2026, 12, 24)
    assert edit.lineEdit().text() == "24/12/2026"
    assert edit.problem().startswith(message)
    assert edit.problem_label.isVisible()
    assert edit.property("invalid") is True
    # The message sits under the field (over the next one), and goes at the next key pressed.
    assert edit.problem_label.geometry().top() >= edit.geometry().bottom()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A)
    assert edit.problem() == ""
    assert edit.property("invalid") is False


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("demain 19h30", dt.datetime(2026, 11, 20, 19, 30)),
        ("20h", dt.datetime(2026, 12, 1, 20, 0)),  # a time alone keeps the day
        ("jeudi", dt.datetime(2026, 11, 26, 18, 0)),  # a day alone keeps the time
        ("12/03/2027 7:30 pm", dt.datetime(2027, 3, 12, 19, 30)),
    ],
)
def test_a_date_and_time_typed(qtbot, form: QWidget, typed: str, expected: dt.datetime) -> None:
    set_language("fr")
    edit = field(qtbot, form, DateTimeEdit)
    edit.setDateTime(QDateTime(QDate(2026, 12, 1), QTime(18, 0)))
    type_in(qtbot, edit, typed)
    assert edit.dateTime().toPython() == expected
    assert edit.lineEdit().text() == expected.strftime("%d/%m/%Y %H:%M")


def test_an_open_filter_date_is_cleared_by_typing_nothing(qtbot, form: QWidget) -> None:
    set_language("en")
    edit = date_edit(form, dt.date(2026, 12, 24))
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setSpecialValueText("any day")
    after = QLineEdit(form)
    after.setObjectName("after")
    form.layout().addWidget(edit)
    form.layout().addWidget(after)
    form.show()
    qtbot.waitExposed(form)
    tab_into(qtbot, edit)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.date() == QDate(2000, 1, 1)
    assert edit.lineEdit().text() == "any day"


def test_the_popup_calendar_shows_whole_day_names_and_every_week(qtbot, form: QWidget) -> None:
    set_language("fr")
    form.setStyleSheet((paths.resources_dir() / "styles" / "app.qss").read_text("utf-8"))
    edit = field(qtbot, form)
    edit.setDate(QDate(2026, 11, 19))  # November 2026 spans six weeks
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 6, 6))
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    grid = calendar.findChild(QTableView)
    model = grid.model()
    metrics = grid.fontMetrics()
    names = [model.index(0, c).data() for c in range(model.columnCount())]
    assert names[0] == "lun."  # Monday first, in French
    for column, name in enumerate(names):
        assert metrics.horizontalAdvance(name) + 4 <= grid.columnWidth(column), name
    rows = sum(grid.rowHeight(r) for r in range(model.rowCount()))
    assert rows <= grid.viewport().height()


def test_a_field_reached_by_switching_tab_page_takes_the_date_typed(qtbot, form: QWidget) -> None:
    """Ctrl+Tab to the "Date and time" page puts the focus in its first field: what is typed
    there replaces the whole date (the day's section alone made "jeudi" into "17/di/2026")."""
    set_language("fr")
    tabs = QTabWidget(form)
    first = QLineEdit()
    tabs.addTab(first, "Event")
    page = QWidget()
    edit = DateTimeEdit(page)
    QVBoxLayout(page).addWidget(edit)
    tabs.addTab(page, "Date and time")
    form.layout().addWidget(tabs)
    edit.setDateTime(QDateTime(QDate(2026, 11, 17), QTime(19, 0)))
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(edit.hasFocus)
    qtbot.wait(20)  # a person's first key comes later than the next turn of the event loop
    qtbot.keyClicks(edit, "jeudi 20h")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.dateTime().toPython() == dt.datetime(2026, 11, 26, 20, 0)  # next Thursday
    assert edit.problem() == ""


def test_ctrl_tab_in_a_date_field_turns_the_page(qtbot, form: QWidget) -> None:
    """Ctrl+Tab and Ctrl+Shift+Tab in a date field go to the next and the previous page of
    the form, as in any other field (QDateTimeEdit took them for Tab and moved to the next
    field on the same page)."""
    tabs = QTabWidget(form)
    for title in ("Event", "Date and time", "Place"):
        page = QWidget()
        QVBoxLayout(page).addWidget(DateTimeEdit(page) if title == "Date and time" else QLineEdit())
        tabs.addTab(page, title)
    form.layout().addWidget(tabs)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    tabs.setCurrentIndex(1)
    edit = tabs.widget(1).findChild(DateTimeEdit)
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClick(edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 2
    tabs.setCurrentIndex(1)
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(edit.hasFocus)
    backtab = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(edit, Qt.Key.Key_Backtab, backtab)
    assert tabs.currentIndex() == 0
