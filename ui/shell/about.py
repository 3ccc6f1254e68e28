"""Help ▸ About CM Planner."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from cmplanner import APP_ID, APP_NAME, __version__
from cmplanner.i18n import _

ABOUT_HTML = "<h3>{name} {version}</h3><p>{what}</p><p>{licence}</p><p><small>{app_id}</small></p>"


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        _("About CM Planner"),
        ABOUT_HTML.format(
            name=APP_NAME,
            version=__version__,
            what=_(
                "Plan real-world community life: contacts, events, invitations and "
                "printable documents."
            ),
            licence=_(
                "Free software under the GNU General Public License, version 3 or later "
                "(GPL-3.0-or-later)."
            ),
            app_id=APP_ID,
        ),
    )
