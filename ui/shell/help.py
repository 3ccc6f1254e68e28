"""Help ▸ CM Planner help (F1): what each section is for, the keyboard shortcuts (read from
the main window's own actions, so the list is always the one in force), and how to type
dates."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from cmplanner.i18n import N_, _
from ui.calendar.keys import CALENDAR_KEYS
from ui.kit import accessible

SECTION_HELP = (
    (N_("Dashboard"), N_("What is due, which community is fading, who is drifting away.")),
    (N_("Contacts"), N_("The people: cards, tags, communities, who met whom.")),
    (N_("Organizations"), N_("Associations, partners, sponsors, venues and their people.")),
    (N_("Communities"), N_("The groups you animate, their members by role, their dossier.")),
    (N_("Events"), N_("Plan, invite, check in at the door, close and debrief.")),
    (N_("Calendar"), N_("The month, the week or the agenda; drag an event to move it.")),
    (N_("Tasks"), N_("The checklists of the events and your own tasks.")),
)
# Keys that belong to every editor rather than to a menu.
EDITOR_KEYS = (
    ("Ctrl+S", N_("Save the editor")),
    ("Esc", N_("Close the editor (it asks when something was changed)")),
    ("Tab", N_("Next field")),
    ("Shift+Tab", N_("Previous field")),
)
# Keys of every list, table and window.
EVERYWHERE_KEYS = (
    ("Menu, Shift+F10", N_("The menu of the current row, as a right-click opens it")),
    ("Alt", N_("With the underlined letter: that menu, menu item or button")),
)


def _key(sequence: QKeySequence | str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def _keys(sequences: str) -> str:
    """ "Alt+Left, Alt+Right" in the platform's words."""
    return ", ".join(_key(k.strip()) for k in sequences.split(","))


def help_html(commands: dict[str, Any]) -> str:
    """The help page; `commands` are the main window's actions (name → QAction)."""
    rows = []
    for action in commands.values():
        keys = ", ".join(_key(k) for k in action.shortcuts() if not k.isEmpty())
        if keys:
            text = action.text().replace("&", "").rstrip("…")
            rows.append((keys, text))
    rows += [(_key(keys), _(what)) for keys, what in EDITOR_KEYS]
    rows += [(_keys(keys), _(what)) for keys, what in EVERYWHERE_KEYS]
    rows += [(_keys(keys), _(what)) for keys, what in CALENDAR_KEYS]
    sections = "".join(
        f"<li><b>{html.escape(_(name))}</b> — {html.escape(_(what))}</li>"
        for name, what in SECTION_HELP
    )
    shortcuts = "".join(
        f"<tr><td style='padding-right:16px'><code>{html.escape(keys)}</code></td>"
        f"<td>{html.escape(text)}</td></tr>"
        for keys, text in rows
    )
    dates = _(
        "Every date can be typed: 12/03/2027, 12 March, 12 March 2027, +7 (in seven days), "
        "-1, tomorrow, Thursday (the next one); and times: 19:30, 7:30 pm, 19h30. The "
        "calendar button picks a day instead."
    )
    titles = [
        html.escape(t) for t in (_("The sections"), _("Keyboard shortcuts"), _("Typing dates"))
    ]
    return (
        f"<h3>{titles[0]}</h3><ul>{sections}</ul>"
        f"<h3>{titles[1]}</h3><table>{shortcuts}</table>"
        f"<h3>{titles[2]}</h3><p>{html.escape(dates)}</p>"
    )


class HelpDialog(QDialog):
    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("helpDialog")
        self.setWindowTitle(_("CM Planner help"))
        self.text = QTextBrowser(self)
        self.text.setObjectName("helpText")
        accessible.name(self.text, _("CM Planner help"))
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(help_html(window.commands))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(560, 600)
