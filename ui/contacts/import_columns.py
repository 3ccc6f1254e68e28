"""The column-mapping step of the contacts import wizard, for a CSV that is neither a
Google nor an Outlook export: each column of the file, a few of its values, and the contact
field it goes into (guessed from its title, changeable).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from cmplanner.i18n import N_, _
from cmplanner.interop.contacts.csv_files import guess_mapping, read_table
from cmplanner.interop.contacts.items import ImportRefused, decode_text
from cmplanner.interop.contacts.parse import parse_bytes, parse_file
from ui.kit import accessible
from ui.kit.forms import error_label
from ui.kit.models import AnyIndex, ColumnsTableModel
from ui.kit.sizing import scaled

SAMPLE_VALUES = 3  # shown per column
SAMPLE_ROWS = 20  # rows looked at to find them
SAMPLE_TEXT = 65536  # characters of the file read for the samples

# The fields a column can go into, in the order the combo box offers them.
FIELD_LABELS: dict[str, str] = {
    "full_name": N_("Full name"),
    "given_name": N_("First name"),
    "middle_name": N_("Middle name"),
    "family_name": N_("Last name"),
    "nickname": N_("Nickname"),
    "name_prefix": N_("Name prefix (Dr, Me…)"),
    "name_suffix": N_("Name suffix (Jr., PhD…)"),
    "birthday": N_("Birthday"),
    "anniversary": N_("Anniversary"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "organization": N_("Organization"),
    "role": N_("Role"),
    "department": N_("Department"),
    "street": N_("Street"),
    "postal_code": N_("Postal code"),
    "city": N_("City"),
    "region": N_("Region"),
    "country": N_("Country"),
    "notes": N_("Notes"),
    "tags": N_("Tags"),
    "uid": N_("Unique ID (UID)"),
    "ignore": N_("Ignore"),
}
# A contact needs one of these to be told apart from the others.
IDENTITY_FIELDS = frozenset({"full_name", "given_name", "family_name", "nickname", "email"})


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


@dataclass(frozen=True)
class ColumnSample:
    """A CSV's column titles and the first values of each column (plain data)."""

    headers: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]  # per column, up to SAMPLE_VALUES non-empty values
    rows: int  # how many data rows were seen (0: the file has a header only)


def read_sample(data: bytes) -> ColumnSample:
    """The column titles and a few values of each column (on the worker)."""
    text = decode_text(data)
    head = text[:SAMPLE_TEXT]
    if len(text) > SAMPLE_TEXT and "\n" in head:
        head = head[: head.rindex("\n") + 1]
    try:
        table = read_table(head)
    except ImportRefused:  # a quoted cell cut in two: read it all
        table = read_table(text)
    values: list[list[str]] = [[] for _h in table.headers]
    for _line, cells in table.rows[:SAMPLE_ROWS]:
        for column, cell in enumerate(cells[: len(values)]):
            cell = " ".join(cell.split())
            if cell and len(values[column]) < SAMPLE_VALUES:
                values[column].append(cell)
    return ColumnSample(tuple(table.headers), tuple(tuple(v) for v in values), len(table.rows))


class ColumnsModel(ColumnsTableModel):
    """One row per column of the file; the last column (the field) is editable."""

    COLUMNS = (N_("Column in the file"), N_("First values"), N_("Import as"))
    FIELD = 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sample = ColumnSample((), (), 0)
        self.fields: list[str] = []

    def set_columns(self, sample: ColumnSample, mapping: Mapping[int, str]) -> None:
        self.beginResetModel()
        self.sample = sample
        self.fields = [mapping.get(i, "ignore") for i in range(len(sample.headers))]
        self.endResetModel()

    def mapping(self) -> dict[int, str]:
        return dict(enumerate(self.fields))

    def has_identity(self) -> bool:
        return any(f in IDENTITY_FIELDS for f in self.fields)

    def header_text(self, row: int) -> str:
        return self.sample.headers[row] or _("(column {n}, no title)").format(n=row + 1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.fields):
            return None
        row, column = index.row(), index.column()
        field = self.fields[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.header_text(row)
            if column == 1:
                return (
                    "  ·  ".join(self.sample.values[row]) if row < len(self.sample.values) else ""
                )
            return field_label(field)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1 and row < len(self.sample.values):
            return "\n".join(self.sample.values[row]) or None
        if role == Qt.ItemDataRole.EditRole and column == self.FIELD:
            return field
        if role == Qt.ItemDataRole.ForegroundRole and field == "ignore" and column < self.FIELD:
            # An ignored column reads as switched off.
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != self.FIELD
            or role != Qt.ItemDataRole.EditRole
            or value not in FIELD_LABELS
        ):
            return False
        if self.fields[index.row()] != value:
            self.fields[index.row()] = str(value)
            self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.FIELD))
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == self.FIELD else flags


class FieldDelegate(QStyledItemDelegate):
    """A combo of the contact fields for the "Import as" column."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("columnField")
        column = str(index.siblingAtColumn(0).data() or "")
        accessible.name(combo, _("Import “{column}” as").format(column=column))
        for key in FIELD_LABELS:
            combo.addItem(field_label(key), key)
        combo.setMaxVisibleItems(len(FIELD_LABELS))
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        tab = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in tab
        ):
            return False  # Tab goes on to the next column's field, as in any form
        return super().eventFilter(editor, event)

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ColumnsSource(Protocol):
    """What the columns page reads from the import wizard, and asks it to do."""

    path: Path
    parsed: Any  # the file as last read (its mapping, for a generic CSV)
    sample: ColumnSample | None

    def parse(
        self,
        path: Path,
        fmt: str,
        then: Any,
        mapping: dict[int, str] | None = None,
        failed: Any = None,
    ) -> None: ...


class ColumnsPage(QWizardPage):
    """Which contact field each column of a generic CSV goes into. The wizard it is added
    to takes it as its child."""

    def __init__(self, source: ColumnsSource) -> None:
        super().__init__()
        self.wiz = source
        self.setTitle(_("Columns"))
        self.setSubTitle(
            _(
                "Choose what each column of the file holds. The choices are guessed from the "
                "column titles; columns set to “Ignore” are left out."
            )
        )
        self.model = ColumnsModel(self)
        self.model.dataChanged.connect(lambda *_a: self.completeChanged.emit())
        self.model.modelReset.connect(self.completeChanged.emit)
        self.table = QTableView(self)
        self.table.setObjectName("columnsTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(ColumnsModel.FIELD, FieldDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(QComboBox().sizeHint().height() + 6)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ColumnsModel.FIELD, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(0, scaled(190))
        self.table.setColumnWidth(ColumnsModel.FIELD, scaled(190))
        self.message = error_label(self, hidden=False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def initializePage(self) -> None:
        sample = self.wiz.sample
        assert sample is not None
        parsed = self.wiz.parsed
        if parsed is not None and parsed.mapping:
            mapping = parsed.mapping
        else:
            mapping = guess_mapping(list(sample.headers))
        self.model.set_columns(sample, mapping)
        for row in range(self.model.rowCount()):
            self.table.openPersistentEditor(self.model.index(row, ColumnsModel.FIELD))
        self.message.clear()

    def isComplete(self) -> bool:
        ok = self.model.has_identity()
        self.message.setText(
            ""
            if ok
            else _(
                "No column is imported as a name or an e-mail, so the contacts could not be "
                "told apart. Set at least one column to “{full}”, “{first}”, “{last}” or "
                "“{email}”."
            ).format(
                full=field_label("full_name"),
                first=field_label("given_name"),
                last=field_label("family_name"),
                email=field_label("email"),
            )
        )
        return ok

    def validatePage(self) -> bool:
        mapping = self.model.mapping()
        parsed = self.wiz.parsed
        if parsed is not None and parsed.mapping == mapping:
            return True
        self.message.clear()
        self.wiz.parse(self.wiz.path, "csv", self._parsed, mapping=mapping, failed=self._failed)
        return False

    def _parsed(self) -> None:
        QTimer.singleShot(0, self.wizard().next)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(str(exc))


def parse_with_sample(
    path: Path, fmt: str, region: str, mapping: Mapping[int, str] | None
) -> tuple[Any, ColumnSample | None]:
    """Parse the file; for a generic CSV also read a sample of its columns (on the worker).

    A CSV chosen as "Other CSV" whose titles match no field is still shown, every column
    set to "Ignore", so the user can map it by hand: (None, sample)."""
    try:
        data = path.read_bytes()
    except OSError:
        return parse_file(path, fmt, region, mapping), None  # its message names the error
    try:
        parsed = parse_bytes(data, fmt, region, mapping)
    except ImportRefused:
        if fmt != "csv" or mapping is not None:
            raise
        sample = _hand_mappable(data)
        if sample is None:
            raise
        return None, sample
    if parsed.format != "csv":
        return parsed, None
    return parsed, read_sample(data)


def _hand_mappable(data: bytes) -> ColumnSample | None:
    try:
        sample = read_sample(data)
    except ImportRefused:
        return None
    readable = any(sample.headers) and all(h.isprintable() for h in sample.headers)
    return sample if readable and sample.rows else None
