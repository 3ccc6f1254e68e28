"""The home screen's small lists: table models over the dashboard's frozen records.

The lists are short (two weeks of events, what is due, who drifts away), so a model holds its
records in memory; each column says how to show a record. Late rows are drawn in red AND say
"overdue" in words (colour is never the only sign).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt

from cmplanner import clock
from cmplanner.i18n import N_, _
from cmplanner.model.enums import kind_label
from ui.kit import theme
from ui.kit.display import app_locale, format_int

AnyIndex = QModelIndex | QPersistentModelIndex

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
RecordRole = Qt.ItemDataRole.UserRole + 10


@dataclass(frozen=True)
class Column:
    title: str  # msgid, translated where shown
    text: Callable[[Any], str]
    align: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[Any], str] | None = None


class RecordsModel(QAbstractTableModel):
    """A read-only table over a tuple of records; `is_late(record)` rows are red."""

    def __init__(
        self,
        columns: Sequence[Column],
        is_late: Callable[[Any], bool] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.is_late = is_late
        self._records: tuple[Any, ...] = ()

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = tuple(records)
        self.endResetModel()

    def records(self) -> tuple[Any, ...]:
        return self._records

    def record(self, row: int) -> Any:
        return self._records[row] if 0 <= row < len(self._records) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(record) or None
            text = column.text(record)
            return text if len(text) > 28 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == Qt.ItemDataRole.ForegroundRole:
            if self.is_late is not None and self.is_late(record):
                return theme.brush("overdue_text")
            return None
        if role == RecordRole:
            return record
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section].title)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.columns[section].align
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# --- formatting -------------------------------------------------------------------------------


def nice_date(day: dt.date | None) -> str:
    """ "12 Nov" this year, "12 Nov 2025" another year."""
    if day is None:
        return "—"
    fmt = "d MMM" if day.year == clock.today().year else "d MMM yyyy"
    return app_locale().toString(QDate(day.year, day.month, day.day), fmt)


def day_and_time(start: dt.datetime, all_day: bool) -> str:
    """ "Sat 21 Nov, 19:00" in the app's language (the event's own local time)."""
    locale = app_locale()
    day = locale.toString(QDate(start.year, start.month, start.day), "ddd d MMM")
    if all_day:
        return _("{day}, all day").format(day=day)
    return "{day}, {time}".format(day=day, time=start.strftime("%H:%M"))


def percent(value: float | None, target: float | None = None) -> str:
    # On use: formats loads babel, which the first paint does without.
    from cmplanner.formats import percent_text

    return percent_text(value, target)


def due_text(day: dt.date | None, overdue: bool) -> str:
    if day is None:
        return "—"
    if overdue:
        return _("{date} · overdue").format(date=nice_date(day))
    return nice_date(day)


# --- the models of the home screen ------------------------------------------------------------


def _seats(e: Any) -> str:
    taken = e.accepted + e.plus_ones
    if e.capacity is None:
        return format_int(taken)
    return f"{format_int(taken)} / {format_int(e.capacity)}"


def _answers_tip(e: Any) -> str:
    return _(
        "{accepted} coming, {tentative} maybe, {declined} not coming, {no_answer} no answer"
    ).format(accepted=e.accepted, tentative=e.tentative, declined=e.declined, no_answer=e.no_answer)


def _seats_tip(e: Any) -> str:
    if e.capacity is None:
        return _("Seats taken by those coming (with their plus-ones); no capacity set")
    return _("Seats taken by those coming (with their plus-ones) out of the capacity")


class UpcomingModel(RecordsModel):
    """The next 14 days. An occurrence still to confirm (`to_confirm`: event id and occurrence,
    as the dashboard's `due.unconfirmed` lists them) is marked ⚠, like in the calendar; an
    online one says so after its title."""

    def __init__(self, parent: Any = None) -> None:
        self.to_confirm: frozenset[tuple[int, dt.datetime | None]] = frozenset()
        super().__init__(
            (
                Column(N_("When"), lambda e: day_and_time(e.start, e.all_day)),
                Column(N_("Event"), self._title, tooltip=self._title_tip),
                Column(N_("Community"), lambda e: e.community or "—"),
                Column(N_("Yes"), lambda e: format_int(e.accepted), RIGHT, _answers_tip),
                Column(N_("Maybe"), lambda e: format_int(e.tentative), RIGHT, _answers_tip),
                Column(N_("No answer"), lambda e: format_int(e.no_answer), RIGHT, _answers_tip),
                Column(N_("Seats"), _seats, RIGHT, _seats_tip),
            ),
            parent=parent,
        )

    def set_upcoming(self, records: Sequence[Any], to_confirm: Sequence[Any] = ()) -> None:
        self.to_confirm = frozenset((u.event_id, u.occurrence) for u in to_confirm)
        self.set_records(records)

    def needs_confirming(self, e: Any) -> bool:
        return (e.event_id, e.occurrence) in self.to_confirm

    def _title(self, e: Any) -> str:
        text = e.title if e.in_person else e.title + " — " + _("online")
        return f"⚠ {text}" if self.needs_confirming(e) else text

    def _title_tip(self, e: Any) -> str:
        lines = [e.title, kind_label(e.status)]
        if self.needs_confirming(e):
            lines.append(_("Not confirmed yet: confirm it, or call it off"))
        return "\n".join(lines)


def upcoming_model(parent: Any = None) -> UpcomingModel:
    return UpcomingModel(parent)


@dataclass(frozen=True)
class DueRow:
    """One line of "Due": a task, a promise or a date to confirm."""

    kind: str  # "task", "commitment", "unconfirmed"
    day: dt.date | None
    overdue: bool
    what: str
    about: str  # the event, the person
    record: Any


KIND_LABELS = {
    "task": N_("Task"),
    "commitment": N_("Promise"),
    "unconfirmed": N_("To confirm"),
}


def due_rows(due: Any) -> list[DueRow]:
    """Tasks, promises and dates to confirm in one list: overdue first, then by date."""
    rows: list[DueRow] = []
    for t in due.tasks:
        rows.append(DueRow("task", t.due_date, t.overdue, t.title, t.event_title, t))
    for c in due.commitments:
        about = " · ".join(x for x in (c.contact, c.event_title or c.community) if x)
        rows.append(DueRow("commitment", c.due_date, c.overdue, c.description, about, c))
    for u in due.unconfirmed:
        rows.append(
            DueRow(
                "unconfirmed",
                u.start.date(),
                False,
                _("Confirm the date of “{title}”").format(title=u.title),
                u.community,
                u,
            )
        )
    far = dt.date.max
    rows.sort(key=lambda r: (not r.overdue, r.day or far))
    return rows


def due_model(parent: Any = None) -> RecordsModel:
    return RecordsModel(
        (
            Column(N_("Due"), lambda r: due_text(r.day, r.overdue)),
            Column(N_("Kind"), lambda r: _(KIND_LABELS[r.kind])),
            Column(N_("What"), lambda r: r.what),
            Column(N_("For"), lambda r: r.about or "—"),
        ),
        is_late=lambda r: r.overdue,
        parent=parent,
    )


def _cadence(d: Any) -> str:
    if d.cadence_days is None:
        return "—"
    return _("every {n} days").format(n=format_int(d.cadence_days))


def drifting_model(parent: Any = None) -> RecordsModel:
    return RecordsModel(
        (
            Column(N_("Name"), lambda d: d.name),
            Column(N_("Community"), lambda d: d.community or "—"),
            Column(
                N_("Last seen"), lambda d: nice_date(d.last_seen) if d.last_seen else _("Never")
            ),
            Column(N_("Cadence"), _cadence),
            Column(N_("Why"), lambda d: d.reason_text),
            Column(N_("Actions"), lambda _d: ""),
        ),
        parent=parent,
    )


def _minutes(m: int) -> str:
    hours, rest = divmod(int(m), 60)
    if not hours:
        return _("{m} min").format(m=rest)
    if not rest:
        return _("{h} h").format(h=format_int(hours))
    return _("{h} h {m:02d}").format(h=format_int(hours), m=rest)


def hours_text(minutes: int) -> str:
    return _minutes(minutes)


def ratio_model(parent: Any = None) -> RecordsModel:
    """Per community over the last 90 days: (community id, name, RatioPeriod) records."""
    return RecordsModel(
        (
            Column(N_("Community"), lambda r: r[1] or _("No community")),
            Column(N_("In person"), lambda r: _minutes(r[2].in_person_minutes), RIGHT),
            Column(N_("Online"), lambda r: _minutes(r[2].online_minutes), RIGHT),
            Column(N_("In-person share"), lambda r: percent(r[2].value), RIGHT),
        ),
        parent=parent,
    )
