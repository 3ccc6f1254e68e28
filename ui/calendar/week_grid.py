"""The calendar's week as an hour grid: a time column, one column per day, each occurrence a
block at its local start whose height is its duration; all-day events in a band on top.

Everything is painted (no widget per event) from a layout computed once per fill, so a week
with hundreds of occurrences costs a few milliseconds. Dragging a block moves it to another
day and time (15-minute steps); the move itself is left to the owner (`occurrenceMoved`).

One day is current (its name ringed) and one of its events chosen (ringed): ← / → move the
day, ↑ / ↓ go through its events (ui/calendar/keys.py has the keys acting on them).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.i18n import _, locale_name
from cmplanner.services.event_dates import OccurrenceRead
from cmplanner.timezones import utc_to_local
from ui.calendar.keys import (
    OccurrenceKey,
    chosen_in,
    chosen_text,
    draw_ring,
    occurrence_key,
    step_key,
)
from ui.contacts.drop import ContactDropTarget
from ui.kit import theme
from ui.kit.announce import announce
from ui.kit.display import app_locale, format_time, hour_label

TIME_WIDTH = 56  # the hours column, at least


def time_width() -> int:
    """The hours column: room for its widest label ("22:00", "10 PM") at the app's text
    size, in the locale's clock."""
    return _time_width(QApplication.font().key(), locale_name())


@functools.lru_cache(maxsize=8)
def _time_width(_font: str, _locale: str) -> int:
    metrics = QFontMetrics(QApplication.font())
    return max(TIME_WIDTH, max(metrics.horizontalAdvance(hour_label(h)) for h in (10, 22)) + 14)


HOUR_HEIGHT = 48
SNAP_MINUTES = 15
MIN_MINUTES = 30  # a short event still gets a readable block
BAND_ROWS = 3  # all-day rows shown before "+N"
SCROLL_TO_HOUR = 8
NEW_EVENT_MINUTES = 60  # an empty slot double-clicked: a new event that long
DAY_MINUTES = 24 * 60


@dataclass
class Block:
    """Where one timed occurrence sits: its day column, minutes, and side-by-side lane."""

    occurrence: OccurrenceRead
    column: int
    top: int  # minutes since midnight
    bottom: int
    lane: int = 0
    lanes: int = 1
    span: int = 1  # lanes it covers: its own and the free ones to its right


@dataclass
class BandItem:
    """An all-day (or day-long) occurrence in the band: first and last column, its row."""

    occurrence: OccurrenceRead
    first: int
    last: int
    row: int = 0


def _is_band(occurrence: OccurrenceRead) -> bool:
    return occurrence.all_day or occurrence.end - occurrence.start >= dt.timedelta(hours=24)


def lay_out_day(blocks: list[Block]) -> None:
    """Overlapping blocks side by side: lanes within each cluster of overlapping blocks; a
    block widens into the lanes to its right that are free while it lasts."""
    blocks.sort(key=lambda b: (b.top, -(b.bottom - b.top)))
    cluster: list[Block] = []
    lane_ends: list[int] = []
    cluster_end = -1

    def close() -> None:
        for member in cluster:
            member.lanes = len(lane_ends)
        for member in cluster:
            member.span = 1
            for lane in range(member.lane + 1, member.lanes):
                if any(
                    other.lane == lane and other.top < member.bottom and member.top < other.bottom
                    for other in cluster
                ):
                    break
                member.span += 1

    for block in blocks:
        if block.top >= cluster_end and cluster:
            close()
            cluster, lane_ends = [], []
        for lane, end in enumerate(lane_ends):
            if end <= block.top:
                block.lane = lane
                lane_ends[lane] = block.bottom
                break
        else:
            block.lane = len(lane_ends)
            lane_ends.append(block.bottom)
        cluster.append(block)
        cluster_end = max(cluster_end, block.bottom)
    if cluster:
        close()


class WeekLayout:
    """The week's blocks and band items, computed once per fill."""

    def __init__(self, first: dt.date, occurrences: Sequence[OccurrenceRead]) -> None:
        self.first = first
        self.blocks: list[Block] = []
        self.band: list[BandItem] = []
        per_day: dict[int, list[Block]] = {}
        band: list[BandItem] = []
        for occurrence in occurrences:
            column = (occurrence.start.date() - first).days
            if _is_band(occurrence):
                if occurrence.all_day:  # its stored end is its last day
                    last_day = max(occurrence.start.date(), occurrence.end.date())
                else:
                    last_day = (occurrence.end - dt.timedelta(seconds=1)).date()
                last = min(6, (last_day - first).days)
                if last >= 0 and column <= 6:
                    band.append(BandItem(occurrence, max(0, column), max(last, column)))
                continue
            if not 0 <= column <= 6:
                continue
            start = occurrence.start
            top = start.hour * 60 + start.minute
            span = int((occurrence.end - start).total_seconds() // 60)
            bottom = min(DAY_MINUTES, top + max(span, MIN_MINUTES))
            top = min(top, DAY_MINUTES - MIN_MINUTES)
            per_day.setdefault(column, []).append(Block(occurrence, column, top, bottom))
        for blocks in per_day.values():
            lay_out_day(blocks)
            self.blocks.extend(blocks)
        band.sort(key=lambda b: (b.first, -(b.last - b.first), b.occurrence.title))
        rows: list[list[tuple[int, int]]] = []
        for item in band:
            for number, taken in enumerate(rows):
                if all(item.last < a or item.first > b for a, b in taken):
                    item.row = number
                    taken.append((item.first, item.last))
                    break
            else:
                item.row = len(rows)
                rows.append([(item.first, item.last)])
        self.band = band
        self.band_rows = len(rows)

    def band_hidden(self, column: int) -> int:
        """How many band items of that day do not fit in the band's rows."""
        return sum(1 for b in self.band if b.row >= BAND_ROWS and b.first <= column <= b.last)


class _Columns:
    """Day-column geometry shared by the header and the body (same widths)."""

    def __init__(self, width: int) -> None:
        self.width = width

    def day_width(self) -> float:
        return max(1.0, (self.width - time_width()) / 7)

    def day_left(self, column: int) -> float:
        return time_width() + column * self.day_width()

    def column_at(self, x: float) -> int:
        return max(0, min(6, int((x - time_width()) // self.day_width())))


class WeekGrid(QWidget):
    """Header with the days and the all-day band, then the scrolled hours."""

    occurrenceActivated = Signal(object)
    occurrenceMoved = Signal(object, object)  # the occurrence, its new naive local start
    contactsDropped = Signal(object, object)  # the occurrence, the contact ids
    occurrenceMenuRequested = Signal(object, object)  # [the occurrence], a global QPoint
    newEventAsked = Signal(object, object)  # naive local start and end of empty slots chosen
    dayChosen = Signal(object)  # ← / → went to that day (maybe in another week)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = clock.today()
        self.current_day = self.first
        self.chosen: OccurrenceKey | None = None  # None: the day's first event
        self.layout_ = WeekLayout(self.first, [])
        self.colour_of: Callable[[OccurrenceRead], QColor] = lambda _o: theme.colour(
            "status_planned"
        )
        self.text_of: Callable[[OccurrenceRead], str] = lambda o: o.title
        self.tooltip_of: Callable[[OccurrenceRead], str] = lambda o: o.title
        self.header = WeekHeader(self)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("weekScroll")
        self.scroll_area.setAccessibleName(_("Week"))
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = WeekBody(self)
        self.scroll_area.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.scroll_area, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.body)
        self.setAccessibleName(_("Week"))
        self._scroll_pending = True
        self._filled = False  # the shown week's occurrences are in
        self.fonts: dict[tuple[str, bool, bool], tuple[QFont, QFontMetrics]] = {}

    # -- filling ---------------------------------------------------------------------------

    def set_week(self, first: dt.date) -> None:
        changed = first != self.first
        self.first = first
        if self.current_day not in self.days():
            self.current_day, self.chosen = first, None
        self.layout_ = WeekLayout(first, [])
        if changed:
            self._scroll_pending = True  # once the week's occurrences are in
        self._filled = False
        self._after_fill()

    def set_occurrences(self, occurrences: Sequence[OccurrenceRead]) -> None:
        self.layout_ = WeekLayout(self.first, occurrences)
        self._filled = True
        self._after_fill()

    def _after_fill(self) -> None:
        self.header.updateGeometry()
        self.header.update()
        self.body.update()
        self._scroll_if_pending()

    def _scroll_if_pending(self) -> None:
        if self._scroll_pending and self._filled and self.isVisible():
            self.scroll_to_hour(self.opening_hour())

    def opening_hour(self) -> float:
        """Where a week opens: 8:00, unless its events would then be out of sight (evening
        meetups are the usual case); then as close to 8:00 as shows them all, or their start."""
        blocks = self.layout_.blocks
        visible = self.scroll_area.viewport().height() / HOUR_HEIGHT
        if not blocks or visible <= 0:
            return SCROLL_TO_HOUR
        first = min(b.top for b in blocks) / 60 - 0.5
        last = max(b.bottom for b in blocks) / 60 + 0.5
        if last - first > visible:
            return max(0.0, first)
        hour = min(max(float(SCROLL_TO_HOUR), last - visible), first)
        return max(0.0, min(hour, 24 - visible))

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range(7)]

    def scroll_to_hour(self, hour: float) -> None:
        self._scroll_pending = False
        self.scroll_area.verticalScrollBar().setValue(int(self.hour_y(hour)) - 4)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._scroll_if_pending()

    # -- the current day and its chosen event (the keys' page: ui/calendar/keys.py) ----------

    def chosen_day(self) -> dt.date:
        return self.current_day

    def day_items(self, day: dt.date) -> list[OccurrenceRead]:
        """The day's events in the order ↑ / ↓ go through them: the all-day band's, then
        the hours' by start."""
        column = (day - self.first).days
        band = sorted(
            (b for b in self.layout_.band if b.first <= column <= b.last), key=lambda b: b.row
        )
        blocks = sorted(
            (b for b in self.layout_.blocks if b.column == column), key=lambda b: (b.top, b.lane)
        )
        return [b.occurrence for b in band] + [b.occurrence for b in blocks]

    def chosen_occurrence(self) -> OccurrenceRead | None:
        return chosen_in(self.day_items(self.current_day), self.chosen)

    def along(self, occurrence: OccurrenceRead) -> dt.timedelta | None:
        """Alt+Up / Alt+Down: a quarter of an hour (the grid's step); not for all-day ones."""
        return None if _is_band(occurrence) else dt.timedelta(minutes=SNAP_MINUTES)

    def choose(self, day: dt.date, key: OccurrenceKey | None = None, scroll: bool = False) -> None:
        """Make `day` current with the event `key` chosen; `scroll`: into sight (a block
        reached from the keyboard)."""
        self.current_day, self.chosen = day, key
        self.header.update()
        self.body.update()
        rect = self.chosen_rect()
        if scroll and rect is not None:
            self.scroll_area.ensureVisible(int(rect.center().x()), int(rect.top()), 0, 24)

    def chosen_rect(self) -> QRectF | None:
        """Where the chosen event's block is in the body (None: none, or in the band)."""
        chosen = self.chosen_occurrence()
        return self.rect_of(chosen) if chosen is not None else None

    def step_event(self, step: int) -> None:
        """↑ / ↓ (or Ctrl+↑ / ↓): the day's previous or next event, said aloud."""
        key = step_key(self.day_items(self.current_day), self.chosen, step)
        self.choose(self.current_day, key, scroll=True)
        self.say_chosen()

    def step_day(self, step: int) -> None:
        """← / →: the day before or after, its event nearest in time to the one chosen;
        past the week's edge the owner shows the next or previous week (`dayChosen`)."""
        day = self.current_day + dt.timedelta(days=step)
        was = self.chosen_occurrence()
        items = self.day_items(day)
        key = None
        if was is not None and items:
            minutes = was.start.hour * 60 + was.start.minute
            nearest = min(items, key=lambda o: abs(o.start.hour * 60 + o.start.minute - minutes))
            key = occurrence_key(nearest)
        if day in self.days():
            self.choose(day, key, scroll=True)
        self.dayChosen.emit(day)
        self.say_chosen()

    def say_chosen(self) -> None:
        day = self.current_day
        chosen = self.chosen_occurrence()
        text = self.text_of(chosen).replace("\n", " ") if chosen is not None else ""
        announce(self.body, chosen_text(day, self.day_items(day), chosen, text))

    # -- geometry (body coordinates) -----------------------------------------------------

    def columns(self) -> _Columns:
        return _Columns(self.body.width())

    def hour_y(self, hour: float) -> float:
        return hour * HOUR_HEIGHT

    def block_rect(self, block: Block) -> QRectF:
        columns = self.columns()
        lane_width = (columns.day_width() - 6) / block.lanes
        left = columns.day_left(block.column) + 1 + block.lane * lane_width
        top = self.hour_y(block.top / 60)
        height = self.hour_y(block.bottom / 60) - top
        return QRectF(left, top + 1, lane_width * block.span - 2, height - 2)

    def block_of(self, occurrence: OccurrenceRead) -> Block | None:
        return next((b for b in self.layout_.blocks if b.occurrence == occurrence), None)

    def rect_of(self, occurrence: OccurrenceRead) -> QRectF | None:
        """Where the occurrence's block is drawn in the body, if it is a timed one."""
        block = self.block_of(occurrence)
        return self.block_rect(block) if block is not None else None

    def block_at(self, pos: QPointF | QPoint) -> Block | None:
        point = QPointF(pos)
        for block in reversed(self.layout_.blocks):  # the last painted is on top
            if self.block_rect(block).contains(point):
                return block
        return None

    def point_for(self, day: dt.date, when: dt.time) -> QPoint:
        """The body point at that day and time (tests aim drags with it)."""
        columns = self.columns()
        x = columns.day_left((day - self.first).days) + columns.day_width() / 2
        return QPoint(int(x), int(self.hour_y(when.hour + when.minute / 60)))

    def time_at(self, pos: QPointF | QPoint) -> tuple[dt.date, int]:
        """The day and minute (unsnapped) under a body point."""
        point = QPointF(pos)
        column = self.columns().column_at(point.x())
        minutes = int(point.y() / HOUR_HEIGHT * 60)
        return self.first + dt.timedelta(days=column), max(0, min(DAY_MINUTES - 1, minutes))


class WeekHeader(ContactDropTarget, QWidget):
    """Day names and dates, then the all-day band."""

    PAD = 4

    def __init__(self, grid: WeekGrid) -> None:
        super().__init__(grid)
        self.grid = grid
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self._pressed: BandItem | None = None
        self._press: QPoint | None = None
        self._target: int | None = None

    def line(self) -> int:
        return self.fontMetrics().height() + 6

    def band_top(self) -> int:
        return self.line() + self.PAD * 2

    def sizeHint(self) -> QSize:
        rows = max(1, min(BAND_ROWS, self.grid.layout_.band_rows))
        extra = 1 if self.grid.layout_.band_rows > BAND_ROWS else 0
        return QSize(400, self.band_top() + (rows + extra) * self.line() + self.PAD)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def columns(self) -> _Columns:
        return self.grid.columns()

    def item_rect(self, item: BandItem) -> QRectF:
        columns = self.columns()
        left = columns.day_left(item.first) + 2
        right = columns.day_left(item.last + 1) - 2
        top = self.band_top() + item.row * self.line()
        return QRectF(left, top, right - left, self.line() - 2)

    def item_at(self, pos: QPoint) -> BandItem | None:
        for item in self.grid.layout_.band:
            if item.row < BAND_ROWS and self.item_rect(item).contains(QPointF(pos)):
                return item
        return None

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        palette = self.palette()
        columns = self.columns()
        today = clock.today()
        line = self.line()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        grid_pen = QPen(palette.color(QPalette.ColorRole.Mid))
        locale = app_locale()
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        for column, day in enumerate(self.grid.days()):
            left = columns.day_left(column)
            cell = QRectF(left, 0, columns.day_width(), self.height())
            if day == today:
                painter.fillRect(cell, theme.colour("today_tint"))
            if column == self._target:
                painter.fillRect(cell, theme.colour("drop_target"))
            name = locale.dayName(day.isoweekday(), locale.FormatType.ShortFormat)
            text = f"{name} {day.day}"
            painter.setFont(bold if day == today else font)
            painter.setPen(
                theme.colour("accent") if day == today else palette.color(QPalette.ColorRole.Text)
            )
            name_rect = QRectF(left, self.PAD, columns.day_width(), line)
            painter.drawText(name_rect, Qt.AlignmentFlag.AlignCenter, text[:1].upper() + text[1:])
            if day == self.grid.current_day:
                draw_ring(painter, name_rect.adjusted(4, 0, -4, 0))
            painter.setPen(grid_pen)
            painter.drawLine(QPointF(left, 0), QPointF(left, self.height()))
        painter.setFont(font)
        chosen = self.grid.chosen_occurrence()
        for item in self.grid.layout_.band:
            if item.row >= BAND_ROWS:
                continue
            _paint_item(painter, self.item_rect(item), item.occurrence, self.grid, font)
            if item.occurrence == chosen:
                draw_ring(painter, self.item_rect(item))
        for column in range(7):
            hidden = self.grid.layout_.band_hidden(column)
            if hidden:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(
                    QRectF(
                        columns.day_left(column) + 4,
                        self.band_top() + BAND_ROWS * line,
                        columns.day_width() - 8,
                        line,
                    ),
                    Qt.AlignmentFlag.AlignVCenter,
                    f"+{hidden}",
                )
        painter.setPen(grid_pen)
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        painter.end()

    def event(self, event: Any) -> bool:
        if event.type() == event.Type.ToolTip:
            item = self.item_at(event.pos())
            if item is not None:
                QToolTip.showText(event.globalPos(), self.grid.tooltip_of(item.occurrence), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mousePressEvent(self, event: Any) -> None:
        pos = event.position().toPoint()
        item = self.item_at(pos)
        self._pressed = item if event.button() == Qt.MouseButton.LeftButton else None
        self._press = pos
        day = self.grid.first + dt.timedelta(days=self.columns().column_at(pos.x()))
        self.grid.choose(day, occurrence_key(item.occurrence) if item is not None else None)
        self.grid.body.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:
        pos = event.position().toPoint()
        if (
            self._pressed is not None
            and self._press is not None
            and (pos - self._press).manhattanLength() >= QApplication.startDragDistance()
        ):
            self._target = self.columns().column_at(pos.x())
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: Any) -> None:
        item, target = self._pressed, self._target
        self._pressed = self._press = self._target = None
        self.update()
        if item is not None and target is not None:
            day = self.grid.first + dt.timedelta(days=target)
            start = item.occurrence.start
            if day != start.date():
                new = dt.datetime.combine(day, start.time().replace(tzinfo=None))
                self.grid.occurrenceMoved.emit(item.occurrence, new)
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: Any) -> None:
        item = self.item_at(event.position().toPoint())
        if item is not None:
            self.grid.occurrenceActivated.emit(item.occurrence)
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.item_at(event.pos()) if self._pressed is None else None
        if item is None:
            event.ignore()
            return
        self.grid.occurrenceMenuRequested.emit([item.occurrence], event.globalPos())
        event.accept()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self._pressed is not None:
            self._pressed = self._press = self._target = None
            self.update()
            return
        super().keyPressEvent(event)

    def contact_occurrence_at(self, event: Any) -> OccurrenceRead | None:
        item = self.item_at(event.position().toPoint())
        return item.occurrence if item is not None else None

    def drop_contacts(self, occurrence: OccurrenceRead, ids: list[int]) -> None:
        self.grid.contactsDropped.emit(occurrence, ids)


class WeekBody(ContactDropTarget, QWidget):
    """The 24 hours: lines, today's column, the now-line and the blocks; drags move them."""

    def __init__(self, grid: WeekGrid) -> None:
        super().__init__(grid)
        self.grid = grid
        self.setObjectName("weekBody")
        self.setAccessibleName(_("Hours of the week"))
        self.setAccessibleDescription(
            _(
                "The events of the week, hour by hour. Left, Right: the day; Up, Down: its "
                "events; Enter opens; Delete deletes; Alt+arrows move the event"
            )
        )
        self.setMinimumHeight(int(grid.hour_y(24)) + 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self._pressed: Block | None = None
        self._press: QPoint | None = None
        self._offset = 0  # minutes between the block's start and where it was grabbed
        self.ghost: tuple[dt.date, int] | None = None  # the day and snapped minute of a drag
        # Empty slots being swept for a new event: the day, first and last minute (snapped).
        self.sweep: tuple[dt.date, int, int] | None = None

    def sizeHint(self) -> QSize:
        return QSize(600, int(self.grid.hour_y(24)) + 1)

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: Any) -> None:
        grid = self.grid
        painter = QPainter(self)
        palette = self.palette()
        exposed: QRect = event.rect()
        columns = grid.columns()
        today = clock.today()
        painter.fillRect(exposed, palette.color(QPalette.ColorRole.Base))
        days = grid.days()
        if today in days:
            column = days.index(today)
            painter.fillRect(
                QRectF(columns.day_left(column), 0, columns.day_width(), self.height()),
                theme.colour("today_tint"),
            )
        mid = palette.color(QPalette.ColorRole.Mid)
        light = QColor(mid)
        light.setAlpha(90)
        locale = app_locale()
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        metrics = self.fontMetrics()
        for hour in range(24):
            y = grid.hour_y(hour)
            if y > exposed.bottom() + 1 or grid.hour_y(hour + 1) < exposed.top() - metrics.height():
                continue
            painter.setPen(QPen(mid))
            painter.drawLine(QPointF(time_width() - 6, y), QPointF(self.width(), y))
            painter.setPen(QPen(light, 1, Qt.PenStyle.DotLine))
            half = grid.hour_y(hour + 0.5)
            painter.drawLine(QPointF(time_width(), half), QPointF(self.width(), half))
            if hour:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                label = hour_label(hour, locale)
                painter.drawText(
                    QRectF(0, y - metrics.height() / 2, time_width() - 10, metrics.height()),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
        painter.setPen(QPen(mid))
        for column in range(8):
            x = columns.day_left(column)
            painter.drawLine(QPointF(x, exposed.top()), QPointF(x, exposed.bottom() + 1))
        font = QFont(self.font())
        exposed_f = QRectF(exposed)
        for block in grid.layout_.blocks:
            rect = grid.block_rect(block)
            if not rect.intersects(exposed_f):
                continue
            dimmed = self._pressed is block and self.ghost is not None
            _paint_item(painter, rect, block.occurrence, grid, font, dimmed=dimmed)
        chosen = grid.chosen_rect()
        if chosen is not None:
            draw_ring(painter, chosen)
        if self.ghost is not None and self._pressed is not None:
            self._paint_ghost(painter, font)
        if self.sweep is not None:
            self._paint_sweep(painter)
        if today in days:
            now = utc_to_local(clock.utc_now(), clock.local_zone_name())
            y = grid.hour_y(now.hour + now.minute / 60)
            left = columns.day_left(days.index(today))
            red = theme.colour("now_line")
            painter.setPen(QPen(red, 2))
            painter.drawLine(QPointF(left, y), QPointF(left + columns.day_width(), y))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setBrush(red)
            painter.drawEllipse(QPointF(left, y), 4, 4)
        painter.end()

    def _paint_ghost(self, painter: QPainter, font: QFont) -> None:
        assert self.ghost is not None and self._pressed is not None
        day, minute = self.ghost
        block = self._pressed
        columns = self.grid.columns()
        column = (day - self.grid.first).days
        length = block.bottom - block.top
        top = self.grid.hour_y(minute / 60)
        rect = QRectF(
            columns.day_left(column) + 1,
            top + 1,
            columns.day_width() - 6,
            self.grid.hour_y((minute + length) / 60) - top - 2,
        )
        painter.save()
        painter.setOpacity(0.85)
        _paint_item(painter, rect, block.occurrence, self.grid, font, outline=True)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        label = format_time(minute // 60, minute % 60)
        painter.drawText(
            rect.adjusted(4, 2, -4, -2),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
            label,
        )
        painter.restore()

    def _paint_sweep(self, painter: QPainter) -> None:
        assert self.sweep is not None
        day, first, last = self.sweep
        columns = self.grid.columns()
        top = self.grid.hour_y(first / 60)
        rect = QRectF(
            columns.day_left((day - self.grid.first).days) + 1,
            top + 1,
            columns.day_width() - 6,
            self.grid.hour_y(last / 60) - top - 2,
        )
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        fill = QColor(highlight)
        fill.setAlpha(70)
        painter.save()
        painter.setPen(QPen(highlight, 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        locale = app_locale()
        begin = format_time(first // 60, first % 60, locale)
        label = f"{begin} – {format_time(last // 60 % 24, last % 60, locale)}"
        painter.drawText(
            rect.adjusted(6, 2, -4, -2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            label,
        )
        painter.restore()

    def slots_between(self, press: QPoint, pos: QPoint) -> tuple[dt.date, int, int]:
        """The empty slots swept from `press` to `pos`, in the pressed day: whole quarters
        of an hour covering both points, half an hour at least."""
        day, one = self.grid.time_at(press)
        _day, other = self.grid.time_at(pos)
        first = min(one, other) // SNAP_MINUTES * SNAP_MINUTES
        last = -(-(max(one, other) + 1) // SNAP_MINUTES) * SNAP_MINUTES
        last = min(DAY_MINUTES, max(last, first + MIN_MINUTES))
        return day, min(first, last - MIN_MINUTES), last

    def _ask_new_event(self, day: dt.date, first: int, last: int) -> None:
        start = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=first)
        self.grid.newEventAsked.emit(start, start + dt.timedelta(minutes=last - first))

    # -- mouse -----------------------------------------------------------------------------

    def event(self, event: Any) -> bool:
        if event.type() == event.Type.ToolTip:
            block = self.grid.block_at(event.pos())
            if block is not None:
                QToolTip.showText(event.globalPos(), self.grid.tooltip_of(block.occurrence), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mousePressEvent(self, event: Any) -> None:
        pos = event.position().toPoint()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        block = self.grid.block_at(pos)
        day, minute = self.grid.time_at(pos)
        self.grid.choose(day, occurrence_key(block.occurrence) if block is not None else None)
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = block
            self._press = pos
            if block is not None:
                self._offset = minute - block.top
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:
        pos = event.position().toPoint()
        dragged = self._press is not None and (
            self.ghost is not None
            or self.sweep is not None
            or (pos - self._press).manhattanLength() >= QApplication.startDragDistance()
        )
        if dragged and self._pressed is not None:
            self.ghost = self._snapped(pos)
            self.grid.scroll_area.ensureVisible(pos.x(), pos.y(), 0, 24)
            self.update()
            return
        if dragged and self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.sweep = self.slots_between(self._press, pos)  # empty slots: a new event
            self.grid.scroll_area.ensureVisible(pos.x(), pos.y(), 0, 24)
            self.update()
            return
        super().mouseMoveEvent(event)

    def _snapped(self, pos: QPoint) -> tuple[dt.date, int]:
        assert self._pressed is not None
        day, minute = self.grid.time_at(pos)
        length = self._pressed.bottom - self._pressed.top
        start = round((minute - self._offset) / SNAP_MINUTES) * SNAP_MINUTES
        start = max(0, min(DAY_MINUTES - max(length, SNAP_MINUTES), start))
        return day, start

    def mouseReleaseEvent(self, event: Any) -> None:
        block, ghost, sweep = self._pressed, self.ghost, self.sweep
        self._cancel()
        if sweep is not None:
            self._ask_new_event(*sweep)
        if block is not None and ghost is not None:
            day, minute = ghost
            new = dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
            old = block.occurrence.start.replace(tzinfo=None)
            if new != old:
                self.grid.occurrenceMoved.emit(block.occurrence, new)
        super().mouseReleaseEvent(event)

    def _cancel(self) -> None:
        self._pressed = self._press = None
        self.ghost = self.sweep = None
        self.update()

    def keyPressEvent(self, event: Any) -> None:
        """Escape cancels a drag; ← / → move the day, ↑ / ↓ go through its events (the
        hours scroll instead on a day without any)."""
        if event.key() == Qt.Key.Key_Escape and (self.ghost is not None or self.sweep is not None):
            self._cancel()
            return
        grid = self.grid
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain == Qt.KeyboardModifier.NoModifier:
            key = event.key()
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
                grid.step_day(-1 if key == Qt.Key.Key_Left else 1)
                return
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and grid.day_items(grid.current_day):
                grid.step_event(-1 if key == Qt.Key.Key_Up else 1)
                return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: Any) -> None:
        pos = event.position().toPoint()
        block = self.grid.block_at(pos)
        if block is not None:
            self.grid.occurrenceActivated.emit(block.occurrence)
            return
        if event.button() == Qt.MouseButton.LeftButton and pos.x() >= time_width():
            # An empty slot: a new event from its half hour, for an hour.
            day, minute = self.grid.time_at(pos)
            first = min(minute // 30 * 30, DAY_MINUTES - NEW_EVENT_MINUTES)
            self._cancel()
            self._ask_new_event(day, first, first + NEW_EVENT_MINUTES)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click on a block: its menu (not in the middle of a drag)."""
        block = self.grid.block_at(event.pos()) if self.ghost is None else None
        if block is None:
            event.ignore()
            return
        self.grid.occurrenceMenuRequested.emit([block.occurrence], event.globalPos())
        event.accept()

    # -- contacts dropped on a block --------------------------------------------------------

    def contact_occurrence_at(self, event: Any) -> OccurrenceRead | None:
        block = self.grid.block_at(event.position())
        return block.occurrence if block is not None else None

    def drop_contacts(self, occurrence: OccurrenceRead, ids: list[int]) -> None:
        self.grid.contactsDropped.emit(occurrence, ids)


# -- painting helpers -----------------------------------------------------------------------


def _item_font(
    grid: WeekGrid, font: QFont, struck: bool, italic: bool
) -> tuple[QFont, QFontMetrics]:
    """Fonts are built once per look, not once per block painted."""
    key = (font.key(), struck, italic)
    found = grid.fonts.get(key)
    if found is None:
        item_font = QFont(font)
        item_font.setStrikeOut(struck)
        item_font.setItalic(italic)
        found = grid.fonts[key] = (item_font, QFontMetrics(item_font))
    return found


def _paint_item(
    painter: QPainter,
    rect: QRectF,
    occurrence: OccurrenceRead,
    grid: WeekGrid,
    font: QFont,
    dimmed: bool = False,
    outline: bool = False,
) -> None:
    """A coloured block with its time and title (struck through when cancelled); a block too
    narrow for text (many side by side) is only a coloured strip."""
    cancelled = occurrence.status == "cancelled"
    background = theme.colour("cancelled_fill") if cancelled else grid.colour_of(occurrence)
    edge = theme.edge(background)
    inner = rect.adjusted(6, 1, -3, -1)
    if dimmed or outline:
        painter.save()
        painter.setOpacity(0.35 if dimmed else 0.9)
    if rect.width() >= 24:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(edge, 2, Qt.PenStyle.DashLine) if outline else QPen(edge, 1)
        painter.setPen(pen)
        painter.setBrush(background)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    else:
        painter.fillRect(rect, background)
    painter.fillRect(QRectF(rect.left(), rect.top(), 3, rect.height()), edge)
    if inner.width() >= 12:
        item_font, metrics = _item_font(grid, font, cancelled, occurrence.status == "idea")
        painter.setFont(item_font)
        painter.setPen(theme.colour("cancelled_text" if cancelled else "block_text"))
        text = grid.text_of(occurrence)
        if inner.height() >= 2 * metrics.height() and not occurrence.all_day:
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
            painter.save()
            painter.setClipRect(inner)
            painter.drawText(inner, int(flags | Qt.TextFlag.TextWordWrap), text)
            painter.restore()
        else:
            elided = metrics.elidedText(
                text.replace("\n", " "), Qt.TextElideMode.ElideRight, int(inner.width())
            )
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            painter.drawText(inner, align, elided)
    if dimmed or outline:
        painter.restore()
