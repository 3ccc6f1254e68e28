"""Qt's own strings in the app's language: Qt's catalog (qtbase_xx), plus the few it lacks.

Qt 6 gave some labels a mnemonic ("&Look in:", "Files of &type:") that its French catalog
has not caught up with, so the file and print dialogs showed them in English. Those are in our
catalog instead, under their Qt context (msgctxt), and a translator installed after Qt's own
answers for them only.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QObject, QTranslator
from PySide6.QtWidgets import QApplication

from cmplanner.i18n import NP_, pgettext

# (Qt context, source text) of the strings Qt's catalogs leave untranslated.
QT_GAPS = frozenset(
    {
        NP_("QFileDialog", "&Look in:"),
        NP_("QFileDialog", "Files of &type:"),
        NP_("QPrintSettingsOutput", "Page &Set:"),
        NP_("QPageSetupWidget", "Page &order:"),
        NP_("QPageSetupWidget", "Pages &per sheet:"),
    }
)


class QtCatalogGaps(QTranslator):
    """Answers Qt's lookups for `QT_GAPS` from our catalog; None (not ours) for the rest."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if (context, source) not in QT_GAPS:
            return None
        text = pgettext(context, source)
        return text if text != source else None

    def isEmpty(self) -> bool:
        return False


_installed: list[QTranslator] = []


def install_qt_translations(app: QApplication, language: str) -> None:
    """Replace the Qt translators installed before by those of `language` (none for English)."""
    while _installed:
        app.removeTranslator(_installed.pop())
    if language == "en":
        return
    owner: QObject = app
    qt = QTranslator(owner)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    gaps = QtCatalogGaps(owner)
    app.installTranslator(gaps)
    _installed.append(gaps)
