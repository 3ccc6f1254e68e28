"""Models over the core's listings: ids in memory, rows fetched lazily by batches.

Like Anki's browser: a view of 100,000 contacts holds 100,000 ints and a few hundred rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from cmplanner.i18n import _
from cmplanner.services.browse import Listing, Row
from cmplanner.storage import Database
from ui.kit.display import app_locale, format_value

BATCH = 50  # a screenful and a half: the first page of a keystroke stays cheap
CACHE_ROWS = 3000
IdRole = Qt.ItemDataRole.UserRole + 1
ValueRole = Qt.ItemDataRole.UserRole + 2

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

AnyIndex = QModelIndex | QPersistentModelIndex

# Dragged contacts carry their ids, in selection order, as a JSON list.
CONTACT_IDS_MIME = "application/x-cmplanner-contact-ids"


def encode_ids(ids: Sequence[int], mime_type: str = CONTACT_IDS_MIME) -> QMimeData:
    mime = QMimeData()
    mime.setData(mime_type, QByteArray(json.dumps([int(i) for i in ids]).encode()))
    return mime


def decode_ids(mime: QMimeData | None, mime_type: str = CONTACT_IDS_MIME) -> list[int]:
    if mime is None or not mime.hasFormat(mime_type):
        return []
    try:
        values = json.loads(bytes(mime.data(mime_type).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [int(v) for v in values if isinstance(v, int)] if isinstance(values, list) else []


class ListingModel(QAbstractTableModel):
    """A read-only table over one `Listing`: holds ids, caches the rows it has shown."""

    def __init__(
        self,
        listing: Listing,
        db: Database | None = None,
        parent: Any = None,
        mime_type: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.listing = listing
        self.mime_type = mime_type  # rows can be dragged out as their ids when set
        self.db = db
        self._ids: list[int] = []
        self._cache: OrderedDict[int, Row] = OrderedDict()
        self._locale = app_locale()
        self.fetches = 0  # how many row queries ran (tests check laziness)

    # -- content ---------------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.set_ids([])

    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._cache.clear()
        self._locale = app_locale()
        self.endResetModel()

    def ids(self) -> list[int]:
        return list(self._ids)

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_values(self, row: int) -> Row | None:
        if not 0 <= row < len(self._ids):
            return None
        rid = self._ids[row]
        values = self._cache.get(rid)
        if values is None:
            self._fetch_around(row)
            values = self._cache.get(rid)
        else:
            self._cache.move_to_end(rid)
        return values

    def _fetch_around(self, row: int) -> None:
        """Fetch the uncached rows near `row` (mostly below it: views scroll down)."""
        if self.db is None:
            return
        start = max(0, row - BATCH // 4)
        wanted = [rid for rid in self._ids[start : start + BATCH] if rid not in self._cache]
        fetched = self.listing.rows(self.db, wanted)
        self.fetches += 1
        for rid in wanted:
            # A row deleted since the ids were read shows empty until the next refresh.
            self._cache[rid] = fetched.get(rid, (None,) * len(self.listing.columns))
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.listing.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        column = self.listing.columns[index.column()]
        if role == IdRole:
            return self._ids[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ValueRole):
            values = self.row_values(index.row())
            if values is None:
                return None
            value = values[index.column()]
            if role == ValueRole:
                return value
            text = format_value(value, column.kind, self._locale)
            if role == Qt.ItemDataRole.ToolTipRole:
                # Long texts are elided in the cell; the tooltip shows them whole.
                return text if column.kind == "text" and len(text) > 30 else None
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind == "int":
                return _RIGHT
            if column.kind == "bool":
                return _CENTER
            return _LEFT
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.listing.columns):
            return None
        column = self.listing.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(column.title)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.kind == "int" else _LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.mime_type:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [self.mime_type] if self.mime_type else []

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        if not self.mime_type:
            return super().mimeData(indexes)
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_ids([self._ids[r] for r in rows if r < len(self._ids)], self.mime_type)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def is_sortable(self, section: int) -> bool:
        return self.listing.columns[section].key in self.listing.sort


class BackupListModel(QAbstractTableModel):
    """The backups of a database, newest first (a few dozen at most)."""

    def __init__(self, backups: Sequence[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.backups = list(backups)
        self._headers = (_("Date"), _("Reason"), _("Size"))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.backups):
            return None
        backup = self.backups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                created: dt.datetime = backup.created
                return format_value(created, "datetime")
            if index.column() == 1:
                return backup_reason_label(backup.reason)
            return app_locale().formattedDataSize(backup.size)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return _RIGHT
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 3
        ):
            return self._headers[section]
        return None


def backup_reason_label(reason: str) -> str:
    labels = {
        "manual": _("Manual"),
        "scheduled": _("Scheduled"),
        "on-close": _("On close"),
        "before-migration": _("Before upgrade"),
        "before-restore": _("Before restore"),
        "before-import": _("Before import"),
        "before-merge": _("Before merge"),
        "before-delete": _("Before delete"),
    }
    return labels.get(reason, reason)


@dataclass(frozen=True)
class DropTarget:
    kind: str  # "community" | "tag"
    id: int
    name: str


class DropTargetModel(QAbstractListModel):
    """Communities or tags that contacts can be dropped on; `dropped` says who went where."""

    dropped = Signal(object, list)  # (DropTarget, contact ids)

    def __init__(self, parent: Any = None, mime_type: str = CONTACT_IDS_MIME) -> None:
        super().__init__(parent)
        self.mime_type = mime_type
        self.targets: list[DropTarget] = []

    def set_targets(self, targets: Sequence[DropTarget]) -> None:
        self.beginResetModel()
        self.targets = list(targets)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.targets)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.targets):
            return None
        target = self.targets[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return target.name
        if role == Qt.ItemDataRole.ToolTipRole:
            if target.kind == "community":
                return _("Drop contacts here to add them to {name}").format(name=target.name)
            return _("Drop contacts here to tag them “{name}”").format(name=target.name)
        if role == IdRole:
            return target.id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        )

    def mimeTypes(self) -> list[str]:
        return [self.mime_type]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        # Only onto a community or tag, never between them.
        return parent.isValid() and bool(decode_ids(data, self.mime_type))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        self.dropped.emit(self.targets[parent.row()], decode_ids(data, self.mime_type))
        return True


class ColumnsTableModel(QAbstractTableModel):
    """A table whose columns are titled by `COLUMNS` (msgids, translated where shown)."""

    COLUMNS: tuple[str, ...] = ()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return _(self.COLUMNS[section])
        return None


class TableModel(QAbstractTableModel):
    """A small read-only table over plain records; `columns` are (title msgid, getter)."""

    def __init__(self, columns: Sequence[tuple[str, Any]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self.records[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.records):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self.columns[index.column()][1](self.records[index.row()])
            return "" if value is None else str(value)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return _(self.columns[section][0])
        return None


class RecordListModel(QAbstractListModel):
    """A read-only list over plain records: `text` gives a row's line, `tooltip` its tooltip
    (or None), `ident` what the user role holds (an id)."""

    def __init__(
        self,
        text: Callable[[Any], str],
        tooltip: Callable[[Any], str | None] = lambda _record: None,
        ident: Callable[[Any], Any] = lambda _record: None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.text, self.tooltip, self.ident = text, tooltip, ident
        self.records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        record = self.records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(record)
        if role == Qt.ItemDataRole.UserRole:
            return self.ident(record)
        return None
