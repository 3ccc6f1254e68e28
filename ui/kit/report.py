"""The report a calendar file or a publish ends with: a title line and details, also said on
the window's status bar."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from cmplanner.i18n import _
from ui.kit import accessible, theme


def tell(parent: QWidget | None, text: str) -> None:
    window = parent.window() if parent is not None else None
    show = getattr(window, "show_message", None)
    if callable(show):
        show(text)


def escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def heading(text: str) -> str:
    return "<p><b>" + escape(text) + "</b></p>"


class ReportDialog(QDialog):
    """The result of an import, of replies read, or of a publish: a title line and details."""

    def __init__(self, title: str, headline: str, body_html: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarReport")
        self.setWindowTitle(title)
        self.headline = QLabel(headline, self)
        self.headline.setObjectName("reportHeadline")
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.details = QTextBrowser(self)
        self.details.setObjectName("reportDetails")
        accessible.name(self.details, _("Details"))
        self.details.setOpenLinks(False)
        theme.show_html(self.details, body_html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(620, 440)

    def text(self) -> str:
        return self.headline.text() + "\n" + self.details.toPlainText()


def show_report(parent: QWidget | None, dialog: ReportDialog) -> ReportDialog:
    if parent is not None:
        parent.calendar_report = dialog  # type: ignore[attr-defined]  # tests read it
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.open()
    return dialog
