"""Contacts in and out of files: the export dialog and the import wizard.

The wizard: choose a file → for a CSV of no known program, the field each column holds →
preview of the first rows with their warnings → likely duplicates, each merged, skipped or
created → the import, in the background, with progress → a summary.
Parsing, planning and writing all run on the database worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from cmplanner.i18n import N_, _, labelled, ngettext
from cmplanner.interop.contacts import export as contacts_export
from cmplanner.interop.contacts.plan import plan_import
from cmplanner.interop.contacts.write import apply_import
from cmplanner.services import preferences
from cmplanner.services.contact_data import ContactData, OrganizationData
from cmplanner.storage import Database
from ui.contacts.import_columns import ColumnSample, ColumnsPage, parse_with_sample
from ui.kit import accessible, errors, file_dialogs, theme
from ui.kit.forms import error_label
from ui.kit.jobs import run_in_background
from ui.kit.models import AnyIndex, ColumnsTableModel
from ui.kit.sizing import resize_within_screen, scaled
from ui.kit.unsaved import UnsavedChangesGuard

PREVIEW_ROWS = 200
IMPORT_FILTER = N_(
    "Contacts (*.vcf *.vcard *.csv);;vCard (*.vcf *.vcard);;CSV (*.csv);;All files (*)"
)
FORMAT_CHOICES = (
    ("auto", N_("Detect automatically")),
    ("vcard", N_("vCard (2.1, 3.0, 4.0)")),
    ("google", N_("Google Contacts CSV")),
    ("outlook", N_("Outlook CSV")),
    ("csv", N_("Other CSV")),
)
FORMAT_NAMES = {
    "vcard": N_("vCard"),
    "google": N_("Google Contacts CSV"),
    "outlook": N_("Outlook CSV"),
    "csv": N_("CSV"),
}
EXPORT_FORMATS = (
    ("vcard4", N_("vCard 4.0"), "vcf"),
    ("vcard3", N_("vCard 3.0 (older phones and address books)"), "vcf"),
    ("csv", N_("CSV for a spreadsheet (Excel, LibreOffice)"), "csv"),
    ("csv_google", N_("CSV for Google Contacts"), "csv"),
    ("csv_outlook", N_("CSV for Outlook"), "csv"),
)
# Format key → CSV dialect (cmplanner.interop.contacts.export.DIALECTS).
CSV_DIALECTS = {"csv": "spreadsheet", "csv_google": "google", "csv_outlook": "outlook"}


def _table(parent: QWidget, model: QAbstractTableModel) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


# --- export -----------------------------------------------------------------------------------


def write_export(
    db: Database,
    ids: Sequence[int] | None,
    path: Path,
    fmt: str,
    organizations: bool = False,
) -> int:
    """Write contacts (all when `ids` is None) in `fmt`, a vCard with organization cards too
    when asked (all of them with all contacts, else the contacts' own); returns how many
    contacts (on the worker)."""
    if fmt in ("vcard4", "vcard3"):
        orgs = contacts_export.organization_ids(db, ids) if organizations else []
        version = "4.0" if fmt == "vcard4" else "3.0"
        return contacts_export.export_vcard(db, ids, path, version, orgs)
    return contacts_export.export_csv(db, ids, path, dialect=CSV_DIALECTS[fmt])


class ExportDialog(QDialog):
    """Which contacts (all, shown, selected), in which format, to which file."""

    def __init__(
        self,
        total: int,
        shown: Sequence[int] | None,
        selected: Sequence[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Export contacts"))
        self.shown, self.selected = shown, list(selected)
        self.all = QRadioButton(
            ngettext("All contacts ({n})", "All {n} contacts", total).format(n=total), self
        )
        self.only_shown = QRadioButton(self)
        self.only_selected = QRadioButton(self)
        self.all.setChecked(True)
        if shown is not None:
            self.only_shown.setText(
                ngettext(
                    "The contact the search and filters show",
                    "The {n} contacts the search and filters show",
                    len(shown),
                ).format(n=len(shown))
            )
        self.only_shown.setVisible(shown is not None)
        self.only_selected.setText(
            ngettext(
                "The selected contact", "The {n} selected contacts", len(self.selected)
            ).format(n=len(self.selected))
        )
        self.only_selected.setVisible(bool(self.selected))
        if self.selected:
            self.only_selected.setChecked(True)
        self.format = QComboBox(self)
        for key, text, _ext in EXPORT_FORMATS:
            self.format.addItem(_(text), key)
        form = QFormLayout()
        which = QVBoxLayout()
        for button in (self.all, self.only_shown, self.only_selected):
            which.addWidget(button)
        form.addRow(_("Contacts:"), which)
        form.addRow(_("Format:"), self.format)
        self.organizations = QCheckBox(_("With the &organizations, as organization cards"), self)
        self.organizations.setToolTip(
            _(
                "Every organization when all contacts are exported, else the ones these"
                " contacts belong to. A vCard file only."
            )
        )
        self.organizations.setChecked(True)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()
        form.addRow("", self.organizations)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Export…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def ids(self) -> list[int] | None:
        if self.only_selected.isChecked():
            return self.selected
        if self.only_shown.isChecked() and self.shown is not None:
            return list(self.shown)
        return None

    def format_key(self) -> str:
        return str(self.format.currentData())

    def _format_changed(self, *_args: Any) -> None:
        self.organizations.setEnabled(self.format_key().startswith("vcard"))

    def with_organizations(self) -> bool:
        return self.organizations.isEnabled() and self.organizations.isChecked()


def export_contacts(
    parent: QWidget,
    db: Database,
    selected: Sequence[int] = (),
    shown: Sequence[int] | None = None,
    total: int | None = None,
) -> None:
    """Ask what and where, then export in the background."""
    dialog = ExportDialog(total if total is not None else 0, shown, selected, parent)
    if total is None:
        dialog.all.setText(_("All contacts"))
    if not dialog.exec():
        return
    fmt = dialog.format_key()
    extension = next(ext for key, _text, ext in EXPORT_FORMATS if key == fmt)
    name = file_dialogs.save_file_name(
        parent,
        _("Export contacts"),
        str(Path.home() / (_("contacts") + f".{extension}")),
        f"{extension.upper()} (*.{extension})",
    )
    if not name:
        return
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(f".{extension}")

    def done(n: int) -> None:
        window = parent.window()
        text = ngettext(
            "Exported {n} contact to {path}", "Exported {n} contacts to {path}", n
        ).format(n=n, path=path)
        if hasattr(window, "show_message"):
            window.show_message(text)

    run_in_background(
        write_export,
        db,
        dialog.ids(),
        path,
        fmt,
        dialog.with_organizations(),
        on_success=done,
        label=_("Exporting…"),
    )


# --- import: models ---------------------------------------------------------------------------


def _first(values: Sequence[Any]) -> str:
    return str(values[0].value) if values else ""


class PreviewModel(ColumnsTableModel):
    """The first items of a parsed file, with their warnings and problems."""

    COLUMNS = (N_("#"), N_("Name"), N_("E-mail"), N_("Phone"), N_("Organization"), N_("Notes"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []

    def set_items(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def cell(self, item: Any, column: int) -> str:
        data = item.data
        if column == 0:
            return str(item.number)
        if column == 1:
            name = item.name or _("(no name)")
            if isinstance(data, OrganizationData):
                return _("{name} (organization)").format(name=name)
            return name
        if isinstance(data, ContactData):
            if column == 2:
                return _first(data.emails)
            if column == 3:
                return _first(data.phones)
            if column == 4:
                return data.affiliations[0].organization if data.affiliations else ""
        elif isinstance(data, OrganizationData) and column in (2, 3):
            return data.email if column == 2 else data.phone
        if column == 5:
            return "; ".join([item.problem_text()] * bool(item.problems) + list(item.warnings))
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        item = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(item, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            if not item.valid:
                return theme.brush("danger_text")
            return theme.brush("warning_text") if index.column() == 5 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


DECISIONS = (("merge", N_("Merge")), ("create", N_("Create")), ("skip", N_("Skip")))


class DecisionsModel(ColumnsTableModel):
    """Items with likely duplicates in the book; the last column (merge/create/skip) is
    editable. `rows` index into the full list of plans."""

    COLUMNS = (N_("In the file"), N_("Already in the book"), N_("Why"), N_("Do"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.plans: list[Any] = []
        self.rows: list[int] = []
        self.decisions: list[Any] = []  # one per plan

    def set_plans(self, plans: Sequence[Any]) -> None:
        self.beginResetModel()
        self.plans = list(plans)
        self.decisions = [p.decision for p in self.plans]
        self.rows = [n for n, p in enumerate(self.plans) if p.matches and p.item.valid]
        self.endResetModel()

    def decision_key(self, row: int) -> str:
        decision = self.decisions[self.rows[row]]
        return "merge" if isinstance(decision, tuple) else str(decision)

    def set_decision(self, row: int, key: str) -> None:
        plan = self.plans[self.rows[row]]
        self.decisions[self.rows[row]] = (
            ("merge", plan.matches[0].record_id) if key == "merge" else key
        )
        index = self.index(row, 3)
        self.dataChanged.emit(index, index)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        plan = self.plans[self.rows[index.row()]]
        match = plan.matches[0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return f"{plan.item.name} ({plan.item.where()})"
            if column == 1:
                more = len(plan.matches) - 1
                return match.name + (_(" (and {n} more)").format(n=more) if more > 0 else "")
            if column == 2:
                return _(match.reason)
            key = self.decision_key(index.row())
            return next(_(text) for k, text in DECISIONS if k == key)
        if role == Qt.ItemDataRole.EditRole and index.column() == 3:
            return self.decision_key(index.row())
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 3 or role != Qt.ItemDataRole.EditRole:
            return False
        if value not in {k for k, _text in DECISIONS}:
            return False
        self.set_decision(index.row(), str(value))
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == 3 else flags


class DecisionDelegate(QStyledItemDelegate):
    """A combo (Merge / Create / Skip) for the decision column."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> QWidget:
        combo = QComboBox(parent)
        for key, text in DECISIONS:
            combo.addItem(_(text), key)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# --- import: pages ----------------------------------------------------------------------------


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(_("Choose a file"))
        self.setSubTitle(
            _(
                "vCard files from phones, Apple Contacts or Thunderbird; CSV from Google "
                "Contacts, Outlook or a spreadsheet."
            )
        )
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(_("A .vcf or .csv file"))
        accessible.name(self.path, _("File"), self.path.placeholderText())
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())
        browse = QPushButton(_("Browse…"), self)
        browse.clicked.connect(self.browse)
        self.format = QComboBox(self)
        for key, text in FORMAT_CHOICES:
            self.format.addItem(_(text), key)
        self.merge = QCheckBox(_("&Merge a card into the same contact of the book"), self)
        self.merge.setObjectName("mergeSame")
        self.merge.setChecked(True)
        self.merge.setToolTip(
            _(
                "The same contact: the same card (UID), or the same e-mail and a compatible"
                " name. A shared phone number, a generic address (contact@…) or the same name"
                " is only shown as a likely duplicate. Unticked, everyone is created."
            )
        )
        self.error = error_label(self, hidden=False)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(_("File:"), row)
        form.addRow(_("Format:"), self.format)
        form.addRow("", self.merge)
        form.addRow("", self.error)
        self._parsed_for: tuple[str, str] | None = None

    def browse(self) -> None:
        name = file_dialogs.open_file_name(
            self, _("Import contacts"), str(Path.home()), _(IMPORT_FILTER)
        )
        if name:
            self.path.setText(name)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        key = (self.path.text().strip(), str(self.format.currentData()))
        if self._parsed_for == key and (self.wiz.parsed is not None or self.wiz.sample is not None):
            return True
        self.error.clear()
        self.wiz.parse(Path(key[0]), key[1], lambda: self._parsed(key))
        return False

    def _parsed(self, key: tuple[str, str]) -> None:
        self._parsed_for = key
        QTimer.singleShot(0, self.wiz.next)


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(_("Preview"))
        self.model = PreviewModel(self)
        self.table = _table(self, self.model)
        accessible.name(self.table, _("Preview"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((36, 150, 180, 125, 120)):
            self.table.setColumnWidth(column, scaled(width))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.skip_invalid = QCheckBox(_("Skip invalid entries and import the rest"), self)
        self.skip_invalid.setObjectName("skipInvalid")
        self.skip_invalid.toggled.connect(lambda _on: self.completeChanged.emit())
        self.refusal = QLabel(self)
        self.refusal.setObjectName("fieldError")
        self.refusal.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.skip_invalid)
        layout.addWidget(self.refusal)
        self._planned = False

    def initializePage(self) -> None:
        parsed = self.wiz.parsed
        assert parsed is not None
        items = parsed.items
        self.model.set_items(items[:PREVIEW_ROWS])
        invalid = [i for i in items if not i.valid]
        warned = [i for i in items if i.warnings]
        self.setSubTitle(
            _("{path} — read as {format}.").format(
                path=self.wiz.path.name, format=_(FORMAT_NAMES.get(parsed.format, parsed.format))
            )
        )
        parts = [ngettext("{n} entry read", "{n} entries read", len(items)).format(n=len(items))]
        if warned:
            parts.append(
                ngettext("{n} with a warning", "{n} with warnings", len(warned)).format(
                    n=len(warned)
                )
            )
        if invalid:
            parts.append(
                ngettext("{n} cannot be imported", "{n} cannot be imported", len(invalid)).format(
                    n=len(invalid)
                )
            )
        text = ", ".join(parts) + "."
        if len(items) > PREVIEW_ROWS:
            text += " " + _("The first {n} are shown.").format(n=PREVIEW_ROWS)
        self.summary.setText(text)
        self.skip_invalid.setVisible(bool(invalid))
        self._planned = False
        self.completeChanged.emit()

    def invalid_count(self) -> int:
        parsed = self.wiz.parsed
        return sum(not i.valid for i in parsed.items) if parsed else 0

    def isComplete(self) -> bool:
        refused = self.invalid_count() > 0 and not self.skip_invalid.isChecked()
        self.refusal.setText(
            _(
                "Entries marked in red cannot be imported. Fix the file, or tick the box to "
                "import the rest."
            )
            if refused
            else ""
        )
        parsed = self.wiz.parsed
        return bool(parsed and parsed.items) and not refused

    def validatePage(self) -> bool:
        if self._planned:
            return True
        self.wiz.plan(self._plan_done)
        return False

    def _plan_done(self) -> None:
        self._planned = True
        QTimer.singleShot(0, self.wiz.next)


class DuplicatesPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(_("Likely duplicates"))
        self.setSubTitle(
            _(
                "These entries look like people already in your book. Merge adds what is new to "
                "the existing card; Create adds a separate contact; Skip leaves them out."
            )
        )
        self.model = DecisionsModel(self)
        self.table = _table(self, self.model)
        accessible.name(self.table, _("Likely duplicates"))
        self.table.setItemDelegateForColumn(3, DecisionDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)  # the reason
        header.setStretchLastSection(False)
        self.table.setColumnWidth(3, scaled(110))
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(_("For the selected rows:"), self))
        for key, text in DECISIONS:
            button = QPushButton(_(text), self)
            button.clicked.connect(lambda _c=False, k=key: self.decide_selected(k))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.none = QLabel(
            _("No entry of this file looks like someone already in your book."), self
        )
        self.none.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.none)

    def initializePage(self) -> None:
        self.model.set_plans(self.wiz.plans)
        if self.model.rowCount() <= 300:  # a combo per row shows that each can be changed
            for row in range(self.model.rowCount()):
                self.table.openPersistentEditor(self.model.index(row, 3))
        has_rows = self.model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.none.setVisible(not has_rows)

    def decide_selected(self, key: str) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        for row in rows or range(self.model.rowCount()):
            self.model.set_decision(row, key)


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(_("Importing"))
        self.setSubTitle(_("A backup is made first; the import is all or nothing."))
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addStretch(2)
        self.finished = False

    def initializePage(self) -> None:
        self.finished = False
        self.bar.setRange(0, 0)
        self.status.setText(_("Preparing…"))
        self.wiz.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.wiz.start_import(self.show_progress, self._done, self._failed)

    def show_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.status.setText(
            ngettext(
                "{done} of {total} entry written", "{done} of {total} entries written", total
            ).format(done=done, total=total)
        )

    def _done(self) -> None:
        self.finished = True
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.completeChanged.emit()
        QTimer.singleShot(0, self.wiz.next)

    def _failed(self, exc: BaseException) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.setText(_("Nothing was imported.") + "\n" + str(exc))
        self.status.setObjectName("fieldError")
        self.status.style().polish(self.status)
        self.wiz.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def isComplete(self) -> bool:
        return self.finished


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(_("Done"))
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        report = self.wiz.report
        assert report is not None
        lines = [report.summary(), ""]
        if report.warnings:
            lines.append(
                ngettext("{n} warning:", "{n} warnings:", len(report.warnings)).format(
                    n=len(report.warnings)
                )
            )
            lines += ["  " + labelled(where, what) for where, what in report.warnings[:10]]
        if report.backup:
            lines.append(
                _("The book as it was before is saved in {path}.").format(path=report.backup)
            )
        self.text.setText("\n".join(lines))


class ImportWizard(UnsavedChangesGuard, QWizard):
    """Import contacts from a vCard or CSV file, all or nothing."""

    can_save = False  # leaving before the import asks; there is nothing to save

    FILE, COLUMNS, PREVIEW, DUPLICATES, IMPORT, SUMMARY = range(6)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(_("Import contacts"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.db = db
        self.path = Path()
        self.parsed: Any = None
        self.sample: ColumnSample | None = None  # a generic CSV's columns, for their mapping
        self.plans: list[Any] = []
        self.report: Any = None
        self.busy = False
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.preview_page = PreviewPage(self)
        self.duplicates_page = DuplicatesPage(self)
        self.import_page = ImportPage(self)
        self.summary_page = SummaryPage(self)
        for page_id, page in enumerate(
            (
                self.file_page,
                self.columns_page,
                self.preview_page,
                self.duplicates_page,
                self.import_page,
                self.summary_page,
            )
        ):
            self.setPage(page_id, page)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        resize_within_screen(self, scaled(820), scaled(560))  # the subtitles on two lines

    def edit_state(self) -> tuple[str, str]:
        """The file and the format chosen (what closing would lose)."""
        page = self.file_page
        return page.path.text().strip(), str(page.format.currentData())

    def has_unsaved_changes(self) -> bool:
        return self.report is None and super().has_unsaved_changes()  # imported: nothing lost

    def nextId(self) -> int:
        if self.currentId() == self.FILE:
            # Google, Outlook and vCard files say what each field is; other CSVs are asked.
            return self.COLUMNS if self.sample is not None else self.PREVIEW
        if self.currentId() == self.PREVIEW and not any(
            p.matches and p.item.valid for p in self.plans
        ):
            return self.IMPORT  # nothing to decide
        return super().nextId()

    def _run(
        self,
        fn: Any,
        *args: Any,
        done: Any,
        failed: Any = None,
        label: str = "",
        must_finish: bool = False,
        on_progress: Any = None,
    ) -> None:
        self.busy = True
        self.button(QWizard.WizardButton.NextButton).setEnabled(False)

        def ok(result: Any) -> None:
            self.busy = False
            done(result)

        def bad(exc: BaseException) -> None:
            self.busy = False
            self.button(QWizard.WizardButton.NextButton).setEnabled(True)
            if failed is not None:
                failed(exc)
            else:
                errors.report(exc)

        run_in_background(
            fn,
            *args,
            on_success=ok,
            on_failure=bad,
            on_progress=on_progress,
            label=label,
            must_finish=must_finish,
        )

    def parse(
        self,
        path: Path,
        fmt: str,
        then: Any,
        mapping: dict[int, str] | None = None,
        failed: Any = None,
    ) -> None:
        """Read the file (with `mapping`, a generic CSV's column → field) on the worker."""
        self.path = path
        self.parsed = None
        if mapping is None:
            self.sample = None

        def job() -> Any:
            return parse_with_sample(path, fmt, preferences.phone_region(self.db), mapping)

        def done(result: tuple[Any, ColumnSample | None]) -> None:
            parsed, sample = result
            self.parsed = parsed
            if mapping is None:
                self.sample = sample
            then()

        def refused(exc: BaseException) -> None:
            text = str(exc)
            unrecognised = _(
                "This file is neither a vCard nor a CSV file with recognisable contact columns."
            )
            if fmt == "auto" and text == unrecognised:
                text += "\n" + _(
                    "To say yourself what each column holds, choose “Other CSV” as the format."
                )
            self.file_page.error.setText(text)

        self._run(
            job,
            done=done,
            failed=failed or refused,
            label=_("Reading {name}…").format(name=path.name),
        )

    def plan(self, then: Any) -> None:
        def done(plans: list[Any]) -> None:
            self.plans = plans
            self.duplicates_page.model.set_plans([])  # filled when the page is shown
            then()

        merge = "auto" if self.file_page.merge.isChecked() else "never"
        self._run(
            plan_import,
            self.db,
            self.parsed.items,
            merge,
            done=done,
            label=_("Looking for duplicates…"),
        )

    def decisions(self) -> list[Any]:
        if self.duplicates_page.model.plans:
            return list(self.duplicates_page.model.decisions)
        return [p.decision for p in self.plans]

    def start_import(self, on_progress: Callable[[int, int], None], done: Any, failed: Any) -> None:
        items = self.parsed.items
        decisions = self.decisions()
        skip_invalid = self.preview_page.skip_invalid.isChecked()

        def finished(report: Any) -> None:
            self.report = report
            done()

        def job(progress: Callable[[int, int], None]) -> Any:
            return apply_import(self.db, items, decisions, skip_invalid, progress)

        label = _("Importing contacts…")
        self._run(
            job,
            done=finished,
            failed=failed,
            label=label,
            must_finish=True,
            on_progress=on_progress,
        )
