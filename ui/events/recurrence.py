"""The friendly recurrence editor: does not repeat / weekly on days / monthly on the Nth
weekday / monthly on day N, every N weeks or months, ending never / on a date / after N
times, with the sentence that says it; a rule it cannot show stays as raw text, and what is
wrong with a raw rule is said under it (`show_problem`: the event editor checks it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner import recurrence_form as rf
from cmplanner.formats import day_name
from cmplanner.i18n import _, ngettext
from ui.kit import accessible
from ui.kit.date_fields import date_edit
from ui.kit.forms import error_label, show_error

CUSTOM = "custom"
_NEVER, _UNTIL, _COUNT = "never", "until", "count"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


class RecurrenceEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recurrenceEditor")
        self._start = dt.date.today()
        self._loading = False

        self._build_pattern()
        self.every_row = self._build_every()
        self._build_details()
        self.end_row = self._build_end_row()
        # What is wrong with a raw rule, under it ("events repeat at most once a day…").
        self.problem = error_label(self)
        self._build_summary()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.pattern)
        layout.addWidget(self.every_row)
        layout.addWidget(self.details)
        layout.addWidget(self.problem)
        layout.addWidget(self.end_row)
        layout.addWidget(self.summary)
        layout.addStretch(1)

        self._connect()
        self._update()

    # -- building ----------------------------------------------------------------------------

    def _build_pattern(self) -> None:
        self.pattern = QComboBox(self)
        self.pattern.setObjectName("repeatPattern")
        accessible.name(self.pattern, _("Repeats"))
        self.pattern.addItem(_("Does not repeat"), rf.NONE)
        self.pattern.addItem(_("Weekly"), rf.WEEKLY)
        self.pattern.addItem(_("Monthly on a weekday"), rf.MONTHLY_WEEKDAY)
        self.pattern.addItem(_("Monthly on a day of the month"), rf.MONTHLY_DAY)
        self.pattern.addItem(_("Custom rule (iCalendar format)"), CUSTOM)

    def _build_every(self) -> QWidget:
        self.interval = QSpinBox(self)
        self.interval.setObjectName("repeatInterval")
        accessible.name(
            self.interval,
            _("Repeat every"),
            _("How many days, weeks, months or years between two dates"),
        )
        self.interval.setRange(1, 99)
        self.interval_label = QLabel(self)
        self.every_label = QLabel(self)
        every = QHBoxLayout()
        every.setContentsMargins(0, 0, 0, 0)
        every.addWidget(self.every_label)
        every.addWidget(self.interval)
        every.addWidget(self.interval_label)
        every.addStretch(1)
        every_row = QWidget(self)
        every_row.setLayout(every)
        return every_row

    def _weekly(self) -> QWidget:
        """Weekly: one box per day, Monday first."""
        self.days = [QCheckBox(day_name(d)[:3], self) for d in range(7)]
        for d, box in enumerate(self.days):
            box.setObjectName(f"repeatDay{d}")
            box.setToolTip(day_name(d))
            accessible.name(box, day_name(d))  # said whole, not "jeu."
        weekly = QWidget(self)
        row = QHBoxLayout(weekly)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(_("On"), weekly))
        for box in self.days:
            row.addWidget(box)
        row.addStretch(1)
        return weekly

    def _by_weekday(self) -> QWidget:
        """Monthly on the 1st-4th or last weekday."""
        self.ordinal = QComboBox(self)
        self.ordinal.setObjectName("repeatOrdinal")
        # The fields of a pattern's row follow a few words ("On the"), not a label of their
        # own: each is named for a screen reader, which would say only its value.
        accessible.name(self.ordinal, _("Week of the month"))
        for n in rf.ORDINALS:
            self.ordinal.addItem(rf.ordinal_word(n), n)
        self.weekday = QComboBox(self)
        self.weekday.setObjectName("repeatWeekday")
        accessible.name(self.weekday, _("Day of the week"))
        for d in range(7):
            self.weekday.addItem(day_name(d), d)
        by_weekday = QWidget(self)
        row = QHBoxLayout(by_weekday)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(_("On the"), by_weekday))
        row.addWidget(self.ordinal)
        row.addWidget(self.weekday)
        row.addStretch(1)
        return by_weekday

    def _by_day(self) -> QWidget:
        """Monthly on day N."""
        self.month_day = QSpinBox(self)
        self.month_day.setObjectName("repeatMonthDay")
        accessible.name(self.month_day, _("Day of the month"))
        self.month_day.setRange(1, 31)
        by_day = QWidget(self)
        row = QHBoxLayout(by_day)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(_("On day"), by_day))
        row.addWidget(self.month_day)
        row.addStretch(1)
        return by_day

    def _build_details(self) -> None:
        """The fields of each pattern, a page each."""
        self.raw = QLineEdit(self)
        self.raw.setObjectName("repeatRaw")
        self.raw.setPlaceholderText("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=21")
        self.raw.setToolTip(
            _("An iCalendar recurrence rule (RFC 5545), as other calendars write it")
        )
        accessible.name(self.raw, _("Custom rule (iCalendar format)"), self.raw.toolTip())

        self.details = QStackedWidget(self)
        self._pages = {
            rf.NONE: QWidget(self),
            rf.WEEKLY: self._weekly(),
            rf.MONTHLY_WEEKDAY: self._by_weekday(),
            rf.MONTHLY_DAY: self._by_day(),
            CUSTOM: self.raw,
        }
        for page in self._pages.values():
            self.details.addWidget(page)
        self.details.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def _build_end_row(self) -> QWidget:
        self.ends = QComboBox(self)
        self.ends.setObjectName("repeatEnds")
        accessible.name(self.ends, _("Ends"))
        self.ends.addItem(_("Never ends"), _NEVER)
        self.ends.addItem(_("Until"), _UNTIL)
        self.ends.addItem(_("After"), _COUNT)
        self.until = date_edit(self, name="repeatUntil")
        accessible.name(self.until, _("Until"))
        self.count = QSpinBox(self)
        self.count.setObjectName("repeatCount")
        accessible.name(self.count, _("Number of times"))
        self.count.setRange(1, 999)
        self.count.setValue(10)
        self.count.setSuffix(_(" times"))
        end_row = QWidget(self)
        row = QHBoxLayout(end_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.ends)
        row.addWidget(self.until)
        row.addWidget(self.count)
        row.addStretch(1)
        return end_row

    def _build_summary(self) -> None:
        self.summary = QLabel(self)
        self.summary.setObjectName("repeatSummary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)

    def _connect(self) -> None:
        self.pattern.currentIndexChanged.connect(self._on_pattern)
        for signal in (
            self.interval.valueChanged,
            self.ordinal.currentIndexChanged,
            self.weekday.currentIndexChanged,
            self.month_day.valueChanged,
            self.ends.currentIndexChanged,
            self.until.dateChanged,
            self.count.valueChanged,
            self.raw.textChanged,
            *(box.toggled for box in self.days),
        ):
            signal.connect(self._update)

    # -- in and out ----------------------------------------------------------------------------

    def set_start(self, start: dt.date) -> None:
        """The first occurrence's day: what a newly chosen pattern starts from."""
        self._start = start

    def set_rule(self, rule: str, start: dt.date, zone: str | None = None) -> None:
        """Show a stored rule; `zone` is the series' (an UNTIL in UTC ends on its local day)."""
        self._loading = True
        self._start = start
        repeat = rf.from_rrule(rule, start, zone)
        if repeat is None:
            self.pattern.setCurrentIndex(self.pattern.findData(CUSTOM))
            self.raw.setText(rule)
        else:
            self.pattern.setCurrentIndex(self.pattern.findData(repeat.pattern))
            self._show(repeat)
        self._loading = False
        self._update()

    def _show(self, repeat: rf.Repeat) -> None:
        self._defaults()
        self.interval.setValue(repeat.interval)
        if repeat.pattern == rf.WEEKLY:
            for d, box in enumerate(self.days):
                box.setChecked(d in repeat.weekdays)
        elif repeat.pattern == rf.MONTHLY_WEEKDAY:
            self.ordinal.setCurrentIndex(self.ordinal.findData(repeat.ordinal))
            self.weekday.setCurrentIndex(repeat.weekday)
        elif repeat.pattern == rf.MONTHLY_DAY:
            self.month_day.setValue(repeat.month_day)
        if repeat.until is not None:
            self.ends.setCurrentIndex(self.ends.findData(_UNTIL))
            self.until.setDate(_qdate(repeat.until))
        elif repeat.count is not None:
            self.ends.setCurrentIndex(self.ends.findData(_COUNT))
            self.count.setValue(repeat.count)
        else:
            self.ends.setCurrentIndex(self.ends.findData(_NEVER))

    def _defaults(self) -> None:
        """A pattern just chosen starts from the first occurrence's day."""
        start = self._start
        for d, box in enumerate(self.days):
            box.setChecked(d == start.weekday())
        week = (start.day - 1) // 7 + 1
        last = (start + dt.timedelta(days=7)).month != start.month
        self.ordinal.setCurrentIndex(
            self.ordinal.findData(-1 if last and week > 4 else min(week, 4))
        )
        self.weekday.setCurrentIndex(start.weekday())
        self.month_day.setValue(start.day)
        self.until.setDate(_qdate(start + dt.timedelta(days=182)))

    def repeat(self) -> rf.Repeat | None:
        """The form's recurrence; None for a custom rule."""
        pattern = self.pattern.currentData()
        if pattern == CUSTOM:
            return None
        ends = self.ends.currentData()
        return rf.Repeat(
            pattern=pattern,
            interval=self.interval.value(),
            weekdays=tuple(d for d, box in enumerate(self.days) if box.isChecked()),
            ordinal=int(self.ordinal.currentData()),
            weekday=int(self.weekday.currentData()),
            month_day=self.month_day.value(),
            until=_pydate(self.until.date()) if ends == _UNTIL else None,
            count=self.count.value() if ends == _COUNT else None,
        )

    def rule(self) -> str:
        repeat = self.repeat()
        return self.raw.text().strip() if repeat is None else rf.to_rrule(repeat)

    def show_problem(self, message: str) -> None:
        """Say what is wrong with the rule under it, in place of the sentence that says the
        rule ("" when nothing is)."""
        show_error(self.problem, message)
        self.summary.setHidden(bool(message))

    # -- reactions -------------------------------------------------------------------------

    def _on_pattern(self, *_args: Any) -> None:
        pattern = self.pattern.currentData()
        if not self._loading:
            if pattern == CUSTOM and not self.raw.text().strip():
                previous = self.repeat_before_custom
                self.raw.setText(previous)
            elif pattern != CUSTOM:
                self._defaults()
        self._update()

    repeat_before_custom = ""

    def _update(self, *_args: Any) -> None:
        pattern = self.pattern.currentData()
        self.details.setCurrentWidget(self._pages[pattern])
        self.details.setVisible(pattern != rf.NONE)
        repeats = pattern not in (rf.NONE, CUSTOM)
        self.every_row.setVisible(repeats)
        self.end_row.setVisible(repeats)
        n = self.interval.value()
        weekly = pattern == rf.WEEKLY
        # A label that agrees with any number: French has no "Toutes les 1 semaine" to say.
        self.every_label.setText(_("Repeat every"))
        self.interval_label.setText(
            ngettext("week", "weeks", n) if weekly else ngettext("month", "months", n)
        )
        self.until.setVisible(self.ends.currentData() == _UNTIL)
        self.count.setVisible(self.ends.currentData() == _COUNT)
        repeat = self.repeat()
        if repeat is not None:
            self.repeat_before_custom = rf.to_rrule(repeat)
            if weekly and not repeat.weekdays:
                self.summary.setText(_("Choose at least one day."))
            else:
                self.summary.setText(rf.summary(repeat))
        else:
            self.summary.setText(
                _("A rule in iCalendar form; an event repeats at most once a day.")
            )
        if not self._loading:
            self.changed.emit()
