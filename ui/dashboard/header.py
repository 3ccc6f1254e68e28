"""The home screen's top line: today's date, how many records of each kind, and Export. The
first paint shows it (one cheap count); the figures come after."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QSizePolicy, QToolButton, QWidget

from cmplanner.i18n import N_, _
from ui.kit.display import format_int
from ui.kit.flow_layout import FlowLayout

# (kind, caption msgid); the caption is translated where shown.
COUNTED = (
    ("contacts", N_("Contacts")),
    ("organizations", N_("Organizations")),
    ("communities", N_("Communities")),
    ("events", N_("Events")),
    ("tasks", N_("Tasks")),
)


class DashboardHeader:
    """Its widgets are the view's children (in its Tab order); `layout` goes on top."""

    def __init__(
        self,
        view: QWidget,
        export_png: Callable[[], object],
        export_pdf: Callable[[], object],
        update_export_menu: Callable[[], None],
    ) -> None:
        self.today = QLabel(view)
        self.today.setObjectName("pageSubtitle")
        # The date takes the room left on its line; in a narrow window the counts wrap.
        self.today.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        header = self.layout = FlowLayout(spacing=14, wrapped_to_the_right=True)
        header.addWidget(self.today)
        self.numbers: dict[str, QLabel] = {}
        for name, caption in COUNTED:
            tile = QFrame(view)
            tile.setObjectName("countTile")
            box = QHBoxLayout(tile)
            box.setContentsMargins(10, 3, 10, 3)
            box.setSpacing(5)
            number = QLabel("–", tile)
            number.setObjectName("countNumber")
            label = QLabel(_(caption), tile)
            label.setObjectName("countCaption")
            box.addWidget(number)
            box.addWidget(label)
            self.numbers[name] = number
            header.addWidget(tile)
        self.export_button = QToolButton(view)
        self.export_button.setObjectName("dashboardExport")
        self.export_button.setText(_("Export"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        self.png_action = export_menu.addAction(_("Export as &PNG…"), export_png)
        self.pdf_action = export_menu.addAction(_("Export as P&DF…"), export_pdf)
        export_menu.aboutToShow.connect(update_export_menu)
        self.export_button.setMenu(export_menu)
        header.addWidget(self.export_button)

    def show_counts(self, counts: dict[str, int]) -> None:
        for name, number in self.numbers.items():
            number.setText(format_int(counts.get(name, 0)))

    def clear_counts(self) -> None:
        for number in self.numbers.values():
            number.setText("–")
