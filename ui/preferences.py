"""Preferences: the interface language (applied at the next start)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import _
from ui import settings


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Preferences"))
        self.language = QComboBox(self)
        # Language names are written in their own language, so anyone can find theirs.
        self.language.addItem(_("System language"), "")
        self.language.addItem("Français", "fr")
        self.language.addItem("English", "en")
        current = settings.saved_language()
        self.language.setCurrentIndex(max(0, self.language.findData(current)))

        note = QLabel(_("A new language is used the next time CM Planner starts."), self)
        note.setObjectName("hint")
        note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_("Language:"), self.language)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(420, 160)

    def accept(self) -> None:
        self.save()
        super().accept()

    def save(self) -> None:
        settings.app_settings().setValue(settings.LANGUAGE, self.language.currentData() or "")

    def changed_language(self) -> bool:
        return (self.language.currentData() or "") != settings.saved_language()
