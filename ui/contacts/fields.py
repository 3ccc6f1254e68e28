"""The contact editor's fields: rows of e-mails, phones and addresses, partial dates,
affiliations, memberships and tags; and the tables of a contact's history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _, current_language
from cmplanner.model.enums import MemberRole, kind_label
from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.services.contact_data import (
    AddressData,
    AffiliationData,
    InteractionRead,
    Labelled,
    MembershipData,
)
from cmplanner.services.partial_dates import format_partial_date, parse_partial_date
from cmplanner.services.vocabulary import Choice
from ui.kit import accessible
from ui.kit.choice_combo import NameCompleter
from ui.kit.display import date_format, format_datetime
from ui.kit.focus_order import set_tab_order
from ui.kit.forms import error_label
from ui.kit.models import TableModel
from ui.kit.sizing import scaled

EMAIL_LABELS = (N_("home"), N_("work"), N_("other"))
PHONE_LABELS = (N_("mobile"), N_("home"), N_("work"), N_("other"))
ADDRESS_LABELS = (N_("home"), N_("work"), N_("other"))


# --- small widgets ----------------------------------------------------------------------------


def set_error(edit: QWidget, label: QLabel, message: str | None) -> None:
    label.setText(message or "")
    label.setVisible(bool(message))
    edit.setProperty("invalid", bool(message))
    edit.style().unpolish(edit)
    edit.style().polish(edit)


def _label_combo(parent: QWidget, labels: Sequence[str], current: str) -> QComboBox:
    """A label chooser ("work", "mobile"…) that also takes any label typed in."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    accessible.name(combo, _("Label"), _("Home, work, mobile… or a label typed in"))
    for label in labels:
        combo.addItem(_(label), label)
    index = combo.findData(current) if current else 0
    if index >= 0:
        combo.setCurrentIndex(index)
    else:
        combo.setEditText(current)
    combo.setFixedWidth(scaled(110))
    return combo


def _combo_value(combo: QComboBox) -> str:
    """The stored label: the msgid of a listed label, else the text as typed."""
    text = combo.currentText().strip()
    index = combo.findText(text)
    data = combo.itemData(index) if index >= 0 else None
    return str(data) if data is not None else text


def _remove_button(parent: QWidget, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setObjectName("removeRow")
    button.setText("✕")
    button.setToolTip(tip)
    accessible.name(button, tip)  # not "multiplication x"
    button.setAutoRaise(True)
    return button


class RowList(QWidget):
    """Rows of the same kind (e-mails, phones…) with "add" and a remove button per row."""

    def __init__(
        self,
        make_row: Callable[[Any], Any],
        add_text: str,
        changed: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._make_row = make_row
        self._changed = changed
        self.rows: list[Any] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.add_button = QPushButton(add_text, self)
        self.add_button.setObjectName("addRow")
        self.add_button.setFlat(True)
        self.add_button.clicked.connect(lambda: self.add_row(None, focus=True))
        self._layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def add_row(self, value: Any, focus: bool = False) -> Any:
        row = self._make_row(value)
        row.removeRequested.connect(lambda r=row: self.remove_row(r))
        self.rows.append(row)
        self._layout.insertWidget(len(self.rows) - 1, row)
        if focus:
            row.setFocus()
        if self.isVisible():
            set_tab_order(self.window())  # the new row's fields come where it is shown
        self._changed()
        return row

    def remove_row(self, row: Any) -> None:
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        self._changed()

    def values(self) -> list[Any]:
        return [row.value() for row in self.rows]


class _Row(QWidget):
    removeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.error = error_label(self)

    def _finish(self, remove_tip: str, columns: int) -> None:
        remove = _remove_button(self, remove_tip)
        remove.clicked.connect(self.removeRequested.emit)
        self.grid.addWidget(remove, 0, columns)
        # Under the value's lines, not beside its label.
        self.grid.addWidget(self.error, max(2, self.grid.rowCount()), 1, 1, columns)

    def set_problem(self, message: str | None) -> None:
        set_error(self.focus_widget(), self.error, message)

    def focus_widget(self) -> QWidget:
        raise NotImplementedError

    def setFocus(self) -> None:  # type: ignore[override]
        self.focus_widget().setFocus()


class LabelledRow(_Row):
    """An e-mail or a phone number with its label."""

    def __init__(
        self,
        value: Labelled | None,
        labels: Sequence[str],
        placeholder: str,
        on_edit: Callable[[], None],
        on_leave: Callable[[], None],
        parent: QWidget | None = None,
        name: str = "",
    ) -> None:
        super().__init__(parent)
        value = value or Labelled("", labels[0])
        self.label = _label_combo(self, labels, value.label)
        self.edit = QLineEdit(value.value, self)
        self.edit.setPlaceholderText(placeholder)
        accessible.name(self.edit, name)
        self.edit.textEdited.connect(lambda _t: on_edit())
        self.edit.editingFinished.connect(on_leave)
        self.grid.addWidget(self.label, 0, 0)
        self.grid.addWidget(self.edit, 0, 1)
        self.grid.setColumnStretch(1, 1)
        self._finish(_("Remove"), 2)

    def value(self) -> Labelled:
        return Labelled(self.edit.text(), _combo_value(self.label))

    def focus_widget(self) -> QWidget:
        return self.edit


class AddressRow(_Row):
    def __init__(self, value: AddressData | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        value = value or AddressData(label="home")
        self.label = _label_combo(self, ADDRESS_LABELS, value.label)
        self.street = QLineEdit(value.street, self)
        self.street.setPlaceholderText(_("Street"))
        self.postal_code = QLineEdit(value.postal_code, self)
        self.postal_code.setPlaceholderText(_("Postal code"))
        self.postal_code.setFixedWidth(scaled(90))
        self.city = QLineEdit(value.city, self)
        self.city.setPlaceholderText(_("City"))
        self.region = QLineEdit(value.region, self)
        self.region.setPlaceholderText(_("Region"))
        self.country = QLineEdit(value.country, self)
        self.country.setPlaceholderText(_("Country"))
        for field in (self.street, self.postal_code, self.city, self.region, self.country):
            accessible.name(field, field.placeholderText())
        # Postal code and city, then region and country: four fields on one line left the
        # city a few letters wide ("aint-Étienne").
        second, third = QHBoxLayout(), QHBoxLayout()
        for line, widgets in (
            (second, (self.postal_code, self.city)),
            (third, (self.region, self.country)),
        ):
            line.setSpacing(6)
            for widget in widgets:
                line.addWidget(widget, 0 if widget is self.postal_code else 1)
        self.grid.addWidget(self.label, 0, 0)
        self.grid.addWidget(self.street, 0, 1)
        self.grid.addLayout(second, 1, 1)
        self.grid.addLayout(third, 2, 1)
        self.grid.setColumnStretch(1, 1)
        self._finish(_("Remove this address"), 2)

    def value(self) -> AddressData:
        return AddressData(
            _combo_value(self.label),
            self.street.text().strip(),
            self.postal_code.text().strip(),
            self.city.text().strip(),
            self.region.text().strip(),
            self.country.text().strip(),
        )

    def focus_widget(self) -> QWidget:
        return self.street


class PartialDateEdit(QWidget):
    """A birthday or an anniversary typed on the keyboard: "12/04/1985", or "12/04" without
    the year (ISO "1985-04-12" too); the date it reads is shown beside it, in words."""

    def __init__(
        self,
        stored: str,
        on_edit: Callable[[], None],
        on_leave: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.day_first = date_format().lower().lstrip("'").startswith("d")
        self.edit = QLineEdit(self._text_of(stored), self)
        self.edit.setPlaceholderText(
            _("12/04/1985, or 12/04 without the year")
            if self.day_first
            else _("04/12/1985, or 04/12 without the year")
        )
        metrics = self.edit.fontMetrics()
        self.edit.setMinimumWidth(metrics.horizontalAdvance(self.edit.placeholderText()) + 16)
        self.read_as = QLabel(self)
        self.read_as.setObjectName("hint")
        self.error = error_label(self)
        self.edit.textEdited.connect(lambda _t: self._show())
        self.edit.textEdited.connect(lambda _t: on_edit())
        self.edit.editingFinished.connect(on_leave)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.edit, 0, 0)
        grid.addWidget(self.read_as, 0, 1)
        grid.addWidget(self.error, 1, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self._show()

    def _text_of(self, stored: str) -> str:
        if not stored:
            return ""
        day, month = stored[-2:], stored[-5:-3]
        numbers = [day, month] if self.day_first else [month, day]
        if not stored.startswith("--"):
            numbers.append(stored[:4])
        return "/".join(numbers)

    def value(self) -> str:
        """The stored form ("1985-04-12", "--04-12"), "" when empty, or the text as typed
        when it is not a date (the check then says so)."""
        text = self.edit.text().strip()
        if not text:
            return ""
        return parse_partial_date(text, self.day_first) or text

    def _show(self) -> None:
        value = self.value()
        valid = bool(value) and parse_partial_date(value) == value
        self.read_as.setText(format_partial_date(value, current_language()) if valid else "")

    def set_problem(self, message: str | None) -> None:
        set_error(self.edit, self.error, message)


def _choice_combo(
    parent: QWidget, choices: Sequence[Choice], name: str, title: str, placeholder: str
) -> QComboBox:
    """An existing organization or community, or a new name typed in."""
    combo = QComboBox(parent)
    accessible.name(combo, title, placeholder)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for choice in choices:
        combo.addItem(choice.name, choice.id)
    combo.setEditText(name)
    line = combo.lineEdit()
    if line is not None:
        line.setPlaceholderText(placeholder)
    # Not QComboBox's own inline completer: over a name containing the typed text it kept
    # the text and appended the rest ("vélo" + "Club vélo Lyon"[4:] = "vélo vélo Lyon").
    combo.setCompleter(NameCompleter([(c.id, c.name) for c in choices], combo))
    return combo


def _chosen(combo: QComboBox) -> tuple[str, int | None]:
    """The existing name typed (whatever its case and accents) with its id, else the new
    name with None."""
    name = combo.currentText().strip()
    completer = combo.completer()
    found = completer.find(name) if isinstance(completer, NameCompleter) else None
    return (found[1], found[0]) if found is not None else (name, None)


class AffiliationRow(_Row):
    def __init__(
        self,
        value: AffiliationData | None,
        organizations: Sequence[Choice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        value = value or AffiliationData("")
        self.organization = _choice_combo(
            self,
            organizations,
            value.organization,
            _("Organization"),
            _("Organization (pick or type a new one)"),
        )
        self.role = QLineEdit(value.role, self)
        self.role.setPlaceholderText(_("Role (e.g. president, press officer)"))
        self.department = QLineEdit(value.department, self)
        self.department.setObjectName("department")
        self.department.setPlaceholderText(_("Department (optional)"))
        self.grid.addWidget(self.organization, 0, 0)
        self.grid.addWidget(self.role, 0, 1)
        self.grid.addWidget(self.department, 1, 0, 1, 2)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 2)
        self._finish(_("Remove"), 2)

    def value(self) -> AffiliationData | None:
        name, org_id = _chosen(self.organization)
        if not name:
            return None
        return AffiliationData(
            name, self.role.text().strip(), org_id, self.department.text().strip()
        )

    def focus_widget(self) -> QWidget:
        return self.organization


class MembershipRow(_Row):
    def __init__(
        self,
        value: MembershipData | None,
        communities: Sequence[Choice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        value = value or MembershipData("")
        self.original = value
        self.community = _choice_combo(
            self,
            communities,
            value.community,
            _("Community"),
            _("Community (pick or type a new one)"),
        )
        self.role = QComboBox(self)
        accessible.name(self.role, _("Role:"))
        for role in MemberRole:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(value.role)))
        self.grid.addWidget(self.community, 0, 0)
        self.grid.addWidget(self.role, 0, 1)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 1)
        self._finish(_("Remove"), 2)

    def value(self) -> MembershipData | None:
        name, community_id = _chosen(self.community)
        role = str(self.role.currentData())
        if not name:
            return None
        same = (community_id, role) == (self.original.community_id, self.original.role)
        joined = self.original.joined_on if same and community_id is not None else None
        return MembershipData(name, role, community_id, joined)

    def focus_widget(self) -> QWidget:
        return self.community


class TagEdit(QLineEdit):
    """Comma-separated tags, a tag holding a comma in double quotes ("vélo, rando"); completes
    the tag being typed from the existing ones."""

    def __init__(self, tags: Sequence[str], names: Sequence[str], parent: QWidget | None = None):
        super().__init__(vocabulary_service.tags_text(tags), parent)
        self.setPlaceholderText(_("Comma-separated, e.g. volunteer, press"))
        self.setToolTip(_('A tag that holds a comma goes in double quotes: "bike, hiking"'))
        self._completer = NameCompleter(list(enumerate(names)), self)
        self._completer.setWidget(self)
        self._completer.activated.connect(self._insert)
        self.textEdited.connect(self._complete)

    def _before_cursor(self) -> list[str]:
        """The tags before the cursor, the one being typed last ("" after a comma)."""
        before = self.text()[: self.cursorPosition()]
        tags = vocabulary_service.parse_tags(before)
        return [*tags, ""] if not tags or before.rstrip().endswith(",") else tags

    def _current_word(self) -> str:
        return self._before_cursor()[-1]

    def _complete(self, _text: str) -> None:
        word = self._current_word()
        if not word:
            popup = self._completer.popup()
            if popup is not None:
                popup.hide()
            return
        self._completer.setCompletionPrefix(word)
        self._completer.complete()

    def _insert(self, tag: str) -> None:
        self.setText(vocabulary_service.tags_text([*self._before_cursor()[:-1], tag]) + ", ")

    def tags(self) -> tuple[str, ...]:
        return tuple(vocabulary_service.parse_tags(self.text()))


# --- history ----------------------------------------------------------------------------------


def _yes(value: bool | None) -> str:
    return "✓" if value else ""


def interactions_model(parent: Any) -> TableModel:
    def duration(i: InteractionRead) -> str:
        return _("{n} min").format(n=i.duration_minutes) if i.duration_minutes else ""

    return TableModel(
        [
            (N_("When"), lambda i: format_datetime(i.occurred_at)),
            (
                N_("Channel"),
                lambda i: kind_label(i.channel),
            ),
            (N_("In person"), lambda i: _yes(i.in_person)),
            (N_("Duration"), duration),
            (N_("Notes"), lambda i: i.notes),
        ],
        parent,
    )


def attendance_model(parent: Any, past: bool) -> TableModel:
    columns: list[tuple[str, Any]] = [
        (N_("Event"), lambda a: a.title),
        (N_("Date"), lambda a: format_datetime(a.start_local)),
        (N_("Answer"), lambda a: kind_label(a.rsvp)),
    ]
    if past:
        columns.append((N_("Attended"), lambda a: _yes(a.attended)))
    return TableModel(columns, parent)


def small_table(parent: QWidget, model: TableModel, title: str) -> QTableView:
    table = QTableView(parent)
    accessible.name(table, title)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table
