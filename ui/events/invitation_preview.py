"""The Invitations dialog's preview: the e-mail and the .ics one guest gets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget

from cmplanner.i18n import _
from ui.kit import accessible


def _mono(parent: QWidget, name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setObjectName(name)
    edit.setReadOnly(True)
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return edit


class InvitationPreview(QTabWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("invitationsPreview")
        accessible.name(self, _("Preview"))
        mail_page = QWidget(self)
        self.subject = QLabel(mail_page)
        self.subject.setObjectName("previewSubject")
        self.subject.setWordWrap(True)
        self.subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body = QPlainTextEdit(mail_page)
        self.body.setObjectName("previewBody")
        accessible.name(self.body, _("E-mail"))
        self.body.setReadOnly(True)
        mail_layout = QVBoxLayout(mail_page)
        mail_layout.setContentsMargins(6, 6, 6, 6)
        mail_layout.addWidget(self.subject)
        mail_layout.addWidget(self.body, 1)
        self.calendar = _mono(self, "previewCalendar")
        accessible.name(self.calendar, _("Calendar (.ics)"))
        self.addTab(mail_page, _("E-mail"))
        self.addTab(self.calendar, _("Calendar (.ics)"))

    def show_nothing(self, reason: str) -> None:
        """Nothing is sent to this guest, for `reason`."""
        self.subject.setText(reason)
        self.body.clear()
        self.calendar.clear()

    def show_message(self, name: str, email: str, subject: str, body: str, ics: str) -> None:
        self.subject.setText(_("Subject: {subject}").format(subject=subject))
        bold = QFont(self.subject.font())
        bold.setBold(True)
        self.subject.setFont(bold)
        self.body.setPlainText(
            _("To: {name} <{email}>").format(name=name, email=email) + "\n\n" + body
        )
        self.calendar.setPlainText(ics)
