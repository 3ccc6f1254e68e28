"""Calendar: a month grid, a week as an hour grid and an agenda of the coming occurrences,
series expanded; filtered by community, coloured by community or status."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QFont,
    QIcon,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QShortcut,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from cmplanner.model.enums import kind_label
from cmplanner.services import events as event_service
from cmplanner.services import occurrences as occurrence_service
from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.services.events import OccurrenceRead
from cmplanner.storage import Database
from ui.calendar.keys import (
    DELETE_KEY,
    EARLIER_KEY,
    LATER_KEY,
    OPEN_KEY,
    CalendarKeys,
    OccurrenceKey,
    chosen_in,
    chosen_text,
    day_text,
    draw_ring,
    long_date,
    occurrence_key,
    step_key,
)
from ui.calendar.week_grid import WeekGrid
from ui.contacts.drop import ContactDropTarget
from ui.kit import jobs, theme
from ui.kit.announce import announce
from ui.kit.display import app_locale, format_int, format_time
from ui.kit.flow_layout import FlowLayout, side_by_side
from ui.kit.forms import error_label, show_error
from ui.kit.icons import themed_icon
from ui.kit.jobs import run_in_background
from ui.kit.models import CONTACT_IDS_MIME, decode_ids
from ui.kit.settings import app_settings
from ui.kit.sizing import scaled
from ui.kit.undo import ServiceCommand, SnapshotCommand

Index = QModelIndex | QPersistentModelIndex
OccurrencesRole = Qt.ItemDataRole.UserRole + 1
DateRole = Qt.ItemDataRole.UserRole + 2
OccurrenceRole = Qt.ItemDataRole.UserRole + 3

OCCURRENCE_MIME = "application/x-cmplanner-occurrence"
MIN_LINES = 4  # occurrence lines a day cell asks room for
AGENDA_DAYS = 31
CANCELLED = "cancelled"
IDEA = "idea"
WARNING = "⚠"
COMMUNITY_KEY = "calendar/community"
NEW_EVENT_TIME = dt.time(19, 0)  # a day double-clicked: the event starts then
NEW_EVENT_LENGTH = dt.timedelta(hours=2)
COLOUR_KEY = "calendar/colourBy"

# When colouring by status, a mark says each status too (colour is never the only sign):
# idea "?", planned "○", confirmed "✓", done "☑", cancelled "✕" (and struck through).
STATUS_MARKS = {"idea": "?", "planned": "○", "confirmed": "✓", "done": "☑", "cancelled": "✕"}


def community_colour(rank: int | None) -> QColor:
    """The fill of the community at `rank` (its place among the communities by creation,
    from 0) in the scheme shown; grey for an event with no community (None)."""
    return theme.community_colour(rank)


def status_colour(status: str) -> QColor:
    """The fill of a status in the scheme shown (soft, under the calendar's block text)."""
    if status == CANCELLED:
        return theme.colour("cancelled_fill")
    if status in STATUS_MARKS:
        return theme.colour(f"status_{status}")
    return theme.colour("no_community")


def week_start(day: dt.date) -> dt.date:
    """The first day of the week holding `day`, as the locale counts weeks."""
    first_weekday = app_locale().firstDayOfWeek().value  # 1 = Monday … 7 = Sunday
    return day - dt.timedelta(days=(day.isoweekday() - first_weekday) % 7)


def month_start_grid(day: dt.date) -> dt.date:
    """The first day shown for the month of `day`: the week's first day on or before the 1st."""
    return week_start(day.replace(day=1))


@dataclass(frozen=True)
class CalendarData:
    """What the worker hands the view: the occurrences and which ones still need confirming."""

    occurrences: list[OccurrenceRead]
    unconfirmed: frozenset[OccurrenceKey] = frozenset()
    notes: tuple[str, ...] = ()  # a series with more dates than are shown…


def fetch(
    db: Database, first: dt.date, last: dt.date, community: str | None = None
) -> CalendarData:
    """Runs on the worker: occurrences whose local start day lies in [first, last] (of one
    community when asked), and the upcoming ones not confirmed yet (the setting's N days)."""
    start = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), dt.UTC)
    found = event_service.occurrences_between(db, start, end, community)
    shown = [o for o in found if first <= o.start.date() <= last]
    soon = frozenset(occurrence_key(o) for o in event_service.unconfirmed_soon(db))
    return CalendarData(shown, soon, found.notes)


def _time_text(occurrence: OccurrenceRead) -> str:
    if occurrence.all_day:
        return ""
    start = occurrence.start
    return format_time(start.hour, start.minute)


def day_month(day: dt.date) -> str:
    """The day and month as the locale writes short dates, without the year ("26/11")."""
    pattern = app_locale().dateFormat(app_locale().FormatType.ShortFormat)
    pattern = re.sub(r"[^dM]*y+[^dM]*", "", pattern) or "d/M"
    return app_locale().toString(QDate(day.year, day.month, day.day), pattern)


def is_moved(occurrence: OccurrenceRead) -> bool:
    """Whether a series' occurrence was moved away from its usual time."""
    usual = occurrence.recurrence_id
    return usual is not None and occurrence.start.replace(tzinfo=None) != usual


def occurrence_text(occurrence: OccurrenceRead) -> str:
    """ "19:00 Apéro du jeudi" (just the title for an all-day event)."""
    time = _time_text(occurrence)
    return f"{time} {occurrence.title}" if time else occurrence.title


def occurrence_tooltip(occurrence: OccurrenceRead) -> str:
    """ "19:00 Apéro du jeudi · Apéros du jeudi · Brasserie Georges · Confirmed"."""
    parts = [occurrence_text(occurrence), occurrence.community, occurrence.venue]
    parts.append(kind_label(occurrence.status))
    return " · ".join(p for p in parts if p)


def unconfirmed_text(occurrence: OccurrenceRead) -> str:
    """ "Not confirmed yet — in 3 days"."""
    days = (occurrence.start.date() - clock.today()).days
    if days <= 0:
        return _("Not confirmed yet — today")
    return ngettext(
        "Not confirmed yet — in {n} day", "Not confirmed yet — in {n} days", days
    ).format(n=days)


class CalendarLook:
    """How occurrences are shown, shared by the three views: the colouring and the marks."""

    def __init__(self) -> None:
        self.colour_by = "community"
        self.community_rank: dict[str, int] = {}  # name → place by creation (its colour)
        self.unconfirmed: frozenset[OccurrenceKey] = frozenset()

    def colour(self, occurrence: OccurrenceRead) -> QColor:
        if self.colour_by == "status":
            return status_colour(occurrence.status)
        return community_colour(self.community_rank.get(occurrence.community))

    def is_unconfirmed(self, occurrence: OccurrenceRead) -> bool:
        return occurrence_key(occurrence) in self.unconfirmed

    def marks(self, occurrence: OccurrenceRead) -> str:
        """What goes before the text: ⚠ when not confirmed yet, the status mark when the
        colours say the status."""
        marks = [WARNING] if self.is_unconfirmed(occurrence) else []
        if self.colour_by == "status" and occurrence.status in STATUS_MARKS:
            marks.append(STATUS_MARKS[occurrence.status])
        return "".join(f"{m} " for m in marks)

    def text(self, occurrence: OccurrenceRead) -> str:
        return self.marks(occurrence) + occurrence_text(occurrence)

    def title(self, occurrence: OccurrenceRead) -> str:
        return self.marks(occurrence) + occurrence.title

    def block_text(self, occurrence: OccurrenceRead) -> str:
        """A week block: "19:00–21:30" then the title."""
        if occurrence.all_day:
            return self.title(occurrence)
        locale = app_locale()
        start, end = occurrence.start, occurrence.end
        begin = format_time(start.hour, start.minute, locale)
        span = f"{begin}–{format_time(end.hour, end.minute, locale)}"
        return f"{span}\n{self.title(occurrence)}"

    def tooltip(self, occurrence: OccurrenceRead) -> str:
        text = occurrence_tooltip(occurrence)
        if self.is_unconfirmed(occurrence):
            text = f"{text}\n{WARNING} {unconfirmed_text(occurrence)}"
        return text


class MoveOccurrence(SnapshotCommand[Any]):
    """Move an occurrence to a new local start, keeping its length: a single event's start
    and end move; a series' occurrence is moved alone (an override). Undo puts back exactly
    what was there: the event's old times, or the override as it was (none at all when the
    occurrence followed the series)."""

    def __init__(self, db: Database, occurrence: OccurrenceRead, new_start: dt.datetime) -> None:
        self.occurrence = occurrence
        self.new_start = start = new_start.replace(tzinfo=None)
        self.new_end = end = start + (occurrence.end - occurrence.start)
        event_id, recurrence_id = occurrence.event_id, occurrence.recurrence_id
        text = _("Move {title}").format(title=occurrence.title)
        if recurrence_id is None:
            super().__init__(
                db,
                text,
                write=lambda: occurrence_service.set_event_times(db, event_id, start, end),
                snapshot=lambda: occurrence_service.event_times(db, event_id),
                restore=lambda was: occurrence_service.set_event_times(
                    db, event_id, was.start_local, was.end_local
                ),
            )
            return
        super().__init__(
            db,
            text,
            write=lambda: event_service.move_occurrence(db, event_id, recurrence_id, start, end),
            snapshot=lambda: occurrence_service.exception_snapshot(db, event_id, recurrence_id),
            restore=lambda was: occurrence_service.restore_exception(
                db, event_id, recurrence_id, was
            ),
        )


class SkipOccurrence(SnapshotCommand[Any]):
    """Skip one date of a series (an EXDATE). Undo puts its override back exactly as it
    was: none at all, or the move (status, notes) it had."""

    def __init__(self, db: Database, occurrence: OccurrenceRead) -> None:
        assert occurrence.recurrence_id is not None, "only a series' occurrence is skipped"
        event_id, recurrence_id = occurrence.event_id, occurrence.recurrence_id
        self.event_id, self.recurrence_id = event_id, recurrence_id
        super().__init__(
            db,
            _("Skip {title} on {date}").format(
                title=occurrence.title, date=day_month(recurrence_id.date())
            ),
            write=lambda: event_service.skip_occurrence(db, event_id, recurrence_id),
            snapshot=lambda: occurrence_service.exception_snapshot(db, event_id, recurrence_id),
            restore=lambda was: occurrence_service.restore_exception(
                db, event_id, recurrence_id, was
            ),
        )


class RestoreOccurrence(SnapshotCommand[Any]):
    """Put a skipped or moved date of a series back where the series puts it. Undo skips or
    moves it again exactly as before."""

    def __init__(self, db: Database, event_id: int, recurrence_id: dt.datetime, text: str) -> None:
        self.event_id, self.recurrence_id = event_id, recurrence_id
        super().__init__(
            db,
            text,
            write=lambda: occurrence_service.restore_occurrence(db, event_id, recurrence_id),
            snapshot=lambda: occurrence_service.exception_snapshot(db, event_id, recurrence_id),
            restore=lambda was: occurrence_service.restore_exception(
                db, event_id, recurrence_id, was
            ),
        )


def swatch_icon(colours: Sequence[QColor], size: int, ratio: float) -> QIcon:
    """Small squares of `colours` side by side (twice `size` wide, `size` high), each with
    its edge, sharp at the pixel `ratio`."""
    width = size * 2 // len(colours)
    pixmap = QPixmap(round(width * len(colours) * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    for n, colour in enumerate(colours):
        square = QRectF(n * width + 1.5, 3.5, width - 2, size - 7)
        painter.setPen(QPen(theme.edge(colour), 1))
        painter.setBrush(colour)
        painter.drawRect(square)
    painter.end()
    return QIcon(pixmap)


def _menu_text(text: str) -> str:
    return text.replace("&", "&&")


class MonthModel(QAbstractTableModel):
    """Six weeks of seven days; each cell holds its day and that day's occurrences."""

    weeks = 6

    def __init__(self, look: CalendarLook | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.look = look or CalendarLook()
        self.first = month_start_grid(clock.today())
        self.month = clock.today().month  # days of other months are greyed
        self.by_day: dict[dt.date, list[OccurrenceRead]] = {}

    def set_month(self, day: dt.date) -> None:
        self.beginResetModel()
        self.first = month_start_grid(day)
        self.month = day.month
        self.by_day = {}
        self.endResetModel()

    def set_occurrences(self, occurrences: Sequence[OccurrenceRead]) -> None:
        by_day: dict[dt.date, list[OccurrenceRead]] = {}
        for occurrence in occurrences:
            by_day.setdefault(occurrence.start.date(), []).append(occurrence)
        self.by_day = by_day
        self.repaint_all()

    def repaint_all(self) -> None:
        self.dataChanged.emit(self.index(0, 0), self.index(self.weeks - 1, 6))

    def last(self) -> dt.date:
        return self.first + dt.timedelta(days=7 * self.weeks - 1)

    def date_at(self, row: int, column: int) -> dt.date:
        return self.first + dt.timedelta(days=row * 7 + column)

    def index_of(self, day: dt.date) -> QModelIndex:
        offset = (day - self.first).days
        if not 0 <= offset < 7 * self.weeks:
            return QModelIndex()
        return self.index(offset // 7, offset % 7)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.weeks

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        day = self.date_at(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return str(day.day)
        if role == DateRole:
            return day
        if role == OccurrencesRole:
            return list(self.by_day.get(day, []))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [self.look.tooltip(o) for o in self.by_day.get(day, [])]
            return "\n".join(lines) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return day_text(day, [self.look.text(o) for o in self.by_day.get(day, [])])
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 7:
            day = self.date_at(0, section)
            return app_locale().dayName(day.isoweekday(), app_locale().FormatType.ShortFormat)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass
class CellLayout:
    """What a day cell shows: the listed occurrences with their rows, and "+N more"."""

    shown: list[tuple[OccurrenceRead, QRect]] = field(default_factory=list)
    hidden: int = 0
    more: QRect | None = None


class DayDelegate(QStyledItemDelegate):
    """Paints a day: its number, then as many coloured occurrences as fit and "+N more"."""

    PAD = 3

    def __init__(self, model: MonthModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.month_model = model
        # The event chosen in a day's cell (the table's current day), if any.
        self.chosen_of: Callable[[Index], OccurrenceRead | None] = lambda _index: None

    def line_height(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.height() + 2

    def layout_of(self, rect: QRect, option: QStyleOptionViewItem, index: Index) -> CellLayout:
        items = index.data(OccurrencesRole) or []
        return self.cell_layout(rect, option, items, self.chosen_of(index))

    def cell_layout(
        self,
        rect: QRect,
        option: QStyleOptionViewItem,
        items: Sequence[OccurrenceRead],
        chosen: OccurrenceRead | None = None,
    ) -> CellLayout:
        """The lines that fit; the chosen event is always drawn (on the last line when it is
        one of those under "+N more")."""
        line = self.line_height(option)
        inner = rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        fits = max(0, (inner.height() + 2 - line) // line)
        count = len(items) if len(items) <= fits else max(0, fits - 1)
        shown = list(items[:count])
        if shown and chosen is not None and chosen in items and chosen not in shown:
            shown[-1] = chosen
        out = CellLayout()
        y = inner.top() + line
        for occurrence in shown:
            out.shown.append((occurrence, QRect(inner.left(), y, inner.width(), line - 1)))
            y += line
        out.hidden = len(items) - count
        if out.hidden:
            out.more = QRect(inner.left(), y, inner.width(), line)
        return out

    def occurrence_at(
        self, rect: QRect, pos: QPoint, option: QStyleOptionViewItem, index: Index
    ) -> OccurrenceRead | None:
        """The occurrence drawn under `pos` in the cell, if any."""
        layout = self.layout_of(rect, option, index)
        return next((o for o, box in layout.shown if box.contains(pos)), None)

    def more_at(self, rect: QRect, pos: QPoint, option: QStyleOptionViewItem, index: Index) -> bool:
        """Whether `pos` is on the cell's "+N more"."""
        layout = self.layout_of(rect, option, index)
        return layout.more is not None and layout.more.contains(pos)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        look = self.month_model.look
        day: dt.date = index.data(DateRole)
        items: list[OccurrenceRead] = index.data(OccurrencesRole) or []
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        outside = day.month != self.month_model.month
        if selected:
            painter.fillRect(rect, theme.colour("selection"))
        elif outside:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        line = self.line_height(option)
        inner = rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        font = QFont(option.font)
        number_rect = QRect(inner.left(), inner.top(), inner.width(), line)
        if day == clock.today():
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            badge = QRect(number_rect.left(), number_rect.top(), line + 6, line)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(badge, line / 2, line / 2)
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(day.day))
        else:
            colour = palette.color(QPalette.ColorRole.Text)
            if outside:
                colour = palette.color(QPalette.ColorRole.PlaceholderText)
            painter.setPen(colour)
            painter.setFont(font)
            painter.drawText(number_rect, Qt.AlignmentFlag.AlignLeft, str(day.day))
        chosen = self.chosen_of(index)
        layout = self.cell_layout(rect, option, items, chosen)
        for occurrence, box in layout.shown:
            cancelled = occurrence.status == CANCELLED
            background = theme.colour("cancelled_fill") if cancelled else look.colour(occurrence)
            painter.fillRect(box, background)
            painter.fillRect(QRect(box.left(), box.top(), 3, box.height()), theme.edge(background))
            item_font = QFont(font)
            item_font.setStrikeOut(cancelled)
            item_font.setItalic(occurrence.status == IDEA)
            painter.setFont(item_font)
            painter.setPen(theme.colour("cancelled_text" if cancelled else "block_text"))
            text = option.fontMetrics.elidedText(
                look.text(occurrence), Qt.TextElideMode.ElideRight, box.width() - 9
            )
            painter.drawText(box.adjusted(6, 0, -3, 0), Qt.AlignmentFlag.AlignVCenter, text)
        if layout.more is not None:
            more_font = QFont(font)
            more_font.setBold(True)
            painter.setFont(more_font)
            painter.setPen(palette.color(QPalette.ColorRole.Link))
            more = ngettext("+{n} more", "+{n} more", layout.hidden).format(n=layout.hidden)
            painter.drawText(layout.more.adjusted(6, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, more)
        ring = next((box for o, box in layout.shown if o == chosen), None)
        if chosen is not None and ring is None:
            ring = layout.more  # a cell too small for any line: "+N more" holds it
        if ring is not None:
            draw_ring(painter, QRectF(ring))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(110, (MIN_LINES + 1) * self.line_height(option) + 2 * self.PAD)


AGENDA_COLUMNS = ("time", "title", "community", "venue")


class AgendaModel(QAbstractTableModel):
    """The coming occurrences, one row per day heading then one per occurrence."""

    def __init__(self, look: CalendarLook | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.look = look or CalendarLook()
        self.rows: list[dt.date | OccurrenceRead] = []

    def set_occurrences(self, occurrences: Sequence[OccurrenceRead]) -> None:
        self.beginResetModel()
        self.rows = []
        day: dt.date | None = None
        for occurrence in sorted(occurrences, key=lambda o: (o.start.date(), o.start.time())):
            if occurrence.start.date() != day:
                day = occurrence.start.date()
                self.rows.append(day)
            self.rows.append(occurrence)
        self.endResetModel()

    def repaint_all(self) -> None:
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(AGENDA_COLUMNS) - 1)
            )

    def occurrences(self) -> list[OccurrenceRead]:
        return [r for r in self.rows if isinstance(r, OccurrenceRead)]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AGENDA_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if isinstance(row, dt.date):
            if role == Qt.ItemDataRole.DisplayRole:
                if index.column() != 0:
                    return ""
                text = app_locale().toString(QDate(row.year, row.month, row.day), "dddd d MMMM")
                return text[:1].upper() + text[1:]
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == DateRole:
                return row
            return None
        key = AGENDA_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "time":
                return _time_text(row) or _("All day")
            if key == "title":
                return self.look.title(row)
            return str(getattr(row, key) or "")
        if role == OccurrenceRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.look.tooltip(row)
        if role == DateRole:
            return row.start.date()
        if role == Qt.ItemDataRole.FontRole and row.status in (CANCELLED, IDEA):
            font = QFont()
            font.setStrikeOut(row.status == CANCELLED)
            font.setItalic(row.status == IDEA)  # only an idea so far
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.status == CANCELLED:
            return theme.colour("cancelled_text")
        if role == Qt.ItemDataRole.ForegroundRole and key == "time":
            return theme.colour("block_text")  # on the community's (or status') fill
        if role == Qt.ItemDataRole.BackgroundRole and key == "time":
            return self.look.colour(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(AGENDA_COLUMNS):
            return None
        return {
            "time": _("Time"),
            "title": _("Title"),
            "community": _("Community"),
            "venue": _("Venue"),
        }[AGENDA_COLUMNS[section]]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class MonthTable(ContactDropTarget, QTableView):
    """The month's days. One day is current (the arrows move it: ui/calendar/keys.py) and
    one of its events chosen, ringed: the one Enter, Delete and Alt+arrows act on."""

    occurrenceActivated = Signal(object)
    occurrenceMenuRequested = Signal(object, object)  # the occurrences, a global QPoint
    occurrenceDropped = Signal(object, object)  # the occurrence, the day it was dropped on
    dayOpened = Signal(object)  # a day whose "+N more" was clicked
    contactsDropped = Signal(object, object)  # the occurrence, the contact ids
    newEventAsked = Signal(object)  # a day double-clicked where no occurrence is
    dayChosen = Signal(object)  # the arrows went to that day (maybe in another month)

    def __init__(self, model: MonthModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.month_model = model
        self.chosen: OccurrenceKey | None = None  # None: the day's first event
        self.delegate = DayDelegate(model, self)
        self.delegate.chosen_of = self._chosen_at
        self.setItemDelegate(self.delegate)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab goes on to the next control
        self.setShowGrid(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The weeks fill the height, each with room for its day, one event and "+N more"
        # at least: on a short window (large text) the month scrolls rather than cut them.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self._press: QPoint | None = None
        self._pressed: OccurrenceRead | None = None
        self.dragged: OccurrenceRead | None = None  # the occurrence being dragged, if any

    def resizeEvent(self, event: Any) -> None:
        option = self._option()
        least = 3 * self.delegate.line_height(option) + 2 * DayDelegate.PAD
        self.verticalHeader().setMinimumSectionSize(least)
        super().resizeEvent(event)

    def _option(self) -> QStyleOptionViewItem:
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        return option

    # -- the current day and its chosen event (the keys' page: ui/calendar/keys.py) ------------

    def chosen_day(self) -> dt.date | None:
        index = self.currentIndex()
        day: dt.date | None = index.data(DateRole) if index.isValid() else None
        return day

    def day_items(self) -> list[OccurrenceRead]:
        day = self.chosen_day()
        return list(self.month_model.by_day.get(day, [])) if day is not None else []

    def chosen_occurrence(self) -> OccurrenceRead | None:
        return chosen_in(self.day_items(), self.chosen)

    def _chosen_at(self, index: Index) -> OccurrenceRead | None:
        return self.chosen_occurrence() if index == self.currentIndex() else None

    def along(self, occurrence: OccurrenceRead) -> dt.timedelta:
        return dt.timedelta(days=7)  # Alt+Up / Alt+Down: a week

    def step_event(self, step: int) -> None:
        """Ctrl+Up / Ctrl+Down: the day's previous or next event, said aloud."""
        self.chosen = step_key(self.day_items(), self.chosen, step)
        self.viewport().update()
        self._say_chosen()

    def choose(self, day: dt.date, key: OccurrenceKey | None = None) -> None:
        """Make `day` current (it must be in the grid) with the event `key` chosen."""
        self.setCurrentIndex(self.month_model.index_of(day))
        self.chosen = key
        self.viewport().update()

    def currentChanged(self, current: Index, previous: Index) -> None:
        super().currentChanged(current, previous)
        if current != previous:
            self.chosen = None

    def _say_chosen(self) -> None:
        day = self.chosen_day()
        if day is not None:
            items, chosen = self.day_items(), self.chosen_occurrence()
            look = self.month_model.look
            text = look.text(chosen) if chosen is not None else ""
            announce(self, chosen_text(day, items, chosen, text))

    def keyPressEvent(self, event: Any) -> None:
        """The arrows move the day, a week up or down; past the month's edge the next or
        previous month comes (`dayChosen`)."""
        steps = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }
        day = self.chosen_day()
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in steps and plain == Qt.KeyboardModifier.NoModifier and day is not None:
            new_day = day + dt.timedelta(days=steps[event.key()])
            if new_day.month == self.month_model.month:
                self.choose(new_day)
            self.dayChosen.emit(new_day)
            event.accept()
            return
        super().keyPressEvent(event)

    def occurrence_at(self, pos: QPoint) -> OccurrenceRead | None:
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        return self.delegate.occurrence_at(self.visualRect(index), pos, self._option(), index)

    def more_at(self, pos: QPoint) -> dt.date | None:
        """The day whose "+N more" is under `pos`, if any."""
        index = self.indexAt(pos)
        if index.isValid() and self.delegate.more_at(
            self.visualRect(index), pos, self._option(), index
        ):
            day: dt.date = index.data(DateRole)
            return day
        return None

    def occurrence_rect(self, occurrence: OccurrenceRead) -> QRect | None:
        """Where the occurrence's line is drawn in its day (None: under "+N more")."""
        index = self.month_model.index_of(occurrence.start.date())
        layout = self.delegate.layout_of(self.visualRect(index), self._option(), index)
        return next((box for o, box in layout.shown if o == occurrence), None)

    def more_point(self, day: dt.date) -> QPoint | None:
        """Where the day's "+N more" is drawn (None when everything fits)."""
        model = self.model()
        assert isinstance(model, MonthModel)
        index = model.index_of(day)
        layout = self.delegate.layout_of(self.visualRect(index), self._option(), index)
        return layout.more.center() if layout.more is not None else None

    def mousePressEvent(self, event: Any) -> None:
        self._press = event.position().toPoint()
        day = self.more_at(self._press) if event.button() == Qt.MouseButton.LeftButton else None
        if day is not None:
            self._press = None
            self.setCurrentIndex(self.indexAt(event.position().toPoint()))
            self.dayOpened.emit(day)
            return
        self._pressed = self.occurrence_at(self._press)
        super().mousePressEvent(event)
        if self._pressed is not None:
            self.chosen = occurrence_key(self._pressed)
            self.viewport().update()

    def mouseReleaseEvent(self, event: Any) -> None:
        self._press = self._pressed = None
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:
        pos = event.position().toPoint()
        if (
            self._pressed is not None
            and self._press is not None
            and event.buttons() & Qt.MouseButton.LeftButton
            and (pos - self._press).manhattanLength() >= QApplication.startDragDistance()
        ):
            self.start_drag(self._pressed)
            self._press = self._pressed = None
            return
        super().mouseMoveEvent(event)

    def start_drag(self, occurrence: OccurrenceRead) -> None:
        drag = QDrag(self)
        mime = QMimeData()
        mime.setData(OCCURRENCE_MIME, str(occurrence.event_id).encode())
        mime.setText(occurrence_text(occurrence))
        drag.setMimeData(mime)
        self.dragged = occurrence
        try:
            drag.exec(Qt.DropAction.MoveAction)
        finally:
            self.dragged = None

    def _accepts(self, event: Any) -> bool:
        return self.dragged is not None and event.mimeData().hasFormat(OCCURRENCE_MIME)

    def contact_occurrence_at(self, event: Any) -> OccurrenceRead | None:
        return self.occurrence_at(event.position().toPoint())

    def drop_contacts(self, occurrence: OccurrenceRead, ids: list[int]) -> None:
        self.contactsDropped.emit(occurrence, ids)

    def dragEnterEvent(self, event: Any) -> None:
        if self._accepts(event) or event.mimeData().hasFormat(CONTACT_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        index = self.indexAt(event.position().toPoint())
        if (self._accepts(event) and index.isValid()) or self.contact_target(event) is not None:
            self.setCurrentIndex(index)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:
        index = self.indexAt(event.position().toPoint())
        target = self.contact_target(event)
        if target is not None:
            ids = decode_ids(event.mimeData())
            if ids:
                event.acceptProposedAction()
                self.drop_contacts(target, ids)
                return
        if not self._accepts(event) or not index.isValid():
            event.ignore()
            return
        event.acceptProposedAction()
        self.occurrenceDropped.emit(self.dragged, index.data(DateRole))

    def mouseDoubleClickEvent(self, event: Any) -> None:
        pos = event.position().toPoint()
        occurrence = self.occurrence_at(pos)
        if occurrence is not None:
            self.occurrenceActivated.emit(occurrence)
            return
        index = self.indexAt(pos)
        if (
            event.button() == Qt.MouseButton.LeftButton
            and index.isValid()
            and self.more_at(pos) is None
        ):
            self.newEventAsked.emit(index.data(DateRole))
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click on an occurrence line: its menu. The Menu key: the menu of the
        selected day's occurrences."""
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
            items = index.data(OccurrencesRole) if index.isValid() else None
            if items:
                corner = self.visualRect(index).center()
                self.occurrenceMenuRequested.emit(list(items), self.viewport().mapToGlobal(corner))
                event.accept()
                return
            event.ignore()
            return
        occurrence = self.occurrence_at(event.pos())
        if occurrence is None:
            event.ignore()
            return
        self.setCurrentIndex(self.indexAt(event.pos()))
        self.occurrenceMenuRequested.emit([occurrence], event.globalPos())
        event.accept()


class AgendaTable(ContactDropTarget, QTableView):
    """The agenda's rows; contacts dropped on an occurrence are invited to it."""

    contactsDropped = Signal(object, object)
    occurrenceMenuRequested = Signal(object, object)  # the occurrences, a global QPoint

    def __init__(self, model: AgendaModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.verticalHeader().hide()
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab goes on to the next control
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        time_width = self.fontMetrics().horizontalAdvance(_("All day")) + 20
        for column, width in enumerate((max(scaled(90), time_width), scaled(320), scaled(220))):
            self.setColumnWidth(column, width)
        self.verticalHeader().setDefaultSectionSize(scaled(26))
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        model.modelReset.connect(self._span_day_headings)

    # -- the keys' page (ui/calendar/keys.py) -------------------------------------------------

    def chosen_occurrence(self) -> OccurrenceRead | None:
        found: OccurrenceRead | None = self.currentIndex().data(OccurrenceRole)
        return found

    def chosen_day(self) -> dt.date | None:
        day: dt.date | None = self.currentIndex().data(DateRole)
        return day

    def step_event(self, step: int) -> None:
        """Ctrl+Up / Ctrl+Down: the rows above and below hold the day's other events."""
        self.choose_row(self.currentIndex().row() + step)

    def along(self, occurrence: OccurrenceRead) -> dt.timedelta:
        return dt.timedelta(days=7)

    def choose_row(self, row: int) -> None:
        if 0 <= row < self.model().rowCount():
            self.setCurrentIndex(self.model().index(row, 1))

    def choose(self, key: OccurrenceKey) -> bool:
        """Make the row of that occurrence current; False when it is not listed."""
        model = self.model()
        assert isinstance(model, AgendaModel)
        for row, item in enumerate(model.rows):
            if isinstance(item, OccurrenceRead) and occurrence_key(item) == key:
                self.choose_row(row)
                return True
        return False

    def _span_day_headings(self) -> None:
        """Each day's heading runs across the whole row."""
        self.clearSpans()
        model = self.model()
        assert isinstance(model, AgendaModel)
        for row, item in enumerate(model.rows):
            if isinstance(item, dt.date):
                self.setSpan(row, 0, 1, len(AGENDA_COLUMNS))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The menu of the occurrence under the mouse, or of the current row (Menu key)."""
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        index = self.currentIndex() if keyboard else self.indexAt(event.pos())
        occurrence = index.data(OccurrenceRole) if index.isValid() else None
        if occurrence is None:
            event.ignore()
            return
        if keyboard:
            rect = self.visualRect(index.siblingAtColumn(1))
            where = self.viewport().mapToGlobal(rect.bottomLeft())
        else:
            self.setCurrentIndex(index)
            where = event.globalPos()
        self.occurrenceMenuRequested.emit([occurrence], where)
        event.accept()

    def contact_occurrence_at(self, event: Any) -> OccurrenceRead | None:
        found: OccurrenceRead | None = self.indexAt(event.position().toPoint()).data(OccurrenceRole)
        return found

    def drop_contacts(self, occurrence: OccurrenceRead, ids: list[int]) -> None:
        self.contactsDropped.emit(occurrence, ids)

    def dragMoveEvent(self, event: Any) -> None:
        if self.contact_target(event) is not None:
            self.setCurrentIndex(self.indexAt(event.position().toPoint()))
        super().dragMoveEvent(event)


class DayPopup(QFrame):
    """The occurrences of one day (from "+N more"); double-click or Enter opens one."""

    occurrenceActivated = Signal(object)

    def __init__(self, look: CalendarLook, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("calendarDayPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.model = AgendaModel(look, self)
        self.table = AgendaTable(self.model, self)
        self.table.setObjectName("calendarDayList")
        self.table.setAccessibleName(_("Events of the day"))
        self.table.horizontalHeader().hide()
        self.table.setColumnWidth(0, scaled(64))
        self.table.setColumnWidth(1, scaled(260))
        self.table.setColumnWidth(2, scaled(150))
        self.table.doubleClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        self.resize(640, 300)

    def show_day(self, day: dt.date, occurrences: Sequence[OccurrenceRead]) -> None:
        self.heading.setText(long_date(day))
        self.model.set_occurrences([o for o in occurrences if o.start.date() == day])
        self.table.hideRow(0)  # the day heading: already the popup's title
        self.table.setCurrentIndex(self.model.index(1, 1))
        rows = self.model.rowCount() - 1
        self.resize(640, min(480, 60 + rows * 26 + self.heading.sizeHint().height()))

    def _activated(self, index: QModelIndex) -> None:
        occurrence = index.data(OccurrenceRole)
        if occurrence is not None:
            self.close()
            self.occurrenceActivated.emit(occurrence)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activated(self.table.currentIndex())
            return
        super().keyPressEvent(event)


class CalendarView(QWidget):
    """Month, week and agenda. Public navigation: `show_month(day)`, `show_week(day)`,
    `show_agenda(day)`, `go_today()`, `step(±1)`; `filled` is emitted once the shown range's
    occurrences are on screen (`is_filled()` says whether that is the case now).

    Keys: PageUp / PageDown (or Ctrl+Left / Ctrl+Right) previous and next, Ctrl+T today;
    the arrows, Enter, Delete and Alt+arrows on the days and events: ui/calendar/keys.py."""

    countChanged = Signal()
    filled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = None
        self.undo_stack: QUndoStack | None = None  # set by the main window
        self.anchor = clock.today()
        self.mode = "month"
        self.look = CalendarLook()
        settings = app_settings()
        if str(settings.value(COLOUR_KEY, "community")) == "status":
            self.look.colour_by = "status"
        self.community: str | None = str(settings.value(COMMUNITY_KEY, "") or "") or None
        self._loaded = False
        self._occurrences: list[OccurrenceRead] = []
        # An event just moved from the keyboard: chosen again where it lands, once shown.
        self._follow: tuple[OccurrenceKey, dt.date] | None = None

        self.today_button = QPushButton(_("Today"), self)
        self.today_button.setObjectName("calendarToday")
        self.today_button.setToolTip(_("Today (Ctrl+T)"))
        self.previous_button = QPushButton("‹", self)
        self.previous_button.setObjectName("calendarPrevious")
        self.previous_button.setToolTip(_("Previous (Page Up)"))
        self.previous_button.setAccessibleName(_("Previous"))  # its text is an arrow
        self.previous_button.setFixedWidth(scaled(36))
        self.next_button = QPushButton("›", self)
        self.next_button.setObjectName("calendarNext")
        self.next_button.setToolTip(_("Next (Page Down)"))
        self.next_button.setAccessibleName(_("Next"))
        self.next_button.setFixedWidth(scaled(36))
        self.title = QLabel(self)
        self.title.setObjectName("calendarTitle")
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.community_combo = QComboBox(self)
        self.community_combo.setObjectName("calendarCommunity")
        self.community_combo.setToolTip(_("Show the events of one community"))
        self.community_combo.setAccessibleName(_("Community"))
        # Long community names must not widen the window: the combo's pop-up shows them whole.
        # Its width is the room "All communities" takes (in x's, as Qt counts it), no more.
        self.community_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        # Qt counts X's and adds an icon's room, which a text without an icon also takes.
        metrics = self.community_combo.fontMetrics()
        icon = self.community_combo.iconSize().width() + 4
        text = metrics.horizontalAdvance(_("All communities"))
        room = (text - icon) / metrics.horizontalAdvance("X")
        self.community_combo.setMinimumContentsLength(max(12, math.ceil(room) + 1))
        self.community_combo.addItem(_("All communities"), None)
        if self.community:
            self.community_combo.addItem(self.community, self.community)
            self.community_combo.setCurrentIndex(1)
        self.colour_combo = QComboBox(self)
        self.colour_combo.setObjectName("calendarColour")
        self.colour_combo.setAccessibleName(_("Colours"))
        self.colour_combo.setAccessibleDescription(
            _("What the colour of an event says: its community or its status")
        )
        self.colour_combo.setToolTip(_("Colour the events by their community or their status"))
        # A few colours and short words: the calendar's controls hold on one line of a laptop.
        self.colour_combo.addItem(_("By community"), "community")
        self.colour_combo.addItem(_("By status"), "status")
        self.colour_combo.setCurrentIndex(1 if self.look.colour_by == "status" else 0)
        self.month_button = QPushButton(_("Month"), self)
        self.week_button = QPushButton(_("Week"), self)
        self.agenda_button = QPushButton(_("Agenda"), self)
        for button in (self.month_button, self.week_button, self.agenda_button):
            button.setObjectName("calendarMode")  # as wide as its word (app.qss)
        self.export_button = QToolButton(self)
        self.export_button.setObjectName("calendarExport")
        # An icon (named and explained) keeps the calendar's controls on one line.
        self.export_button.setText(_("Export"))
        self.export_button.setAccessibleName(_("Export"))
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.export_button.setToolTip(
            _(
                "Export: save these events as a calendar file (.ics) for Outlook, Google or "
                "Apple Calendar"
            )
        )
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        self.export_shown_action = export_menu.addAction(_("The dates shown (.ics)…"))
        self.export_shown_action.setObjectName("calendarExportShown")
        self.export_shown_action.triggered.connect(lambda _c=False: self.export_calendar(True))
        self.export_all_action = export_menu.addAction(_("Every date (.ics)…"))
        self.export_all_action.setObjectName("calendarExportAll")
        self.export_all_action.triggered.connect(lambda _c=False: self.export_calendar(False))
        self.export_button.setMenu(export_menu)
        self._themed_icons()
        theme.notifier().changed.connect(self._themed_icons)
        self.switch = QButtonGroup(self)
        for button in (self.month_button, self.week_button, self.agenda_button):
            button.setCheckable(True)
            self.switch.addButton(button)
        self.month_button.setChecked(True)

        # The title takes the room left on its line; in a narrow window (a laptop's screen)
        # what does not fit goes to a second line.
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar = self.toolbar = FlowLayout(spacing=8, wrapped_to_the_right=True)
        moving = (self.today_button, self.previous_button, self.next_button)
        modes = (self.month_button, self.week_button, self.agenda_button, self.export_button)
        toolbar.addWidget(side_by_side(self, *moving))
        toolbar.addWidget(self.title)
        toolbar.addWidget(side_by_side(self, self.community_combo, self.colour_combo))
        toolbar.addWidget(side_by_side(self, *modes))

        self.month_model = MonthModel(self.look, self)
        self.month_table = MonthTable(self.month_model, self)
        self.month_table.setObjectName("calendarMonth")
        self.month_table.setAccessibleName(_("Month"))
        self.month_table.setAccessibleDescription(
            _(
                "The days of the month and their events. Arrows: the day; Ctrl+Up, Ctrl+Down: "
                "its events; Enter opens; Delete deletes; Alt+arrows move the event"
            )
        )
        self.week_grid = WeekGrid(self)
        self.week_grid.setObjectName("calendarWeek")
        self.week_grid.colour_of = self.look.colour
        self.week_grid.text_of = self.look.block_text
        self.week_grid.tooltip_of = self.look.tooltip
        self.agenda_model = AgendaModel(self.look, self)
        self.agenda_table = AgendaTable(self.agenda_model, self)
        self.agenda_table.setObjectName("calendarAgenda")
        self.agenda_table.setAccessibleName(_("Agenda"))
        self.agenda_table.setAccessibleDescription(
            _(
                "The coming events, day by day. Enter opens; Delete deletes; Alt+arrows move "
                "the event"
            )
        )
        self.day_popup: DayPopup | None = None
        self.menu: QMenu | None = None  # the occurrence menu last opened
        self.last_message = ""
        self.checkin: QWidget | None = None
        self.close_dialog: QWidget | None = None

        self.agenda_table.doubleClicked.connect(self._agenda_activated)
        self.agenda_table.contactsDropped.connect(self.invite)
        self.month_table.occurrenceActivated.connect(self.open_occurrence)
        self.month_table.occurrenceDropped.connect(self.move_to_day)
        self.month_table.dayOpened.connect(self.open_day)
        self.month_table.contactsDropped.connect(self.invite)
        self.week_grid.occurrenceActivated.connect(self.open_occurrence)
        self.month_table.newEventAsked.connect(self.new_event_on)
        self.week_grid.newEventAsked.connect(self.new_event_at)
        self.week_grid.occurrenceMoved.connect(self.move_occurrence)
        self.week_grid.contactsDropped.connect(self.invite)
        for source in (self.month_table, self.week_grid, self.agenda_table):
            source.occurrenceMenuRequested.connect(self.show_occurrence_menu)
        self.month_table.dayChosen.connect(self._day_chosen)
        self.week_grid.dayChosen.connect(self._day_chosen)
        self.keys = CalendarKeys(self)
        self.keys.watch(self.month_table, self.month_table)
        self.keys.watch(self.week_grid.body, self.week_grid)
        self.keys.watch(self.agenda_table, self.agenda_table)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.month_table)
        self.pages.addWidget(self.week_grid)
        self.pages.addWidget(self.agenda_table)

        # What the range could not show in full (a series with more dates than are shown).
        self.notes = error_label(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(toolbar)
        layout.addWidget(self.notes)
        layout.addWidget(self.pages, 1)

        self.today_button.clicked.connect(self.go_today)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.month_button.clicked.connect(lambda: self.set_mode("month"))
        self.week_button.clicked.connect(lambda: self.set_mode("week"))
        self.agenda_button.clicked.connect(lambda: self.set_mode("agenda"))
        self.community_combo.activated.connect(self._community_chosen)
        self.colour_combo.activated.connect(self._colour_chosen)
        keys = (
            ("PgUp", lambda: self.step(-1)),
            ("PgDown", lambda: self.step(1)),
            ("Ctrl+Left", lambda: self.step(-1)),
            ("Ctrl+Right", lambda: self.step(1)),
            ("Ctrl+T", self.go_today),
        )
        self.shortcuts = []
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)
        self.month_model.set_month(self.anchor)
        self.month_table.choose(self.anchor)
        self.week_grid.set_week(week_start(self.anchor))
        self.week_grid.choose(self.anchor)
        self._update_title()

    # -- the section interface ----------------------------------------------------------

    @property
    def table(self) -> QWidget:
        """The page on screen: the month table, the week grid or the agenda table."""
        return {"agenda": self.agenda_table, "week": self.week_grid}.get(
            self.mode, self.month_table
        )

    @property
    def model(self) -> QAbstractTableModel:
        return self.agenda_model if self.mode == "agenda" else self.month_model

    def set_database(self, db: Database | None) -> None:
        self.db = db
        jobs.drop((self, "range"))  # a range from the old database is not shown
        self._loaded = False
        if self.isVisible():
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        self._load_communities()
        self._load()

    def on_changes(self, changes: Changes) -> None:
        if not self._loaded:
            return
        if changes.touches("communities"):
            self._load_communities()
        if (
            changes.touches("events")
            or changes.touches("communities")
            or changes.touches("settings")
        ):
            self._load()

    def focus_search(self) -> None:
        self.table.setFocus()

    def row_count(self) -> int:
        return len(self._occurrences)

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} occurrence", "{n} occurrences", n).format(n=format_int(n))

    def is_filled(self) -> bool:
        """Whether the occurrences of the range on screen are shown (no load under way)."""
        return self._loaded and not jobs.pending((self, "range"))

    # -- navigation -----------------------------------------------------------------------

    def visible_range(self) -> tuple[dt.date, dt.date]:
        if self.mode == "agenda":
            return self.anchor, self.anchor + dt.timedelta(days=AGENDA_DAYS - 1)
        if self.mode == "week":
            first = week_start(self.anchor)
            return first, first + dt.timedelta(days=6)
        return self.month_model.first, self.month_model.last()

    def export_calendar(self, shown_only: bool, path: Any = None) -> None:
        """Write the dates on screen (or every date) to an .ics file; the community filter
        is respected."""
        from ui.calendar.files import export_calendar, file_stem

        if self.db is None:
            return
        stem = file_stem(self.community, _("calendar")) if self.community else _("calendar")
        first = last = None
        if shown_only:
            first, last = self.visible_range()
            stem += f"-{first.isoformat()}-{last.isoformat()}"
        export_calendar(
            self,
            self.db,
            stem=stem,
            first=first,
            last=last,
            community=self.community,
            path=path,
        )

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.month_button.setChecked(mode == "month")
        self.week_button.setChecked(mode == "week")
        self.agenda_button.setChecked(mode == "agenda")
        self.pages.setCurrentWidget(self.table)
        self._moved()

    def show_month(self, day: dt.date) -> None:
        self.anchor = day
        self.set_mode("month")

    def show_week(self, day: dt.date) -> None:
        self.anchor = day
        self.set_mode("week")

    def show_agenda(self, day: dt.date) -> None:
        self.anchor = day
        self.set_mode("agenda")

    def go_today(self) -> None:
        self.anchor = clock.today()
        self._moved()

    def go_to(self, day: dt.date) -> None:
        self.anchor = day
        self._moved()

    def step(self, direction: int) -> None:
        if self.mode == "agenda":
            self.anchor += dt.timedelta(days=AGENDA_DAYS * direction)
            return self._moved()
        if self.mode == "week":
            self.anchor = week_start(self.anchor) + dt.timedelta(days=7 * direction)
            return self._moved()
        month = self.anchor.year * 12 + self.anchor.month - 1 + direction
        self.anchor = dt.date(month // 12, month % 12 + 1, 1)
        self._moved()

    def _moved(self) -> None:
        if self.mode == "month":
            self.month_model.set_month(self.anchor)
            self.month_table.choose(self.anchor)
        elif self.mode == "week":
            self.week_grid.set_week(week_start(self.anchor))
            self.week_grid.choose(self.anchor)
        self._update_title()
        if self._loaded:
            self._load()

    def _day_chosen(self, day: dt.date) -> None:
        """The arrows went to `day`: the month or the week shown follows when it is not in
        it (the day stays chosen)."""
        shown = self.shows(day)  # in the range of the anchor before it
        self.anchor = day
        if not shown:
            self._moved()

    def shows(self, day: dt.date) -> bool:
        """Whether `day` is in the range on screen (in the month: one of its own days)."""
        first, last = self.visible_range()
        in_month = self.mode != "month" or day.month == self.month_model.month
        return first <= day <= last and in_month

    def _update_title(self) -> None:
        locale = app_locale()
        if self.mode in ("agenda", "week"):
            first, last = self.visible_range()
            # "23 – 29 nov. 2026" within a month, "30 nov. – 6 déc. 2026" within a year.
            if (first.year, first.month) == (last.year, last.month):
                first_format = "d"
            elif first.year == last.year:
                first_format = "d MMM"
            else:
                first_format = "d MMM yyyy"
            text = "{first} – {last}".format(
                first=locale.toString(QDate(first.year, first.month, first.day), first_format),
                last=locale.toString(QDate(last.year, last.month, last.day), "d MMM yyyy"),
            )
        else:
            text = locale.toString(QDate(self.anchor.year, self.anchor.month, 1), "MMMM yyyy")
        self.title.setText(text[:1].upper() + text[1:])

    def title_text(self) -> str:
        return self.title.text()

    # -- filter and colours ---------------------------------------------------------------

    def _load_communities(self) -> None:
        if self.db is None:
            return
        run_in_background(
            vocabulary_service.communities, self.db, on_success=self._fill_communities, label=""
        )

    def _fill_communities(self, choices: Sequence[vocabulary_service.Choice]) -> None:
        by_creation = sorted(choices, key=lambda c: c.id)
        rank = {c.name: n for n, c in enumerate(by_creation)}
        if rank != self.look.community_rank:
            self.look.community_rank = rank
            self._repaint()
        combo = self.community_combo
        names = [c.name for c in choices]
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("All communities"), None)
        for name in names:
            combo.addItem(name, name)
        combo.blockSignals(False)
        if self.community is not None and self.community not in names:
            self.set_community(None)  # it was deleted or renamed: show everything again
        else:
            combo.setCurrentIndex(max(0, combo.findData(self.community)))

    def set_community(self, name: str | None) -> None:
        """Show only that community's occurrences (None: all of them); remembered."""
        self.community = name or None
        index = self.community_combo.findData(self.community)
        self.community_combo.setCurrentIndex(max(0, index))
        app_settings().setValue(COMMUNITY_KEY, self.community or "")
        if self._loaded:
            self._load()

    def _community_chosen(self, index: int) -> None:
        self.set_community(self.community_combo.itemData(index))

    def set_colour_by(self, what: str) -> None:
        """Colour occurrences by "community" or by "status"; remembered."""
        self.look.colour_by = "status" if what == "status" else "community"
        self.colour_combo.setCurrentIndex(1 if self.look.colour_by == "status" else 0)
        app_settings().setValue(COLOUR_KEY, self.look.colour_by)
        self._repaint()

    def _themed_icons(self, _scheme: str = "") -> None:
        """The export icon, and a few colours of each colouring, in the scheme shown."""
        self.export_button.setIcon(themed_icon("export"))
        samples = {
            "community": [community_colour(n) for n in range(3)],
            "status": [status_colour(s) for s in ("planned", "confirmed", CANCELLED)],
        }
        combo = self.colour_combo
        size = combo.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        combo.setIconSize(QSize(size * 2, size))
        for index in range(combo.count()):
            colours = samples[str(combo.itemData(index))]
            combo.setItemIcon(index, swatch_icon(colours, size, combo.devicePixelRatioF()))

    def _colour_chosen(self, index: int) -> None:
        self.set_colour_by(str(self.colour_combo.itemData(index)))

    def _repaint(self) -> None:
        self.month_model.repaint_all()
        self.agenda_model.repaint_all()
        self.week_grid.body.update()
        self.week_grid.header.update()

    # -- data -----------------------------------------------------------------------------

    def _load(self) -> None:
        if self.db is None:
            return
        first, last = self.visible_range()
        run_in_background(
            fetch,
            self.db,
            first,
            last,
            self.community,
            on_success=self._show,
            label="",
            key=(self, "range"),  # a later range asked for meanwhile wins
        )

    def _show(self, data: CalendarData) -> None:
        self._occurrences = data.occurrences
        self.look.unconfirmed = data.unconfirmed
        show_error(self.notes, "\n".join(data.notes))
        if self.mode == "month":
            self.month_model.set_occurrences(data.occurrences)
        elif self.mode == "week":
            self.week_grid.set_occurrences(data.occurrences)
        else:
            self.agenda_model.set_occurrences(data.occurrences)
        self._choose_followed()
        self.countChanged.emit()
        self.filled.emit()

    def _choose_followed(self) -> None:
        """Choose the event moved from the keyboard once it is shown where it went."""
        if self._follow is None:
            return
        key, day = self._follow
        if not any(occurrence_key(o) == key and o.start.date() == day for o in self._occurrences):
            return  # not there yet (the move is still being written)
        self._follow = None
        if self.mode == "month":
            self.month_table.choose(day, key)
        elif self.mode == "week":
            self.week_grid.choose(day, key, scroll=True)
        else:
            self.agenda_table.choose(key)

    def occurrences(self) -> list[OccurrenceRead]:
        """The occurrences on screen (the whole range, filter applied)."""
        return list(self._occurrences)

    # -- moving, inviting, opening --------------------------------------------------------

    def _push(self, command: ServiceCommand) -> None:
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()

    def move_to_day(self, occurrence: OccurrenceRead, day: dt.date) -> None:
        """Move to another day, keeping the times (undoable)."""
        start = occurrence.start.replace(tzinfo=None)
        self.move_occurrence(occurrence, dt.datetime.combine(day, start.time()))

    def move_occurrence(self, occurrence: OccurrenceRead, new_start: dt.datetime) -> None:
        """Move to a new local start, keeping the length (undoable), and say where."""
        if self.db is None or new_start == occurrence.start.replace(tzinfo=None):
            return
        command = MoveOccurrence(self.db, occurrence, new_start)
        when = long_date(new_start.date(), capital=False)
        if not occurrence.all_day:
            when += " " + format_time(new_start.hour, new_start.minute)
        text = _("{title} moved to {when} — Ctrl+Z to undo").format(
            title=occurrence.title, when=when
        )
        command.on_done = lambda _command: self._tell(text)
        self._push(command)

    def shift_occurrence(self, occurrence: OccurrenceRead, by: dt.timedelta) -> None:
        """Alt+arrows: move it by a day, a week or a quarter of an hour (undoable); it stays
        chosen where it lands, the range shown following it."""
        new_start = occurrence.start.replace(tzinfo=None) + by
        self._follow = (occurrence_key(occurrence), new_start.date())
        self.move_occurrence(occurrence, new_start)
        if self.shows(new_start.date()):
            self._choose_followed()
        else:
            self.go_to(new_start.date())

    def delete_occurrence(self, occurrence: OccurrenceRead) -> None:
        """Delete: the event (undoable, guests and tasks with it), or for a date of a
        series, skip that date as its menu does."""
        if occurrence.recurrence_id is not None:
            self.skip_occurrence(occurrence)
            return
        if self.db is None:
            return
        from ui.events.commands import DeleteEvents

        command = DeleteEvents(self.db, [occurrence.event_id])
        text = _("{title} deleted — Ctrl+Z to undo").format(title=occurrence.title)
        command.on_done = lambda _command: self._tell(text)
        self._push(command)

    def invite(self, occurrence: OccurrenceRead, contact_ids: Sequence[int]) -> None:
        """Contacts dropped on an occurrence join the event's guest list (undoable)."""
        if self.db is None or not contact_ids:
            return
        from ui.events.guest_commands import AddGuests

        command = AddGuests(self.db, occurrence.event_id, list(contact_ids))
        title = occurrence.title

        def done(_command: Any) -> None:
            self._tell(command.report(title))

        command.on_done = done
        self._push(command)

    def open_day(self, day: dt.date) -> None:
        """The day's occurrences in a popup under its cell (from "+N more")."""
        if self.day_popup is None:
            self.day_popup = DayPopup(self.look, self)
            self.day_popup.occurrenceActivated.connect(self.open_occurrence)
            self.day_popup.table.contactsDropped.connect(self.invite)
            self.day_popup.table.occurrenceMenuRequested.connect(self.show_occurrence_menu)
            self.keys.watch(self.day_popup.table, self.day_popup.table)
        popup = self.day_popup
        popup.show_day(day, self.month_model.by_day.get(day, []))
        index = self.month_model.index_of(day)
        rect = self.month_table.visualRect(index)
        corner = self.month_table.viewport().mapToGlobal(rect.topLeft())
        screen = self.screen().availableGeometry()
        x = min(corner.x(), screen.right() - popup.width())
        y = min(corner.y(), screen.bottom() - popup.height())
        popup.move(max(screen.left(), x), max(screen.top(), y))
        popup.show()
        popup.table.setFocus()

    def _agenda_activated(self, index: QModelIndex) -> None:
        occurrence = index.data(OccurrenceRole)
        if occurrence is not None:
            self.open_occurrence(occurrence)

    def _events_view(self) -> Any:
        view = getattr(self.window(), "view", None)
        return view("events") if view is not None else None

    def open_occurrence(self, occurrence: OccurrenceRead) -> None:
        events = self._events_view()
        if hasattr(events, "open_record"):
            events.open_record(occurrence.event_id)

    def new_event_on(self, day: dt.date) -> None:
        """A new event on that day (a double-click on the month's empty space), at the
        editor's usual evening time."""
        start = dt.datetime.combine(day, NEW_EVENT_TIME)
        self.new_event_at(start, start + NEW_EVENT_LENGTH)

    def new_event_at(self, start: dt.datetime, end: dt.datetime) -> None:
        """The event editor on a new event at those local times (the week's empty slots)."""
        events = self._events_view()
        if hasattr(events, "new_event_at"):
            events.new_event_at(start, end)

    # -- the occurrence menu ----------------------------------------------------------------

    def show_occurrence_menu(self, occurrences: Sequence[OccurrenceRead], where: QPoint) -> None:
        """Open, check in, close; for one date of a series, skip it or put it back at its
        usual time. Several occurrences (the Menu key on a busy day): one submenu each."""
        if self.db is None or not occurrences:
            return
        if self.menu is not None:
            self.menu.deleteLater()
        menu = self.menu = QMenu(self)
        menu.setObjectName("occurrenceMenu")
        menu.setToolTipsVisible(True)
        if len(occurrences) == 1:
            self._fill_occurrence_menu(menu, occurrences[0])
        else:
            for occurrence in occurrences:
                submenu = menu.addMenu(_menu_text(self.look.text(occurrence)))
                submenu.setToolTipsVisible(True)
                self._fill_occurrence_menu(submenu, occurrence)
        menu.popup(where)

    def _fill_occurrence_menu(self, menu: QMenu, occurrence: OccurrenceRead) -> None:
        """Each entry that has a key in the calendar shows it (ui/calendar/keys.py)."""
        o = occurrence

        def add(name: str, text: str, slot: Any, key: Any = None) -> Any:
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(lambda _checked=False: self.act(slot, o))
            if key is not None:
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            return action

        def shift(days: int) -> Callable[[OccurrenceRead], None]:
            return lambda chosen: self.shift_occurrence(chosen, dt.timedelta(days=days))

        open_ = add("occurrenceOpen", _("&Open"), self.open_occurrence, OPEN_KEY)
        menu.setDefaultAction(open_)
        menu.addSeparator()
        checkin = add("occurrenceCheckIn", _("Check in at the &door…"), self.check_in)
        close = add("occurrenceClose", _("&Close the event…"), self.close_event)
        # Arrivals and closing are for dates that have come (today's door opens early).
        if o.status == CANCELLED:
            for action in (checkin, close):
                action.setEnabled(False)
                action.setToolTip(_("This date is cancelled."))
        elif o.start.astimezone(ZoneInfo(clock.local_zone_name())).date() > clock.today():
            checkin.setEnabled(False)
            checkin.setToolTip(_("This date has not come yet: arrivals are recorded on the day."))
        if o.status != CANCELLED and o.start.astimezone(dt.UTC) > clock.now_utc():
            close.setEnabled(False)
            close.setToolTip(_("This date has not taken place yet: close it once it is over."))
        menu.addSeparator()
        add("occurrenceEarlier", _("Move to the &previous day"), shift(-1), EARLIER_KEY)
        add("occurrenceLater", _("Move to the &next day"), shift(1), LATER_KEY)
        menu.addSeparator()
        if o.recurrence_id is None:
            add("occurrenceDelete", _("D&elete the event"), self.delete_occurrence, DELETE_KEY)
        else:
            add("occurrenceSkip", _("&Skip this date"), self.skip_occurrence, DELETE_KEY)
            if is_moved(o):
                add("occurrenceBack", _("Back to its usual &time"), self.back_to_usual_time)

    def act(self, slot: Callable[[OccurrenceRead], None], occurrence: OccurrenceRead) -> None:
        """An action on an occurrence, from its menu or a key."""
        if self.day_popup is not None and self.day_popup.isVisible():
            self.day_popup.close()  # its list would be out of date
        slot(occurrence)

    def _tell(self, text: str) -> None:
        self.last_message = text
        window = self.window()
        show = getattr(window, "show_message", None)
        if callable(show):
            show(text)
        elif isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8000)

    def check_in(self, occurrence: OccurrenceRead) -> None:
        """The door of that occurrence (a single event: the event's)."""
        from ui.events.checkin import open_checkin

        if self.db is not None:
            self.checkin = open_checkin(
                occurrence.event_id, occurrence.recurrence_id, db=self.db, parent=self.window()
            )

    def close_event(self, occurrence: OccurrenceRead) -> None:
        """Close the event, or that occurrence of a series."""
        from ui.events.closing import open_close_event

        if self.db is not None:
            self.close_dialog = open_close_event(
                self.db,
                self._push,
                occurrence.event_id,
                occurrence.recurrence_id,
                parent=self.window(),
            )

    def skip_occurrence(self, occurrence: OccurrenceRead) -> None:
        """Skip that date of its series (undoable), and say so in the status bar."""
        if self.db is None or occurrence.recurrence_id is None:
            return
        command = SkipOccurrence(self.db, occurrence)
        text = _("{title} on {date} skipped — Ctrl+Z to undo").format(
            title=occurrence.title, date=day_month(occurrence.recurrence_id.date())
        )
        command.on_done = lambda _command: self._tell(text)
        self._push(command)

    def back_to_usual_time(self, occurrence: OccurrenceRead) -> None:
        """Put a moved occurrence back at its series' usual time (undoable)."""
        usual = occurrence.recurrence_id
        if self.db is None or usual is None:
            return
        date = day_month(usual.date())
        command = RestoreOccurrence(
            self.db,
            occurrence.event_id,
            usual,
            _("Put {title} of {date} back at its usual time").format(
                title=occurrence.title, date=date
            ),
        )
        text = _("{title} on {date} is back at its usual time — Ctrl+Z to undo").format(
            title=occurrence.title, date=date
        )
        command.on_done = lambda _command: self._tell(text)
        self._push(command)
