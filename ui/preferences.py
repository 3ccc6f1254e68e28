"""Preferences: the interface language (applied at the next start), and the database's
default phone region (national numbers are read in it)."""

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
from cmplanner.services import preferences
from cmplanner.storage import Database
from ui import settings


def phone_regions() -> list[tuple[str, str]]:
    """(region code, "France (FR, +33)") for every region phonenumbers knows, by name."""
    import phonenumbers
    from PySide6.QtCore import QLocale

    out = []
    for region in phonenumbers.SUPPORTED_REGIONS:
        name = QLocale.territoryToString(QLocale.codeToTerritory(region))
        code = phonenumbers.country_code_for_region(region)
        out.append((region, f"{name} ({region}, +{code})"))
    return sorted(out, key=lambda item: item[1].casefold())


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, db: Database | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Preferences"))
        self.db = db
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

        self.region = QComboBox(self)
        self.region.setObjectName("phoneRegion")
        self.region.setEditable(True)  # type "DE" to jump there
        for code, text in phone_regions():
            self.region.addItem(text, code)
        self._saved_region = preferences.phone_region(db) if db is not None else "FR"
        self.region.setCurrentIndex(max(0, self.region.findData(self._saved_region)))
        self.region.setToolTip(
            _(
                "Phone numbers typed without a country code (06 12 34 56 78) are read as "
                "numbers of this country."
            )
        )
        self.region.setEnabled(db is not None)
        form.addRow(_("Default phone region:"), self.region)

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
        self.resize(460, 200)

    def accept(self) -> None:
        self.save()
        super().accept()

    def save(self) -> None:
        settings.app_settings().setValue(settings.LANGUAGE, self.language.currentData() or "")
        region = self.chosen_region()
        if self.db is not None and region and region != self._saved_region:
            preferences.put(self.db, preferences.PHONE_REGION, region)

    def chosen_region(self) -> str:
        text = self.region.currentText().strip()
        index = self.region.findText(text)
        if index < 0 and len(text) == 2:
            index = self.region.findData(text.upper())  # a code typed in: "de"
        return str(self.region.itemData(index) if index >= 0 else self.region.currentData() or "")

    def changed_language(self) -> bool:
        return (self.language.currentData() or "") != settings.saved_language()
