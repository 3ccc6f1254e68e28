"""The month: a grid of days, each listing its occurrences ("+N more" past the room), with
drag and drop, the day's ring and what a screen reader is told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QDrag,
    QFont,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from cmplanner import clock
from cmplanner.i18n import _, ngettext
from cmplanner.services.event_dates import OccurrenceRead
from ui.calendar.keys import (
    OccurrenceKey,
    chosen_in,
    chosen_text,
    day_text,
    draw_ring,
    occurrence_key,
    step_key,
)
from ui.calendar.look import (
    CANCELLED,
    IDEA,
    OCCURRENCE_MIME,
    CalendarLook,
    DateRole,
    Index,
    OccurrencesRole,
    month_start_grid,
    occurrence_text,
)
from ui.contacts.drop import ContactDropTarget
from ui.kit import theme
from ui.kit.announce import announce
from ui.kit.display import app_locale
from ui.kit.models import CONTACT_IDS_MIME, decode_ids

MIN_LINES = 4  # occurrence lines a day cell asks room for


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
        self.setObjectName("calendarMonth")
        self.setAccessibleName(_("Month"))
        self.setAccessibleDescription(
            _(
                "The days of the month and their events. Arrows: the day; Ctrl+Up, Ctrl+Down: "
                "its events; Enter opens; Delete deletes; Alt+arrows move the event"
            )
        )
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
