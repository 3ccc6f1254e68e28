"""Calendar: a month grid and an agenda of the coming occurrences, series expanded."""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QColor, QDrag, QFont, QPainter, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from cmplanner.model.enums import kind_label
from cmplanner.services import events as event_service
from cmplanner.services.events import OccurrenceRead
from cmplanner.storage import Database
from ui.commands import ServiceCommand
from ui.display import app_locale, format_int
from ui.tasks import run_in_background

Index = QModelIndex | QPersistentModelIndex
OccurrencesRole = Qt.ItemDataRole.UserRole + 1
DateRole = Qt.ItemDataRole.UserRole + 2
OccurrenceRole = Qt.ItemDataRole.UserRole + 3

OCCURRENCE_MIME = "application/x-cmplanner-occurrence"
MAX_LINES = 4  # occurrences listed in a day cell before "+N more"
AGENDA_DAYS = 31
CANCELLED = "cancelled"
IDEA = "idea"


def community_colour(name: str) -> QColor:
    """A stable pastel colour per community name; grey when there is none."""
    if not name:
        return QColor("#e4e4e7")
    hue = zlib.crc32(name.encode("utf-8")) % 360
    return QColor.fromHsl(hue, 150, 215)


def week_start(day: dt.date) -> dt.date:
    """The first day of the week holding `day`, as the locale counts weeks."""
    first_weekday = app_locale().firstDayOfWeek().value  # 1 = Monday … 7 = Sunday
    return day - dt.timedelta(days=(day.isoweekday() - first_weekday) % 7)


def month_start_grid(day: dt.date) -> dt.date:
    """The first day shown for the month of `day`: the week's first day on or before the 1st."""
    return week_start(day.replace(day=1))


def fetch(db: Database, first: dt.date, last: dt.date) -> list[OccurrenceRead]:
    """Runs on the worker: occurrences whose local start day lies in [first, last]."""
    start = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), dt.UTC)
    found = event_service.occurrences_between(db, start, end)
    return [o for o in found if first <= o.start.date() <= last]


def _time_text(occurrence: OccurrenceRead) -> str:
    if occurrence.all_day:
        return ""
    start = occurrence.start
    return app_locale().toString(QTime(start.hour, start.minute), "HH:mm")


def occurrence_text(occurrence: OccurrenceRead) -> str:
    """ "19:00 Apéro du jeudi" (just the title for an all-day event)."""
    time = _time_text(occurrence)
    return f"{time} {occurrence.title}" if time else occurrence.title


def occurrence_tooltip(occurrence: OccurrenceRead) -> str:
    """ "19:00 Apéro du jeudi · Apéros du jeudi · Brasserie Georges · Confirmed"."""
    parts = [occurrence_text(occurrence), occurrence.community, occurrence.venue]
    parts.append(kind_label(occurrence.status))
    return " · ".join(p for p in parts if p)


class MoveOccurrence(ServiceCommand):
    """Move an occurrence by whole days, keeping its times: a single event's start and end
    shift; a series' occurrence is moved alone (an override). Undo moves it back."""

    def __init__(self, db: Database, occurrence: OccurrenceRead, days: int) -> None:
        super().__init__(db, _("Move {title}").format(title=occurrence.title))
        self.occurrence = occurrence
        self.shift = dt.timedelta(days=days)
        self._old: Any = None

    def _local(self, value: dt.datetime) -> dt.datetime:
        return value.replace(tzinfo=None)

    def apply(self) -> None:
        from cmplanner.services import event_records

        o = self.occurrence
        if o.recurrence_id is None:
            self._old = event_records.get_event_form(self.db, o.event_id).data
            new = self._old.model_copy(
                update={
                    "start_local": self._old.start_local + self.shift,
                    "end_local": self._old.end_local + self.shift,
                }
            )
            event_service.update_event(self.db, o.event_id, new)
        else:
            start, end = self._local(o.start), self._local(o.end)
            event_service.move_occurrence(
                self.db, o.event_id, o.recurrence_id, start + self.shift, end + self.shift
            )

    def revert(self) -> None:
        o = self.occurrence
        if o.recurrence_id is None:
            event_service.update_event(self.db, o.event_id, self._old)
        else:
            start, end = self._local(o.start), self._local(o.end)
            event_service.move_occurrence(self.db, o.event_id, o.recurrence_id, start, end)


class MonthModel(QAbstractTableModel):
    """Six weeks of seven days; each cell holds its day and that day's occurrences."""

    weeks = 6
    max_lines = MAX_LINES

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.first = self.first_day(clock.today())
        self.month: int | None = clock.today().month  # days of other months are greyed
        self.by_day: dict[dt.date, list[OccurrenceRead]] = {}

    def first_day(self, day: dt.date) -> dt.date:
        return month_start_grid(day)

    def set_month(self, day: dt.date) -> None:
        self.beginResetModel()
        self.first = self.first_day(day)
        self.month = day.month if self.weeks > 1 else None
        self.by_day = {}
        self.endResetModel()

    def set_occurrences(self, occurrences: list[OccurrenceRead]) -> None:
        by_day: dict[dt.date, list[OccurrenceRead]] = {}
        for occurrence in occurrences:
            by_day.setdefault(occurrence.start.date(), []).append(occurrence)
        self.by_day = by_day
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.weeks - 1, 6))

    def last(self) -> dt.date:
        return self.first + dt.timedelta(days=7 * self.weeks - 1)

    def date_at(self, row: int, column: int) -> dt.date:
        return self.first + dt.timedelta(days=row * 7 + column)

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
            lines = [occurrence_tooltip(o) for o in self.by_day.get(day, [])]
            return "\n".join(lines) or None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < 7:
            day = self.date_at(0, section)
            name = app_locale().dayName(day.isoweekday(), app_locale().FormatType.ShortFormat)
            return name if self.weeks > 1 else f"{name} {day.day}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class WeekModel(MonthModel):
    """One week: seven tall days listing every occurrence."""

    weeks = 1
    max_lines = 14

    def first_day(self, day: dt.date) -> dt.date:
        return week_start(day)


class DayDelegate(QStyledItemDelegate):
    """Paints a day: its number, then up to MAX_LINES coloured occurrences and "+N more"."""

    PAD = 3

    def __init__(self, model: MonthModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.month_model = model

    def line_height(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.height() + 2

    def occurrence_at(self, rect: QRect, y: int, option: QStyleOptionViewItem, index: Index) -> Any:
        """The occurrence drawn at height y in the cell, if any."""
        line = self.line_height(option)
        top = rect.top() + self.PAD + line
        if y < top:
            return None
        number = (y - top) // line
        items = index.data(OccurrencesRole) or []
        limit = self.month_model.max_lines
        shown = items if len(items) <= limit else items[: limit - 1]
        return shown[number] if number < len(shown) else None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        day: dt.date = index.data(DateRole)
        items: list[OccurrenceRead] = index.data(OccurrencesRole) or []
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        outside = self.month_model.month is not None and day.month != self.month_model.month
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight).lighter(170))
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
        limit = self.month_model.max_lines
        shown = items if len(items) <= limit else items[: limit - 1]
        y = inner.top() + line
        for occurrence in shown:
            if y + line > inner.bottom() + 2:
                break
            box = QRect(inner.left(), y, inner.width(), line - 1)
            cancelled = occurrence.status == CANCELLED
            background = community_colour(occurrence.community)
            if cancelled:
                background = QColor("#f1f1f3")
            painter.fillRect(box, background)
            item_font = QFont(font)
            item_font.setStrikeOut(cancelled)
            item_font.setItalic(occurrence.status == IDEA)
            painter.setFont(item_font)
            painter.setPen(QColor("#8a8a93") if cancelled else QColor("#1f1f24"))
            text = option.fontMetrics.elidedText(
                occurrence_text(occurrence), Qt.TextElideMode.ElideRight, box.width() - 6
            )
            painter.drawText(box.adjusted(3, 0, -3, 0), Qt.AlignmentFlag.AlignVCenter, text)
            y += line
        hidden = len(items) - len(shown)
        if hidden > 0 and y + line <= inner.bottom() + 2:
            painter.setFont(font)
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            more = ngettext("+{n} more", "+{n} more", hidden).format(n=hidden)
            painter.drawText(QRect(inner.left() + 3, y, inner.width(), line), 0, more)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(110, (MAX_LINES + 1) * self.line_height(option) + 2 * self.PAD)


AGENDA_COLUMNS = ("time", "title", "community", "venue")


class AgendaModel(QAbstractTableModel):
    """The coming occurrences, one row per day heading then one per occurrence."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dt.date | OccurrenceRead] = []

    def set_occurrences(self, occurrences: list[OccurrenceRead]) -> None:
        self.beginResetModel()
        self.rows = []
        day: dt.date | None = None
        for occurrence in sorted(occurrences, key=lambda o: (o.start.date(), o.start.time())):
            if occurrence.start.date() != day:
                day = occurrence.start.date()
                self.rows.append(day)
            self.rows.append(occurrence)
        self.endResetModel()

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
            return str(getattr(row, key) or "")
        if role == OccurrenceRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return occurrence_tooltip(row)
        if role == DateRole:
            return row.start.date()
        if role == Qt.ItemDataRole.FontRole and row.status in (CANCELLED, IDEA):
            font = QFont()
            font.setStrikeOut(row.status == CANCELLED)
            font.setItalic(row.status == IDEA)  # only an idea so far
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.status == CANCELLED:
            return QColor("#8a8a93")
        if role == Qt.ItemDataRole.BackgroundRole and key == "time":
            return community_colour(row.community)
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


class MonthTable(QTableView):
    occurrenceActivated = Signal(object)
    occurrenceDropped = Signal(object, object)  # the occurrence, the day it was dropped on

    def __init__(self, model: MonthModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.delegate = DayDelegate(model, self)
        self.setItemDelegate(self.delegate)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self._press: QPoint | None = None
        self._pressed: OccurrenceRead | None = None
        self.dragged: OccurrenceRead | None = None  # the occurrence being dragged, if any

    def occurrence_at(self, pos: Any) -> OccurrenceRead | None:
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        found: OccurrenceRead | None = self.delegate.occurrence_at(
            self.visualRect(index), pos.y(), option, index
        )
        return found

    def mousePressEvent(self, event: Any) -> None:
        self._press = event.position().toPoint()
        self._pressed = self.occurrence_at(self._press)
        super().mousePressEvent(event)

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

    def dragEnterEvent(self, event: Any) -> None:
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        index = self.indexAt(event.position().toPoint())
        if self._accepts(event) and index.isValid():
            self.setCurrentIndex(index)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:
        index = self.indexAt(event.position().toPoint())
        if not self._accepts(event) or not index.isValid():
            event.ignore()
            return
        event.acceptProposedAction()
        self.occurrenceDropped.emit(self.dragged, index.data(DateRole))

    def mouseDoubleClickEvent(self, event: Any) -> None:
        occurrence = self.occurrence_at(event.position().toPoint())
        if occurrence is not None:
            self.occurrenceActivated.emit(occurrence)
            return
        super().mouseDoubleClickEvent(event)


class CalendarView(QWidget):
    countChanged = Signal()
    filled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db: Database | None = None
        self.undo_stack: QUndoStack | None = None  # set by the main window
        self.anchor = clock.today()
        self.mode = "month"
        self._loaded = False
        self._occurrences: list[OccurrenceRead] = []
        self._generation = 0

        self.today_button = QPushButton(_("Today"), self)
        self.today_button.setObjectName("calendarToday")
        self.previous_button = QPushButton("‹", self)
        self.previous_button.setToolTip(_("Previous"))
        self.previous_button.setFixedWidth(36)
        self.next_button = QPushButton("›", self)
        self.next_button.setToolTip(_("Next"))
        self.next_button.setFixedWidth(36)
        self.title = QLabel(self)
        self.title.setObjectName("calendarTitle")
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.month_button = QPushButton(_("Month"), self)
        self.week_button = QPushButton(_("Week"), self)
        self.agenda_button = QPushButton(_("Agenda"), self)
        self.switch = QButtonGroup(self)
        for button in (self.month_button, self.week_button, self.agenda_button):
            button.setCheckable(True)
            self.switch.addButton(button)
        self.month_button.setChecked(True)

        toolbar = QHBoxLayout()
        toolbar.setSpacing(6)
        toolbar.addWidget(self.today_button)
        toolbar.addWidget(self.previous_button)
        toolbar.addWidget(self.next_button)
        toolbar.addSpacing(10)
        toolbar.addWidget(self.title, 1)
        toolbar.addWidget(self.month_button)
        toolbar.addWidget(self.week_button)
        toolbar.addWidget(self.agenda_button)

        self.month_model = MonthModel(self)
        self.month_table = MonthTable(self.month_model, self)
        self.week_model = WeekModel(self)
        self.week_table = MonthTable(self.week_model, self)
        self.agenda_model = AgendaModel(self)
        self.agenda_table = QTableView(self)
        self.agenda_table.setModel(self.agenda_model)
        self.agenda_table.verticalHeader().hide()
        self.agenda_table.setShowGrid(False)
        self.agenda_table.setWordWrap(False)
        self.agenda_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agenda_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.agenda_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((90, 320, 220)):
            self.agenda_table.setColumnWidth(column, width)
        self.agenda_table.verticalHeader().setDefaultSectionSize(26)
        self.agenda_table.doubleClicked.connect(self._agenda_activated)
        self.agenda_model.modelReset.connect(self._span_day_headings)
        self.month_table.occurrenceActivated.connect(self.open_occurrence)
        self.month_table.occurrenceDropped.connect(self.move_occurrence)
        self.week_table.occurrenceActivated.connect(self.open_occurrence)
        self.week_table.occurrenceDropped.connect(self.move_occurrence)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.month_table)
        self.pages.addWidget(self.week_table)
        self.pages.addWidget(self.agenda_table)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(toolbar)
        layout.addWidget(self.pages, 1)

        self.today_button.clicked.connect(self.go_today)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.month_button.clicked.connect(lambda: self.set_mode("month"))
        self.week_button.clicked.connect(lambda: self.set_mode("week"))
        self.agenda_button.clicked.connect(lambda: self.set_mode("agenda"))
        self._update_title()

    # -- the section interface ----------------------------------------------------------

    @property
    def table(self) -> QTableView:
        return {"agenda": self.agenda_table, "week": self.week_table}.get(
            self.mode, self.month_table
        )

    @property
    def model(self) -> QAbstractTableModel:
        return {"agenda": self.agenda_model, "week": self.week_model}.get(
            self.mode, self.month_model
        )

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self._loaded = False
        if self.isVisible():
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        self._load()

    def on_changes(self, changes: Changes) -> None:
        if self._loaded and (changes.touches("events") or changes.touches("communities")):
            self._load()

    def focus_search(self) -> None:
        self.table.setFocus()

    def row_count(self) -> int:
        return len(self._occurrences)

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} occurrence", "{n} occurrences", n).format(n=format_int(n))

    # -- navigation -----------------------------------------------------------------------

    def visible_range(self) -> tuple[dt.date, dt.date]:
        if self.mode == "agenda":
            return self.anchor, self.anchor + dt.timedelta(days=AGENDA_DAYS - 1)
        grid = self.week_model if self.mode == "week" else self.month_model
        return grid.first, grid.last()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.month_button.setChecked(mode == "month")
        self.week_button.setChecked(mode == "week")
        self.agenda_button.setChecked(mode == "agenda")
        self.pages.setCurrentWidget(self.table)
        self._moved()

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
        self.month_model.set_month(self.anchor)
        self.week_model.set_month(self.anchor)
        self._update_title()
        if self._loaded:
            self._load()

    def _update_title(self) -> None:
        locale = app_locale()
        if self.mode in ("agenda", "week"):
            first, last = self.visible_range()
            text = "{first} – {last}".format(
                first=locale.toString(QDate(first.year, first.month, first.day), "d MMM yyyy"),
                last=locale.toString(QDate(last.year, last.month, last.day), "d MMM yyyy"),
            )
        else:
            text = locale.toString(QDate(self.anchor.year, self.anchor.month, 1), "MMMM yyyy")
        self.title.setText(text[:1].upper() + text[1:])

    def title_text(self) -> str:
        return self.title.text()

    # -- data -----------------------------------------------------------------------------

    def _load(self) -> None:
        if self.db is None:
            return
        self._generation += 1
        generation = self._generation
        first, last = self.visible_range()
        run_in_background(
            fetch,
            self.db,
            first,
            last,
            on_success=lambda found: self._show(generation, found),
            label="",
        )

    def _show(self, generation: int, occurrences: list[OccurrenceRead]) -> None:
        if generation != self._generation:
            return  # a later range was asked for meanwhile
        self._occurrences = occurrences
        self.month_model.set_occurrences(occurrences)
        self.week_model.set_occurrences(occurrences)
        self.agenda_model.set_occurrences(occurrences)
        self.countChanged.emit()
        self.filled.emit()

    def _span_day_headings(self) -> None:
        """Each day's heading runs across the whole row."""
        self.agenda_table.clearSpans()
        for row, item in enumerate(self.agenda_model.rows):
            if isinstance(item, dt.date):
                self.agenda_table.setSpan(row, 0, 1, len(AGENDA_COLUMNS))

    # -- moving and opening ---------------------------------------------------------------

    def move_occurrence(self, occurrence: OccurrenceRead, day: dt.date) -> None:
        """Move to another day, keeping the times (undoable)."""
        days = (day - occurrence.start.date()).days
        if self.db is None or days == 0:
            return
        command = MoveOccurrence(self.db, occurrence, days)
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()

    # -- opening --------------------------------------------------------------------------

    def _agenda_activated(self, index: QModelIndex) -> None:
        occurrence = index.data(OccurrenceRole)
        if occurrence is not None:
            self.open_occurrence(occurrence)

    def open_occurrence(self, occurrence: OccurrenceRead) -> None:
        window = self.window()
        view = getattr(window, "view", None)
        if view is None:
            return
        events = view("events")
        if hasattr(events, "open_record"):
            events.open_record(occurrence.event_id)
