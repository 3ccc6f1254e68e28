"""The agenda: the coming occurrences, day by day, and the popup of one day's occurrences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import _
from cmplanner.services.event_dates import OccurrenceRead
from ui.calendar.keys import (
    OccurrenceKey,
    long_date,
    occurrence_key,
)
from ui.calendar.look import (
    CANCELLED,
    IDEA,
    CalendarLook,
    DateRole,
    Index,
    OccurrenceRole,
    time_text,
)
from ui.contacts.drop import ContactDropTarget
from ui.kit import theme
from ui.kit.display import app_locale
from ui.kit.sizing import scaled

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
                return time_text(row) or _("All day")
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
