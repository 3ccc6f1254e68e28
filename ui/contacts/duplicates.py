"""Likely duplicates, and merging two contacts (choosing which card is kept)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _, ngettext
from cmplanner.services import preferences
from cmplanner.services.browse import CONTACTS
from cmplanner.services.duplicates import find_duplicates
from cmplanner.storage import Database
from ui.contacts import commands
from ui.kit import accessible
from ui.kit.jobs import run_in_background
from ui.kit.models import TableModel

MERGE_EXPLAINED = N_(
    "Everything from both cards is kept: e-mails, phones, addresses, organizations, "
    "communities, tags, invitations and interactions. Where both cards have a name or a "
    "setting, the kept card's wins. The other card is then deleted. Edit ▸ Undo reverses "
    "the merge."
)


class MergeDialog(QDialog):
    """Which of two contacts to keep; `people` are (id, name, summary)."""

    def __init__(self, people: Sequence[tuple[int, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Merge two contacts"))
        self.people = list(people)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        question = QLabel(_("Which card should be kept?"), self)
        question.setObjectName("sectionTitle")
        layout.addWidget(question)
        for n, (_cid, name, summary) in enumerate(self.people):
            button = QRadioButton(name, self)
            button.setObjectName("mergeChoice")
            # Two cards of one person have the same name: a screen reader tells them apart
            # by what is under each (its addresses), said with it.
            button.setAccessibleDescription(summary)
            self.group.addButton(button, n)
            layout.addWidget(button)
            if summary:
                detail = QLabel(summary, self)
                detail.setObjectName("hint")
                detail.setContentsMargins(24, 0, 0, 6)
                layout.addWidget(detail)
        self.group.button(0).setChecked(True)
        explained = QLabel(_(MERGE_EXPLAINED), self)
        explained.setWordWrap(True)
        explained.setObjectName("hint")
        layout.addSpacing(6)
        layout.addWidget(explained)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Merge"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def kept(self) -> int:
        return self.people[max(0, self.group.checkedId())][0]

    def choose(self, contact_id: int) -> None:
        for n, (cid, _name, _summary) in enumerate(self.people):
            if cid == contact_id:
                self.group.button(n).setChecked(True)


@dataclass(frozen=True)
class Pair:
    first: int
    second: int
    reason: str  # msgid
    first_name: str
    second_name: str
    first_summary: str
    second_summary: str


def _name_and_summary(row: tuple[Any, ...] | None, contact_id: int) -> tuple[str, str]:
    if row is None:
        return f"#{contact_id}", ""
    values = dict(zip(CONTACTS.column_keys(), row, strict=True))
    name = values["name"] or f"#{contact_id}"  # as written: 王小明, "Nagy János"
    summary = (values[k] for k in ("email", "phone", "organization", "city"))
    return name, " · ".join(str(v) for v in summary if v)


def load_pairs(db: Database) -> list[Pair]:
    """Likely duplicates with what a person needs to judge them (runs on the worker)."""
    duplicates = find_duplicates(db, preferences.phone_region(db))
    ids = sorted({d.first for d in duplicates} | {d.second for d in duplicates})
    rows = CONTACTS.rows(db, ids)
    out = []
    for d in duplicates:
        first = _name_and_summary(rows.get(d.first), d.first)
        second = _name_and_summary(rows.get(d.second), d.second)
        out.append(Pair(d.first, d.second, d.reason, first[0], second[0], first[1], second[1]))
    return out


def pairs_model(parent: Any) -> TableModel:
    return TableModel(
        [
            (N_("Contact"), lambda p: p.first_name),
            (N_("Probably the same as"), lambda p: p.second_name),
            (N_("Why"), lambda p: _(p.reason)),
        ],
        parent,
    )


class DuplicatesDialog(QDialog):
    """Pairs of likely duplicates; each can be merged (undoably) or set aside."""

    def __init__(
        self, db: Database, push: Callable[[Any], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Find duplicates"))
        self.db = db
        self._push = push
        self.model = pairs_model(self)
        self.table = QTableView(self)
        accessible.name(self.table, _("Likely duplicates"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.doubleClicked.connect(lambda _i: self.merge_current())
        self.status = QLabel(_("Looking for duplicates…"), self)
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.merge_button = QPushButton(_("Merge…"), self)
        # clicked(bool) would hand its `checked` to `keep`: False, i.e. contact 0.
        self.merge_button.clicked.connect(lambda _checked=False: self.merge_current())
        self.dismiss_button = QPushButton(_("Not a duplicate"), self)
        self.dismiss_button.setToolTip(
            _("They are two different people: this pair is not suggested again (Ctrl+Z undoes)")
        )
        self.dismiss_button.clicked.connect(lambda _checked=False: self.dismiss_current())
        close = QPushButton(_("Close"), self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()
        self.resize(720, 420)

    def load(self) -> None:
        run_in_background(
            load_pairs, self.db, on_success=self.set_pairs, label=_("Looking for duplicates…")
        )

    def set_pairs(self, pairs: Sequence[Pair]) -> None:
        self.model.set_records(pairs)
        n = len(pairs)
        self.status.setText(
            ngettext(
                "{n} pair of contacts may be the same person.",
                "{n} pairs of contacts may be the same person.",
                n,
            ).format(n=n)
            if n
            else _("No likely duplicates: every contact looks like a different person.")
        )
        if n:
            self.table.selectRow(0)

    def current(self) -> Pair | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: Any) -> None:
        chosen = self.current() is not None
        self.merge_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)

    def merge_current(self, keep: int | None = None) -> None:
        """Merge the selected pair; without `keep`, ask which card to keep."""
        pair = self.current()
        if pair is None:
            return
        if keep is None:
            dialog = MergeDialog(
                [
                    (pair.first, pair.first_name, pair.first_summary),
                    (pair.second, pair.second_name, pair.second_summary),
                ],
                self,
            )
            if not dialog.exec():
                return
            keep = dialog.kept()
        other = pair.second if keep == pair.first else pair.first
        name = pair.first_name if keep == pair.first else pair.second_name
        command = commands.MergeContacts(self.db, keep, other, name)
        # The pairs of the merged-away contact go once the merge is done: a merge that
        # failed leaves them listed.
        command.on_done = lambda _command: self._drop(lambda p: other in (p.first, p.second))
        self._push(command)

    def dismiss_current(self) -> None:
        """Two different people: remembered (undoably), so the pair is not suggested again."""
        pair = self.current()
        if pair is not None:
            names = f"{pair.first_name} / {pair.second_name}"
            self._push(commands.NotADuplicate(self.db, pair.first, pair.second, names))
            self._drop(lambda p: p == pair)

    def _drop(self, gone: Callable[[Pair], bool]) -> None:
        row = max(0, self.table.currentIndex().row())
        self.set_pairs([p for p in self.model.records if not gone(p)])
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))
