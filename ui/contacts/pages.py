"""The contact editor's pages: the card (names, dates, e-mails, phones, addresses), links
(organizations, communities, tags), keeping in touch (channel, language, cadence, consent,
notes) and history (interactions, upcoming events, past attendance)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import _
from cmplanner.model.enums import Channel, ConsentScope
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.services.vocabulary import Vocabulary
from ui.contacts.fields import (
    EMAIL_LABELS,
    PHONE_LABELS,
    AddressRow,
    AffiliationRow,
    LabelledRow,
    MembershipRow,
    PartialDateEdit,
    RowList,
    TagEdit,
    attendance_model,
    interactions_model,
    small_table,
)
from ui.kit import accessible
from ui.kit.date_fields import date_edit
from ui.kit.forms import error_label
from ui.kit.sizing import scaled

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


class FormPage(QWidget):
    """A page of fields in a form; `edited` as they are typed in, `left` when one is left."""

    edited = Signal()
    left = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.form = QFormLayout(self)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setContentsMargins(12, 12, 12, 12)
        self.form.setVerticalSpacing(10)

    def _line(self, text: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda _t: self.edited.emit())
        edit.editingFinished.connect(self.left.emit)
        return edit


class CardPage(FormPage):
    """Names, birthday and anniversary, e-mails, phones and addresses."""

    def __init__(self, data: ContactData) -> None:
        super().__init__()
        form = self.form
        self._build_names(form, data)
        self._build_dates(form, data)
        self._build_rows(form, data)

    def _build_names(self, form: QFormLayout, data: ContactData) -> None:
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
        self.name_error = error_label(self)
        affixes = QHBoxLayout()
        affixes.setSpacing(6)
        for field in (self.name_prefix, self.name_suffix):
            field.setMaximumWidth(scaled(180))
        affixes.addWidget(self.name_prefix, 1)
        affixes.addSpacing(12)
        affixes.addWidget(QLabel(_("Suffix:"), self))
        affixes.addWidget(self.name_suffix, 1)
        affixes.addStretch(1)
        form.addRow(_("First name:"), self.given_name)
        form.addRow(_("Last name:"), self.family_name)
        form.addRow(_("Nickname:"), self.nickname)
        form.addRow("", self.name_error)
        form.addRow(_("Name prefix:"), affixes)
        form.addRow(_("Shown as:"), self.formatted_name)

    def _build_dates(self, form: QFormLayout, data: ContactData) -> None:
        self.birthday = PartialDateEdit(data.birthday, self.edited.emit, self.left.emit, self)
        self.birthday.setObjectName("birthday")
        self.anniversary = PartialDateEdit(data.anniversary, self.edited.emit, self.left.emit, self)
        self.anniversary.setObjectName("anniversary")
        for partial, title in (
            (self.birthday, _("Birthday")),
            (self.anniversary, _("Anniversary")),
        ):
            accessible.name(partial.edit, title, partial.edit.placeholderText())
        form.addRow(_("Birthday:"), self.birthday)
        form.addRow(_("Anniversary:"), self.anniversary)

    def _build_rows(self, form: QFormLayout, data: ContactData) -> None:
        def email_row(value: Labelled | None) -> LabelledRow:
            return LabelledRow(
                value,
                EMAIL_LABELS,
                "name@example.org",
                self.edited.emit,
                self.left.emit,
                self,
                name=_("E-mail"),
            )

        def phone_row(value: Labelled | None) -> LabelledRow:
            return LabelledRow(
                value,
                PHONE_LABELS,
                "06 12 34 56 78",
                self.edited.emit,
                self.left.emit,
                self,
                name=_("Phone number"),
            )

        self.emails = RowList(email_row, _("+ Add an e-mail"), self.edited.emit, self)
        self.phones = RowList(phone_row, _("+ Add a phone number"), self.edited.emit, self)
        self.addresses = RowList(
            lambda v: AddressRow(v, self), _("+ Add an address"), self.edited.emit, self
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


class LinksPage(FormPage):
    """Organizations (and the role in each), communities, tags."""

    def __init__(self, data: ContactData, vocabulary: Vocabulary) -> None:
        super().__init__()
        form = self.form
        organizations = vocabulary.organizations
        communities = vocabulary.communities
        self.affiliations = RowList(
            lambda v: AffiliationRow(v, organizations, self),
            _("+ Add an organization"),
            self.edited.emit,
            self,
        )
        self.memberships = RowList(
            lambda v: MembershipRow(v, communities, self),
            _("+ Add a community"),
            self.edited.emit,
            self,
        )
        for affiliation in data.affiliations:
            self.affiliations.add_row(affiliation)
        for membership in data.communities:
            self.memberships.add_row(membership)
        self.tags = TagEdit(data.tags, [t.name for t in vocabulary.tags], self)
        form.addRow(_("Organizations:"), self.affiliations)
        form.addRow(_("Communities:"), self.memberships)
        form.addRow(_("Tags:"), self.tags)


class KeepInTouchPage(FormPage):
    """Preferred channel, language, cadence, consent and notes."""

    def __init__(self, data: ContactData) -> None:
        super().__init__()
        form = self.form
        self.channel = QComboBox(self)
        for channel in Channel:
            self.channel.addItem(channel.label, channel.value)
        self.channel.setCurrentIndex(max(0, self.channel.findData(data.preferred_channel)))
        self.language = QComboBox(self)
        self.language.setEditable(True)
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        index = self.language.findData(data.language)
        if index >= 0:
            self.language.setCurrentIndex(index)
        else:
            self.language.setEditText(data.language)

        self.keep_in_touch = QCheckBox(_("Get in touch every"), self)
        self.cadence = QSpinBox(self)
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

        self.consent_scope = QComboBox(self)
        scope_texts = {
            ConsentScope.NONE: _("No consent recorded"),
            ConsentScope.CONTACT: _("May be contacted"),
            ConsentScope.CONTACT_PHOTOS: _("May be contacted and photographed"),
        }
        for scope in ConsentScope:
            self.consent_scope.addItem(scope_texts[scope], scope.value)
        self.consent_scope.setCurrentIndex(max(0, self.consent_scope.findData(data.consent_scope)))
        self.consent_given = QCheckBox(_("Given on"), self)
        self.consent_date = date_edit(self, data.consent_date)
        accessible.name_after(self.consent_date, self.consent_given, _("The day consent was given"))
        self.consent_given.setChecked(data.consent_date is not None)
        self.consent_date.setEnabled(data.consent_date is not None)
        self.consent_given.toggled.connect(self.consent_date.setEnabled)
        consent_when = QHBoxLayout()
        consent_when.addWidget(self.consent_given)
        consent_when.addWidget(self.consent_date)
        consent_when.addStretch(1)
        self.consent_source = QLineEdit(data.consent_source, self)
        self.consent_source.setPlaceholderText(_("e.g. sign-up form at the March meetup"))
        self.notes = QPlainTextEdit(data.notes, self)
        self.notes.setPlaceholderText(_("Anything worth remembering about this person"))
        self.notes.setMinimumHeight(120)

        form.addRow(_("Preferred channel:"), self.channel)
        form.addRow(_("Language:"), self.language)
        form.addRow(_("Keep in touch:"), cadence)
        form.addRow(_("Consent:"), self.consent_scope)
        form.addRow("", consent_when)
        form.addRow(_("Source of consent:"), self.consent_source)
        form.addRow(_("Notes:"), self.notes)


class HistoryPage(QWidget):
    """Interactions, upcoming events and past attendance (read-only)."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.interactions = interactions_model(self)
        self.upcoming = attendance_model(self, past=False)
        self.past = attendance_model(self, past=True)
        top = QHBoxLayout()
        self.last_seen = QLabel(self)
        self.last_seen.setObjectName("hint")
        self.add_interaction_button = QPushButton(_("Add an interaction…"), self)
        top.addWidget(self.last_seen, 1)
        top.addWidget(self.add_interaction_button)
        layout.addLayout(top)
        for title, model, stretch in (
            (_("Interactions"), self.interactions, 3),
            (_("Upcoming events"), self.upcoming, 2),
            (_("Past attendance"), self.past, 2),
        ):
            label = QLabel(title, self)
            label.setObjectName("sectionTitle")
            layout.addWidget(label)
            layout.addWidget(small_table(self, model, title), stretch)
