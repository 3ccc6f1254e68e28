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
)
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _, ngettext
from cmplanner.interop.photo import JPEG_QUALITY, PHOTO_MAX_SIDE
from cmplanner.model.enums import Channel
from cmplanner.model.names import family_name_first
from cmplanner.services import contacts as contact_service
from cmplanner.services import preferences
from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.services.contact_data import (
    ContactData,
    ContactDetails,
    FieldProblem,
)
from cmplanner.services.validation import check_contact
from cmplanner.services.vocabulary import Vocabulary
from cmplanner.storage import Database
from ui.communities.commitments import CommitmentsPanel
from ui.contacts import commands
from ui.contacts.fields import set_error
from ui.contacts.pages import CardPage, HistoryPage, KeepInTouchPage, LinksPage
from ui.kit import accessible, file_dialogs
from ui.kit.date_fields import DateTimeEdit
from ui.kit.display import format_datetime
from ui.kit.forms import error_label, save_cancel, scroll_area
from ui.kit.jobs import run_in_background
from ui.kit.sizing import resize_within_screen
from ui.kit.unsaved import UnsavedChangesGuard

VALIDATE_DELAY_MS = 400
PHOTO_SIZE = 96
# Stored photos are scaled down to this (the database stays small), as imported ones are.
PHOTO_MAX_PIXELS = PHOTO_MAX_SIDE
IMAGE_FILTER = N_("Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp);;All files (*)")


@dataclass(frozen=True)
class EditorInput:
    """What the editor needs, read on the worker before it opens."""

    details: ContactDetails | None  # None: a new contact
    region: str
    vocabulary: Vocabulary


def load_editor_input(db: Database, contact_id: int | None) -> EditorInput:
    details = contact_service.get_details(db, contact_id) if contact_id is not None else None
    return EditorInput(details, preferences.phone_region(db), vocabulary_service.vocabulary(db))


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

        self._build_pages(data)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(scroll_area(self.card), _("Card"))
        self.tabs.addTab(scroll_area(self.links), _("Organizations and communities"))
        self.tabs.addTab(scroll_area(self.keeping), _("Keeping in touch"))
        self.tabs.addTab(self.history, _("History"))
        self.tabs.setTabEnabled(3, self.details is not None)
        self.promises: CommitmentsPanel | None = None
        if self.details is not None:
            self._add_promises(self.details)

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

    def _build_pages(self, data: ContactData) -> None:
        """The card, links, keeping in touch and history pages; their fields by the names the
        rest of the application uses."""
        self.card = card = CardPage(data)
        self.links = links = LinksPage(data, self.vocabulary)
        self.keeping = keeping = KeepInTouchPage(data)
        self.history = history = HistoryPage()
        for page in (card, links):
            page.edited.connect(self._edited)
            page.left.connect(self._left_field)
        history.add_interaction_button.clicked.connect(self.add_interaction)
        self.given_name, self.family_name, self.nickname = (
            card.given_name,
            card.family_name,
            card.nickname,
        )
        self.name_prefix, self.name_suffix = card.name_prefix, card.name_suffix
        self.formatted_name, self.name_error = card.formatted_name, card.name_error
        self.birthday, self.anniversary = card.birthday, card.anniversary
        self.emails, self.phones, self.addresses = card.emails, card.phones, card.addresses
        self.affiliations, self.memberships = links.affiliations, links.memberships
        self.tags = links.tags
        self.channel, self.language, self.notes = keeping.channel, keeping.language, keeping.notes
        self.keep_in_touch, self.cadence = keeping.keep_in_touch, keeping.cadence
        self.consent_scope, self.consent_given = keeping.consent_scope, keeping.consent_given
        self.consent_date, self.consent_source = keeping.consent_date, keeping.consent_source
        self.interactions, self.last_seen = history.interactions, history.last_seen
        self.upcoming, self.past = history.upcoming, history.past

    def _add_promises(self, details: ContactDetails) -> None:
        """Open promises made to this person; they are saved as they are made (undoable)."""
        self.promises = CommitmentsPanel(
            self.db,
            self._push,
            contact_id=details.id,
            names={"contact": details.data.display_name},
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
        set_error(self.given_name, self.name_error, by_field.get("given_name"))
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
