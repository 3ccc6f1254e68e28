"""The date and date-and-time fields of every form.

A date is typed as people say it — "12/03/2027", "12 mars", "march 12", "+7", "demain",
"jeudi", "19h30", "7:30 pm" (the core's `cmplanner.typed_dates` reads it) — or picked in the
popup calendar. Text that says no date leaves the value as it was and a message under the field
says why; when the field loses focus it shows the date back in the locale's format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QPoint, Qt, QTime, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QDateEdit,
    QDateTimeEdit,
    QLabel,
    QWidget,
)

from cmplanner import clock
from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.typed_dates import parse_date, parse_date_time
from ui.kit.display import app_locale, date_format

CALENDAR_MIN_WIDTH = 300  # seven short day names and the month's title, never cut


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class _TypedDate:
    """What DateEdit and DateTimeEdit share; mixed in before the Qt class."""

    with_time = False
    problem_label: QLabel | None = None
    _dismiss: Any = None

    def _set_up(self: Any) -> None:
        locale = app_locale()
        self.setLocale(locale)
        self.setCalendarPopup(True)
        calendar = QCalendarWidget(self)
        calendar.setLocale(locale)
        calendar.setFirstDayOfWeek(locale.firstDayOfWeek())
        # "lun." "mar." fit where "lundi" was cut; the popup is as wide as its header needs.
        calendar.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)
        calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        calendar.setMinimumWidth(max(CALENDAR_MIN_WIDTH, calendar.sizeHint().width()))
        self.setCalendarWidget(calendar)
        self.setToolTip(
            _("Type a date (12/03/2027, 12 March, +7, tomorrow, Thursday) or pick one")
            if not self.with_time
            else _("Type a date and a time (tomorrow 19:30, Thursday 7:30 pm) or pick one")
        )

    # -- typing ------------------------------------------------------------------------------

    def validate(self: Any, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        # Anything may be typed ("demain", "+7", "31/02"): nothing is taken while typing, the
        # text is read as a whole when the field is left (or Enter is pressed).
        shown = self.textFromDateTime(self.dateTime())
        if text in (shown, self.specialValueText()) and text:
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def focusInEvent(self: Any, event: QFocusEvent) -> None:
        super().focusInEvent(event)  # type: ignore[misc]
        if event.reason() not in (
            Qt.FocusReason.MouseFocusReason,  # the cursor goes where the click was
            Qt.FocusReason.ActiveWindowFocusReason,  # back from another window: as it was
            Qt.FocusReason.PopupFocusReason,  # back from the calendar popup or a menu
        ):
            # The whole text, so typing replaces it (not just the day's two digits, which
            # took "jeudi" as "17/di/2026"): also when a tab page or a dialog opens on it.
            QTimer.singleShot(0, self.lineEdit().selectAll)

    def focusNextPrevChild(self: Any, next: bool) -> bool:
        # Tab goes to the next field, not to the next part (day, month, year) of this one:
        # the date is typed as a whole.
        return QWidget.focusNextPrevChild(self, next)

    def focusOutEvent(self: Any, event: QFocusEvent) -> None:
        self.read_typed_text()
        super().focusOutEvent(event)  # type: ignore[misc]

    def keyPressEvent(self: Any, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            # Ctrl+Tab is the tab widget's (the next page of a form), not a plain Tab:
            # QDateTimeEdit would take it as one and move to the next field.
            event.ignore()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.read_typed_text()
        elif event.text():
            self.show_problem("")
        super().keyPressEvent(event)  # type: ignore[misc]

    def read_typed_text(self: Any) -> bool:
        """Take what was typed as the value; False (and a message) when it says no date."""
        text = self.lineEdit().text().strip()
        if text == self.textFromDateTime(self.dateTime()).strip():
            self.show_problem("")
            return True
        special = self.specialValueText()
        if special and text in ("", special):
            self.setDate(self.minimumDate())
            self.show_problem("")
            return True
        try:
            value = self._typed(text)
        except ValidationError as exc:
            self.show_problem(str(exc))
            self.setDateTime(self.dateTime())  # the text back to the value, unchanged
            return False
        self.setDateTime(value)
        self.show_problem("")
        return True

    def _typed(self: Any, text: str) -> QDateTime:
        locale = self.locale().name()
        if self.with_time:
            value = parse_date_time(text, locale, clock.today(), self.dateTime().toPython())
            return QDateTime(_qdate(value.date()), QTime(value.hour, value.minute))
        return QDateTime(_qdate(parse_date(text, locale, clock.today())), QTime(0, 0))

    def dateTimeFromText(self: Any, text: str) -> QDateTime:
        # Qt reads the text back the same way (never with its own, stricter parser).
        value: QDateTime
        if self.specialValueText() and text == self.specialValueText():
            value = self.minimumDateTime()
        else:
            try:
                value = self._typed(text)
            except ValidationError:
                value = self.dateTime()
        return value

    # -- the message under the field ---------------------------------------------------------

    def show_problem(self: Any, message: str) -> None:
        """Say `message` under the field, over what is below it, until the next key pressed
        or click anywhere (the field keeps its value; the message must not hide the next
        field for long)."""
        self.setProperty("invalid", bool(message))
        self.style().unpolish(self)
        self.style().polish(self)
        if not message:
            if self.problem_label is not None:
                self.problem_label.hide()
            return
        window = self.window()
        if self.problem_label is None or self.problem_label.parentWidget() is not window:
            self.problem_label = QLabel(window)
            self.problem_label.setObjectName("fieldProblem")
            self.problem_label.setWordWrap(True)
            self.problem_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self._dismiss = _Dismiss(self)
        label = self.problem_label
        label.setText(message)
        width = max(self.width(), 320)
        label.setFixedWidth(min(width, window.width()))
        label.adjustSize()
        corner = self.mapTo(window, QPoint(0, self.height() + 2))
        x = max(0, min(corner.x(), window.width() - label.width()))
        label.move(x, corner.y())
        label.show()
        label.raise_()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._dismiss)

    def problem(self) -> str:
        """The message shown under the field ("" when none)."""
        label = self.problem_label
        return label.text() if label is not None and label.isVisible() else ""


class _Dismiss(QObject):
    """Hides a field's message at the next key pressed or click, wherever it is."""

    def __init__(self, field: Any) -> None:
        super().__init__(field)
        self.field = field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        app = QApplication.instance()
        if app is not None and event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
        ):
            app.removeEventFilter(self)
            self.field.show_problem("")
        return False


class DateEdit(_TypedDate, QDateEdit):
    """A date: typed or picked; `date()`, `setDate()` and `dateChanged` as QDateEdit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._set_up()
        self.setDisplayFormat(date_format())


class DateTimeEdit(_TypedDate, QDateTimeEdit):
    """A date and a time ("demain 19h30"); a time alone keeps the day, a day alone the time."""

    with_time = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._set_up()
        locale = self.locale()
        self.setDisplayFormat(f"{date_format()} {locale.timeFormat(locale.FormatType.ShortFormat)}")


def date_edit(parent: QWidget, day: dt.date | None = None, name: str = "") -> DateEdit:
    """A date field showing `day` (today when None)."""
    edit = DateEdit(parent)
    if name:
        edit.setObjectName(name)
    edit.setDate(_qdate(day or clock.today()))
    return edit
