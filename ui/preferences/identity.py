"""The Identity page: the name and e-mail invitations are sent from, kept in the database."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from cmplanner.i18n import _
from cmplanner.services.validation import normalize_email
from ui.preferences.page import FormPage, hint


class IdentityPage(FormPage):
    def __init__(self, parent: QWidget, show_page: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.show_page = show_page
        form, layout = self.form, self.page_layout
        self.identity_name = QLineEdit(self)
        self.identity_name.setObjectName("identityName")
        self.identity_name.setPlaceholderText(_("Zoé Lefèvre"))
        self.identity_email = QLineEdit(self)
        self.identity_email.setObjectName("identityEmail")
        self.identity_email.setPlaceholderText(_("zoe@example.org"))
        self.identity_error = QLabel(self)
        self.identity_error.setObjectName("fieldError")
        self.identity_error.setWordWrap(True)
        self.identity_error.hide()
        form.addRow(_("Your name:"), self.identity_name)
        form.addRow(_("Your e-mail:"), self.identity_email)
        form.addRow("", self.identity_error)
        layout.addWidget(
            hint(
                _(
                    "Invitations are sent in this name and from this address; your guests' "
                    "answers come back to it. They are kept in this database."
                ),
                self,
            )
        )
        layout.addStretch(1)
        self.identity_email.textEdited.connect(lambda _t: self.identity_error.hide())

    def values(self) -> tuple[str, str] | None:
        """(name, normalised e-mail), or None after showing what is wrong."""
        name = self.identity_name.text().strip()
        text = self.identity_email.text().strip()
        if not text:
            return name, ""
        address, problem = normalize_email(text)
        if problem:
            self.identity_error.setText(
                _("“{email}” is not a valid e-mail address: {problem}").format(
                    email=text, problem=_(problem)
                )
            )
            self.identity_error.show()
            self.show_page("identity")
            self.identity_email.setFocus()
            return None
        return name, address

    def fill(self, name: str, email: str) -> None:
        self.identity_name.setText(name)
        self.identity_email.setText(email)
