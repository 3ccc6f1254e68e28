"""The General page: the interface language (applied at the next start), the appearance (the
system's colours, light or dark, applied at once) and the database's default phone region."""

from __future__ import annotations

import phonenumbers
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from cmplanner.i18n import _
from ui.kit import settings, theme
from ui.preferences.page import FormPage, hint


def phone_regions() -> list[tuple[str, str]]:
    """(region code, "France (FR, +33)") for every region phonenumbers knows, by name."""
    out = []
    for region in phonenumbers.SUPPORTED_REGIONS:
        name = QLocale.territoryToString(QLocale.codeToTerritory(region))
        code = phonenumbers.country_code_for_region(region)
        out.append((region, f"{name} ({region}, +{code})"))
    return sorted(out, key=lambda item: item[1].casefold())


class GeneralPage(FormPage):
    """The phone region shows France until `fill_region` brings the saved one."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        form = self.form
        self.language = QComboBox(self)
        # Language names are written in their own language, so anyone can find theirs.
        self.language.addItem(_("System language"), "")
        self.language.addItem("Français", "fr")
        self.language.addItem("English", "en")
        current = self._initial_language = settings.saved_language()
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        form.addRow(_("Language:"), self.language)
        form.addRow("", hint(_("A new language is used the next time CM Planner starts."), self))

        self.appearance = QComboBox(self)
        self.appearance.setObjectName("appearance")
        self.appearance.addItem(_("System (follows the desktop)"), theme.SYSTEM)
        self.appearance.addItem(_("Light"), theme.LIGHT)
        self.appearance.addItem(_("Dark"), theme.DARK)
        self._initial_appearance = theme.saved_appearance()
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(self._initial_appearance)))
        form.addRow(_("Appearance:"), self.appearance)

        self.region = QComboBox(self)
        self.region.setObjectName("phoneRegion")
        self.region.setEditable(True)  # type "DE" to jump there
        for code, text in phone_regions():
            self.region.addItem(text, code)
        self._saved_region = "FR"
        self.region.setCurrentIndex(max(0, self.region.findData(self._saved_region)))
        self.region.setToolTip(
            _(
                "Phone numbers typed without a country code (06 12 34 56 78) are read as "
                "numbers of this country."
            )
        )
        form.addRow(_("Default phone region:"), self.region)
        self.page_layout.addStretch(1)

    def save_settings(self) -> None:
        """The language and the appearance, kept in the application's settings."""
        settings.app_settings().setValue(settings.LANGUAGE, self.language.currentData() or "")
        self._save_appearance()

    def _save_appearance(self) -> None:
        """A new appearance is shown at once, in every window."""
        appearance = str(self.appearance.currentData() or theme.SYSTEM)
        if appearance == self._initial_appearance:
            return
        settings.app_settings().setValue(settings.APPEARANCE, appearance)
        self._initial_appearance = appearance
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, appearance)

    def fill_region(self, region: str) -> None:
        self._saved_region = region
        self.region.setCurrentIndex(max(0, self.region.findData(region)))

    def changed_region(self) -> str:
        """The region chosen when it is not the saved one, else ""."""
        region = self.chosen_region()
        return region if region and region != self._saved_region else ""

    def region_saved(self, region: str) -> None:
        self._saved_region = region

    def chosen_region(self) -> str:
        text = self.region.currentText().strip()
        index = self.region.findText(text)
        if index < 0 and len(text) == 2:
            index = self.region.findData(text.upper())  # a code typed in: "de"
        return str(self.region.itemData(index) if index >= 0 else self.region.currentData() or "")

    def changed_language(self) -> bool:
        return (self.language.currentData() or "") != self._initial_language
