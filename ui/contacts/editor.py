"""The contact editor: the whole card, checked as it is typed, saved as one undoable edit.

A dialog with a header (photo, name) and four tabs: the card (names, e-mails, phones,
addresses), links (organizations, communities, tags), keeping in touch (channel, language,
cadence, consent, notes) and history (interactions, upcoming events, past attendance).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDateTime,
    QIODevice,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _, current_language, ngettext
from cmplanner.interop.photo import JPEG_QUALITY, PHOTO_MAX_SIDE
from cmplanner.model.enums import Channel, ConsentScope, MemberRole, kind_label
from cmplanner.model.names import family_name_first
from cmplanner.services import contacts as contact_service
from cmplanner.services import preferences
from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.services.contact_data import (
    AddressData,
    AffiliationData,
    ContactData,
    ContactDetails,
    FieldProblem,
    InteractionRead,
    Labelled,
    MembershipData,
)
from cmplanner.services.partial_dates import format_partial_date, parse_partial_date
from cmplanner.services.validation import check_contact
from cmplanner.services.vocabulary import Choice, Vocabulary
from cmplanner.storage import Database
from ui.communities.commitments import CommitmentsPanel
from ui.contacts import commands
from ui.kit import accessible, file_dialogs
from ui.kit.choice_combo import NameCompleter
from ui.kit.date_fields import DateTimeEdit, date_edit
from ui.kit.display import date_format, format_datetime
from ui.kit.focus_order import set_tab_order
from ui.kit.forms import error_label, save_cancel, scroll_area
from ui.kit.jobs import run_in_background
from ui.kit.models import TableModel
from ui.kit.sizing import resize_within_screen, scaled
from ui.kit.unsaved import UnsavedChangesGuard

VALIDATE_DELAY_MS = 400
PHOTO_SIZE = 96
# Stored photos are scaled down to this (the database stays small), as imported ones are.
PHOTO_MAX_PIXELS = PHOTO_MAX_SIDE
IMAGE_FILTER = N_("Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp);;All files (*)")

EMAIL_LABELS = (N_("home"), N_("work"), N_("other"))
PHONE_LABELS = (N_("mobile"), N_("home"), N_("work"), N_("other"))
ADDRESS_LABELS = (N_("home"), N_("work"), N_("other"))
# Each in its own language. The last ones write names family name first (see
# cmplanner.model.names): the contact's language sets the order of their name everywhere.
LANGUAGES = (
    ("fr", "Français"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("hu", "Magyar"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
)


@dataclass(frozen=True)
class EditorInput:
    """What the editor needs, read on the worker before it opens."""

    details: ContactDetails | None  # None: a new contact
    region: str
    vocabulary: Vocabulary


def load_editor_input(db: Database, contact_id: int | None) -> EditorInput:
    details = contact_service.get_details(db, contact_id) if contact_id is not None else None
    return EditorInput(details, preferences.phone_region(db), vocabulary_service.vocabulary(db))


# --- small widgets ----------------------------------------------------------------------------


def _set_error(edit: QWidget, label: QLabel, message: str | None) -> None:
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
        _set_error(self.focus_widget(), self.error, message)

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
        _set_error(self.edit, self.error, message)


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


def _small_table(parent: QWidget, model: TableModel, title: str) -> QTableView:
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


class InteractionDialog(UnsavedChangesGuard, QDialog):
    """When, how, how long, and what was said."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add an interaction with {name}").format(name=name))
        self.when = DateTimeEdit(self)
        self.when.setDateTime(QDateTime.currentDateTime())
        self.channel = QComboBox(self)
        for channel in Channel:
            self.channel.addItem(channel.label, channel.value)
        self.in_person = QCheckBox(_("We met in person"), self)
        self.in_person.setChecked(True)
        self.channel.currentIndexChanged.connect(
            lambda _i: self.in_person.setChecked(self.channel.currentData() == Channel.IN_PERSON)
        )
        self.duration = QSpinBox(self)
        self.duration.setRange(0, 24 * 60)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(_(" min"))
        self.duration.setSpecialValueText(_("Not noted"))
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText(_("What you talked about, what was promised…"))
        form = QFormLayout()
        form.addRow(_("When:"), self.when)
        form.addRow(_("Channel:"), self.channel)
        form.addRow("", self.in_person)
        form.addRow(_("Duration:"), self.duration)
        form.addRow(_("Notes:"), self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Add"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(440, 360)

    def values(self) -> dict[str, Any]:
        when: dt.datetime = self.when.dateTime().toPython()  # type: ignore[assignment]
        return {
            "occurred_at": when.astimezone(),  # the computer's time zone: an aware instant
            "channel": str(self.channel.currentData()),
            "in_person": self.in_person.isChecked(),
            "duration_minutes": self.duration.value() or None,
            "notes": self.notes.toPlainText().strip(),
        }


# --- the editor -------------------------------------------------------------------------------


def _form() -> tuple[QWidget, QFormLayout]:
    page = QWidget()
    form = QFormLayout(page)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setContentsMargins(12, 12, 12, 12)
    form.setVerticalSpacing(10)
    return page, form


class ContactEditor(UnsavedChangesGuard, QDialog):
    """Edit a contact (or create one); Save pushes one undoable command."""

    def __init__(
        self,
        db: Database,
        editor_input: EditorInput,
        push: Callable[[Any], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactEditor")
        self.db = db
        self.details = editor_input.details
        self.region = editor_input.region
        self.vocabulary = editor_input.vocabulary
        self._push = push
        self.problems: list[FieldProblem] = []
        self._shown = False  # problems are shown once the user paused or left a field
        self._ready = False  # rows added while the form is built are not edits
        data = self.details.data if self.details else ContactData()
        self.photo: bytes | None = data.photo
        self.setWindowTitle(_("Edit contact") if self.details else _("New contact"))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(lambda: self.validate(show=True))

        self.tabs = QTabWidget(self)
        self.tabs.addTab(scroll_area(self._card_page(data)), _("Card"))
        self.tabs.addTab(scroll_area(self._links_page(data)), _("Organizations and communities"))
        self.tabs.addTab(scroll_area(self._keep_in_touch_page(data)), _("Keeping in touch"))
        self.tabs.addTab(self._history_page(), _("History"))
        self.tabs.setTabEnabled(3, self.details is not None)
        self.promises: CommitmentsPanel | None = None
        if self.details is not None:
            # Open promises made to this person; they are saved as they are made (undoable).
            self.promises = CommitmentsPanel(
                db,
                push,
                contact_id=self.details.id,
                names={"contact": self.details.data.display_name},
                parent=self,
            )
            page = QWidget()
            promise_layout = QVBoxLayout(page)
            promise_layout.setContentsMargins(12, 12, 12, 12)
            promise_layout.addWidget(self.promises)
            self.tabs.addTab(page, _("Promises"))
            self.promises.loaded.connect(self._promises_loaded)
            records = self.promises.model.records
            self._promises_loaded(len(records), sum(c.overdue for c in records))

        self.summary = error_label(self, hidden=False)
        self.buttons, self.save_button = save_cancel(self, self.save, self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addLayout(self._header())
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        resize_within_screen(self, 720, 640)
        accessible.name_typed_combos(self)
        self._ready = True
        self._update_title()
        self._show_photo()
        self.validate(show=False)
        if self.details:
            self._show_history(self.details)

    def _promises_loaded(self, count: int, overdue: int) -> None:
        index = self.tabs.count() - 1
        text = _("Promises ({n})").format(n=count) if count else _("Promises")
        self.tabs.setTabText(index, text)
        tip = ngettext("{n} overdue", "{n} overdue", overdue).format(n=overdue) if overdue else ""
        self.tabs.setTabToolTip(index, tip)

    # -- pages ------------------------------------------------------------------------------

    def _header(self) -> QHBoxLayout:
        self.photo_label = QLabel(self)
        self.photo_label.setObjectName("photo")
        self.photo_label.setFixedSize(PHOTO_SIZE, PHOTO_SIZE)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.choose_photo = QPushButton(_("Choose a photo…"), self)
        self.choose_photo.clicked.connect(self.choose_photo_file)
        self.remove_photo = QPushButton(_("Remove the photo"), self)
        self.remove_photo.clicked.connect(lambda: self.set_photo(None))
        self.title = QLabel(self)
        self.title.setObjectName("editorTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("hint")
        photo_buttons = QHBoxLayout()
        photo_buttons.addWidget(self.choose_photo)
        photo_buttons.addWidget(self.remove_photo)
        photo_buttons.addStretch(1)
        texts = QVBoxLayout()
        texts.addStretch(1)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        texts.addLayout(photo_buttons)
        texts.addStretch(1)
        header = QHBoxLayout()
        header.setSpacing(16)
        header.addWidget(self.photo_label)
        header.addLayout(texts, 1)
        return header

    def _line(self, text: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda _t: self._edited())
        edit.editingFinished.connect(self._left_field)
        return edit

    def _card_page(self, data: ContactData) -> QWidget:
        page, form = _form()
        self.given_name = self._line(data.given_name)
        self.family_name = self._line(data.family_name)
        self.nickname = self._line(data.nickname)
        self.name_prefix = self._line(data.name_prefix, _("e.g. Dr, Me"))
        self.name_prefix.setObjectName("namePrefix")
        self.name_suffix = self._line(data.name_suffix, _("e.g. Jr., PhD"))
        self.name_suffix.setObjectName("nameSuffix")
        accessible.name(self.name_prefix, _("Name prefix:"), self.name_prefix.placeholderText())
        accessible.name(self.name_suffix, _("Suffix:"), self.name_suffix.placeholderText())
        self.formatted_name = self._line(data.formatted_name)
        self.formatted_name.setObjectName("formattedName")
        self.formatted_name.setToolTip(
            _("The name shown in lists and on documents, when it is not first and last name.")
        )
        self.name_error = error_label(page)
        affixes = QHBoxLayout()
        affixes.setSpacing(6)
        for field in (self.name_prefix, self.name_suffix):
            field.setMaximumWidth(scaled(180))
        affixes.addWidget(self.name_prefix, 1)
        affixes.addSpacing(12)
        affixes.addWidget(QLabel(_("Suffix:"), page))
        affixes.addWidget(self.name_suffix, 1)
        affixes.addStretch(1)
        form.addRow(_("First name:"), self.given_name)
        form.addRow(_("Last name:"), self.family_name)
        form.addRow(_("Nickname:"), self.nickname)
        form.addRow("", self.name_error)
        form.addRow(_("Name prefix:"), affixes)
        form.addRow(_("Shown as:"), self.formatted_name)
        self.birthday = PartialDateEdit(data.birthday, self._edited, self._left_field, page)
        self.birthday.setObjectName("birthday")
        self.anniversary = PartialDateEdit(data.anniversary, self._edited, self._left_field, page)
        self.anniversary.setObjectName("anniversary")
        for partial, title in (
            (self.birthday, _("Birthday")),
            (self.anniversary, _("Anniversary")),
        ):
            accessible.name(partial.edit, title, partial.edit.placeholderText())
        form.addRow(_("Birthday:"), self.birthday)
        form.addRow(_("Anniversary:"), self.anniversary)

        def email_row(value: Labelled | None) -> LabelledRow:
            return LabelledRow(
                value,
                EMAIL_LABELS,
                "name@example.org",
                self._edited,
                self._left_field,
                page,
                name=_("E-mail"),
            )

        def phone_row(value: Labelled | None) -> LabelledRow:
            return LabelledRow(
                value,
                PHONE_LABELS,
                "06 12 34 56 78",
                self._edited,
                self._left_field,
                page,
                name=_("Phone number"),
            )

        self.emails = RowList(email_row, _("+ Add an e-mail"), self._edited, page)
        self.phones = RowList(phone_row, _("+ Add a phone number"), self._edited, page)
        self.addresses = RowList(
            lambda v: AddressRow(v, page), _("+ Add an address"), self._edited, page
        )
        for rows, values in (
            (self.emails, data.emails),
            (self.phones, data.phones),
            (self.addresses, data.addresses),
        ):
            for value in values:
                rows.add_row(value)
        if not data.emails:
            self.emails.add_row(None)
        if not data.phones:
            self.phones.add_row(None)
        form.addRow(_("E-mails:"), self.emails)
        form.addRow(_("Phones:"), self.phones)
        form.addRow(_("Addresses:"), self.addresses)
        return page

    def _links_page(self, data: ContactData) -> QWidget:
        page, form = _form()
        organizations = self.vocabulary.organizations
        communities = self.vocabulary.communities
        self.affiliations = RowList(
            lambda v: AffiliationRow(v, organizations, page),
            _("+ Add an organization"),
            self._edited,
            page,
        )
        self.memberships = RowList(
            lambda v: MembershipRow(v, communities, page),
            _("+ Add a community"),
            self._edited,
            page,
        )
        for affiliation in data.affiliations:
            self.affiliations.add_row(affiliation)
        for membership in data.communities:
            self.memberships.add_row(membership)
        self.tags = TagEdit(data.tags, [t.name for t in self.vocabulary.tags], page)
        form.addRow(_("Organizations:"), self.affiliations)
        form.addRow(_("Communities:"), self.memberships)
        form.addRow(_("Tags:"), self.tags)
        return page

    def _keep_in_touch_page(self, data: ContactData) -> QWidget:
        page, form = _form()
        self.channel = QComboBox(page)
        for channel in Channel:
            self.channel.addItem(channel.label, channel.value)
        self.channel.setCurrentIndex(max(0, self.channel.findData(data.preferred_channel)))
        self.language = QComboBox(page)
        self.language.setEditable(True)
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        index = self.language.findData(data.language)
        if index >= 0:
            self.language.setCurrentIndex(index)
        else:
            self.language.setEditText(data.language)

        self.keep_in_touch = QCheckBox(_("Get in touch every"), page)
        self.cadence = QSpinBox(page)
        self.cadence.setRange(1, 3650)
        self.cadence.setSuffix(_(" days"))
        self.cadence.setValue(data.cadence_days or 30)
        accessible.name_after(self.cadence, self.keep_in_touch)
        self.keep_in_touch.setChecked(data.cadence_days is not None)
        self.cadence.setEnabled(data.cadence_days is not None)
        self.keep_in_touch.toggled.connect(self.cadence.setEnabled)
        cadence = QHBoxLayout()
        cadence.addWidget(self.keep_in_touch)
        cadence.addWidget(self.cadence)
        cadence.addStretch(1)

        self.consent_scope = QComboBox(page)
        scope_texts = {
            ConsentScope.NONE: _("No consent recorded"),
            ConsentScope.CONTACT: _("May be contacted"),
            ConsentScope.CONTACT_PHOTOS: _("May be contacted and photographed"),
        }
        for scope in ConsentScope:
            self.consent_scope.addItem(scope_texts[scope], scope.value)
        self.consent_scope.setCurrentIndex(max(0, self.consent_scope.findData(data.consent_scope)))
        self.consent_given = QCheckBox(_("Given on"), page)
        self.consent_date = date_edit(page, data.consent_date)
        accessible.name_after(self.consent_date, self.consent_given, _("The day consent was given"))
        self.consent_given.setChecked(data.consent_date is not None)
        self.consent_date.setEnabled(data.consent_date is not None)
        self.consent_given.toggled.connect(self.consent_date.setEnabled)
        consent_when = QHBoxLayout()
        consent_when.addWidget(self.consent_given)
        consent_when.addWidget(self.consent_date)
        consent_when.addStretch(1)
        self.consent_source = QLineEdit(data.consent_source, page)
        self.consent_source.setPlaceholderText(_("e.g. sign-up form at the March meetup"))
        self.notes = QPlainTextEdit(data.notes, page)
        self.notes.setPlaceholderText(_("Anything worth remembering about this person"))
        self.notes.setMinimumHeight(120)

        form.addRow(_("Preferred channel:"), self.channel)
        form.addRow(_("Language:"), self.language)
        form.addRow(_("Keep in touch:"), cadence)
        form.addRow(_("Consent:"), self.consent_scope)
        form.addRow("", consent_when)
        form.addRow(_("Source of consent:"), self.consent_source)
        form.addRow(_("Notes:"), self.notes)
        return page

    def _history_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        self.interactions = interactions_model(page)
        self.upcoming = attendance_model(page, past=False)
        self.past = attendance_model(page, past=True)
        top = QHBoxLayout()
        self.last_seen = QLabel(page)
        self.last_seen.setObjectName("hint")
        self.add_interaction_button = QPushButton(_("Add an interaction…"), page)
        self.add_interaction_button.clicked.connect(self.add_interaction)
        top.addWidget(self.last_seen, 1)
        top.addWidget(self.add_interaction_button)
        layout.addLayout(top)
        for title, model, stretch in (
            (_("Interactions"), self.interactions, 3),
            (_("Upcoming events"), self.upcoming, 2),
            (_("Past attendance"), self.past, 2),
        ):
            label = QLabel(title, page)
            label.setObjectName("sectionTitle")
            layout.addWidget(label)
            layout.addWidget(_small_table(page, model, title), stretch)
        return page

    # -- photo ------------------------------------------------------------------------------

    def choose_photo_file(self) -> None:
        name = file_dialogs.open_file_name(
            self, _("Choose a photo"), str(Path.home()), _(IMAGE_FILTER)
        )
        if name:
            self.load_photo(Path(name))

    def load_photo(self, path: Path) -> bool:
        image = QImage(str(path))
        if image.isNull():
            self.summary.setText(
                _("{name} is not an image CM Planner can read.").format(name=path.name)
            )
            return False
        if max(image.width(), image.height()) > PHOTO_MAX_PIXELS:
            image = image.scaled(
                PHOTO_MAX_PIXELS,
                PHOTO_MAX_PIXELS,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", JPEG_QUALITY)  # type: ignore[call-overload]  # str at run time
        buffer.close()
        self.set_photo(bytes(data.data()))
        return True

    def set_photo(self, photo: bytes | None) -> None:
        self.photo = photo
        self._show_photo()

    def _show_photo(self) -> None:
        pixmap = QPixmap()
        if self.photo and pixmap.loadFromData(self.photo):
            self.photo_label.setPixmap(
                pixmap.scaled(
                    PHOTO_SIZE,
                    PHOTO_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.photo_label.setText("")
        else:
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText(self._photo_text())
        self.remove_photo.setEnabled(bool(self.photo))

    # -- data and validation ----------------------------------------------------------------

    def raw_data(self) -> ContactData:
        """What the form holds, as typed (row order kept, so problems point at rows)."""
        base = self.details.data if self.details else ContactData()
        return dataclasses.replace(
            base,
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            nickname=self.nickname.text(),
            name_prefix=self.name_prefix.text(),
            name_suffix=self.name_suffix.text(),
            formatted_name=self.formatted_name.text(),
            birthday=self.birthday.value(),
            anniversary=self.anniversary.value(),
            emails=tuple(self.emails.values()),
            phones=tuple(self.phones.values()),
            addresses=tuple(self.addresses.values()),
            affiliations=tuple(a for a in self.affiliations.values() if a is not None),
            tags=self.tags.tags(),
            communities=tuple(m for m in self.memberships.values() if m is not None),
            preferred_channel=str(self.channel.currentData()),
            language=self._language(),
            notes=self.notes.toPlainText().strip(),
            photo=self.photo,
            cadence_days=self.cadence.value() if self.keep_in_touch.isChecked() else None,
            consent_date=(
                self.consent_date.date().toPython()  # type: ignore[arg-type]
                if self.consent_given.isChecked()
                else None
            ),
            consent_source=self.consent_source.text().strip(),
            consent_scope=str(self.consent_scope.currentData()),
        )

    def data(self) -> ContactData:
        """The card as it will be saved: normalised, empty rows dropped."""
        cleaned, _problems = check_contact(self.raw_data(), self.region)
        return cleaned

    def _edited(self) -> None:
        if not self._ready:
            return
        self._update_title()
        if self._shown:
            self.validate(show=True)  # a shown message goes away as soon as it is fixed
        else:
            self.validate(show=False)
            self._timer.start()

    def _left_field(self) -> None:
        if not self._ready:
            return
        self._timer.stop()
        self.validate(show=True)

    def validate(self, show: bool = True) -> list[FieldProblem]:
        """Check the card; Save is enabled only without problems; messages go by the field."""
        raw = self.raw_data()
        _cleaned, self.problems = check_contact(raw, self.region)
        self.save_button.setEnabled(not self.problems)
        if not show:
            return self.problems
        self._shown = True
        by_field = {p.field: p.message for p in self.problems}
        _set_error(self.given_name, self.name_error, by_field.get("given_name"))
        for name, field in (("birthday", self.birthday), ("anniversary", self.anniversary)):
            field.set_problem(by_field.get(name))
        for prefix, rows in (("emails", self.emails), ("phones", self.phones)):
            for n, row in enumerate(rows.rows):
                row.set_problem(by_field.get(f"{prefix}[{n}]"))
        cadence = by_field.get("cadence_days")
        if self.problems:
            n = len(self.problems)
            self.summary.setText(
                cadence
                or ngettext(
                    "Fix the field marked in red to save.",
                    "Fix the {n} fields marked in red to save.",
                    n,
                ).format(n=n)
            )
        else:
            self.summary.clear()
        return self.problems

    def _update_title(self) -> None:
        raw = self.raw_data()
        self.title.setText(raw.display_name or _("New contact"))
        self.formatted_name.setPlaceholderText(
            _("{name} (first and last name)").format(
                name=dataclasses.replace(raw, formatted_name="").display_name
            )
            if raw.given_name.strip() or raw.family_name.strip()
            else ""
        )
        if self.details and self.details.last_seen:
            seen = _("Last seen {when}").format(when=format_datetime(self.details.last_seen))
        elif self.details:
            seen = _("Never seen in person")
        else:
            seen = _("Not saved yet")
        self.subtitle.setText(seen)
        if not self.photo:
            self.photo_label.setText(self._photo_text())

    def _language(self) -> str:
        # The language combo is on a later page, built after the first title update.
        return _language_code(self.language) if hasattr(self, "language") else ""

    def _photo_text(self) -> str:
        """The initials shown in place of a photo, in the order the name is written
        (王小明 → 王小); else the first letter of what the card shows (its e-mail)."""
        given, family = self.given_name.text().strip(), self.family_name.text().strip()
        first = family_name_first(given, family, self._language())
        return _initials(
            [family, given] if first else [given, family], self.raw_data().display_name
        )

    # -- saving -----------------------------------------------------------------------------

    def edit_state(self) -> ContactData:
        return self.data()  # as it would be saved: an empty row or a trailing space is no change

    def save_changes(self) -> None:
        self.save()

    def save(self) -> None:
        if self.validate(show=True):
            return
        data = self.data()
        if self.details is None:
            self._push(commands.CreateContact(self.db, data))
        elif data != self.details.data:
            self._push(commands.EditContact(self.db, self.details.id, self.details.data, data))
        self.accept()

    # -- history ----------------------------------------------------------------------------

    def _show_history(self, details: ContactDetails) -> None:
        self.interactions.set_records(details.interactions)
        self.upcoming.set_records(details.upcoming)
        self.past.set_records(details.past)
        if details.last_seen:
            self.last_seen.setText(
                _("Last seen in person {when}.").format(when=format_datetime(details.last_seen))
            )
        else:
            self.last_seen.setText(_("Never seen in person yet."))

    def add_interaction(self) -> None:
        if self.details is None:
            return
        dialog = InteractionDialog(self.details.data.display_name, self)
        if dialog.exec():
            self.log_interaction(**dialog.values())

    def log_interaction(self, **values: Any) -> None:
        """Undoable (Edit ▸ Undo), then the history is read again."""
        assert self.details is not None
        contact_id = self.details.id
        self._push(
            commands.AddInteraction(self.db, contact_id, self.details.data.display_name, values)
        )
        run_in_background(
            contact_service.get_details,
            self.db,
            contact_id,
            on_success=self._history_loaded,
            label=_("Saving…"),
        )

    def _history_loaded(self, details: ContactDetails) -> None:
        assert self.details is not None
        # Keep the card as it was loaded (undo compares with it); take the new history.
        self.details = dataclasses.replace(details, data=self.details.data)
        self._show_history(details)
        self._update_title()


def _initials(parts: Sequence[str], shown: str = "") -> str:
    """ "AM" for Anne Martin; else the first letter of what the card shows (its e-mail)."""
    found = "".join(part[:1].upper() for part in parts if part)
    return found or next((ch.upper() for ch in shown if ch.isalnum()), "")


def _language_code(combo: QComboBox) -> str:
    text = combo.currentText().strip()
    index = combo.findText(text)
    return str(combo.itemData(index)) if index >= 0 else text
