"""The calendar's controls: today, previous, next and the title; the community shown and what
colours say; month, week or agenda; export. On one line of a wide window, wrapped on a
laptop's. Connected by the view (ui/calendar/view.py), its navigation (navigation.py) and its
filters (filters.py)."""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QDate, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QWidget,
)

from cmplanner.i18n import _
from ui.calendar.look import CANCELLED, community_colour, status_colour, swatch_icon
from ui.kit import theme
from ui.kit.display import app_locale
from ui.kit.flow_layout import FlowLayout, side_by_side
from ui.kit.icons import themed_icon
from ui.kit.sizing import scaled


class CalendarToolbar(QObject):
    """The controls, made on the view (its children, in its Tab order)."""

    def __init__(self, view: QWidget, community: str | None, colour_by: str) -> None:
        super().__init__(view)
        self._build_moving(view)
        self._build_community(view, community)
        self._build_colours(view, colour_by)
        self._build_modes(view)
        self._arrange(view)

    def _build_moving(self, view: QWidget) -> None:
        """Today, previous, next, and the title saying what is shown."""
        self.today_button = QPushButton(_("Today"), view)
        self.today_button.setObjectName("calendarToday")
        self.today_button.setToolTip(_("Today (Ctrl+T)"))
        self.previous_button = QPushButton("‹", view)
        self.previous_button.setObjectName("calendarPrevious")
        self.previous_button.setToolTip(_("Previous (Page Up)"))
        self.previous_button.setAccessibleName(_("Previous"))  # its text is an arrow
        self.previous_button.setFixedWidth(scaled(36))
        self.next_button = QPushButton("›", view)
        self.next_button.setObjectName("calendarNext")
        self.next_button.setToolTip(_("Next (Page Down)"))
        self.next_button.setAccessibleName(_("Next"))
        self.next_button.setFixedWidth(scaled(36))
        self.title = QLabel(view)
        self.title.setObjectName("calendarTitle")
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title.setFont(title_font)

    def _build_community(self, view: QWidget, community: str | None) -> None:
        self.community_combo = QComboBox(view)
        self.community_combo.setObjectName("calendarCommunity")
        self.community_combo.setToolTip(_("Show the events of one community"))
        self.community_combo.setAccessibleName(_("Community"))
        # Long community names must not widen the window: the combo's pop-up shows them whole.
        # Its width is the room "All communities" takes (in x's, as Qt counts it), no more.
        self.community_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        # Qt counts X's and adds an icon's room, which a text without an icon also takes.
        metrics = self.community_combo.fontMetrics()
        icon = self.community_combo.iconSize().width() + 4
        text = metrics.horizontalAdvance(_("All communities"))
        room = (text - icon) / metrics.horizontalAdvance("X")
        self.community_combo.setMinimumContentsLength(max(12, math.ceil(room) + 1))
        self.community_combo.addItem(_("All communities"), None)
        if community:
            self.community_combo.addItem(community, community)
            self.community_combo.setCurrentIndex(1)

    def _build_colours(self, view: QWidget, colour_by: str) -> None:
        self.colour_combo = QComboBox(view)
        self.colour_combo.setObjectName("calendarColour")
        self.colour_combo.setAccessibleName(_("Colours"))
        self.colour_combo.setAccessibleDescription(
            _("What the colour of an event says: its community or its status")
        )
        self.colour_combo.setToolTip(_("Colour the events by their community or their status"))
        # A few colours and short words: the calendar's controls hold on one line of a laptop.
        self.colour_combo.addItem(_("By community"), "community")
        self.colour_combo.addItem(_("By status"), "status")
        self.colour_combo.setCurrentIndex(1 if colour_by == "status" else 0)

    def _build_modes(self, view: QWidget) -> None:
        """Month, week, agenda (one of them checked), and the export menu."""
        self.month_button = QPushButton(_("Month"), view)
        self.week_button = QPushButton(_("Week"), view)
        self.agenda_button = QPushButton(_("Agenda"), view)
        for button in (self.month_button, self.week_button, self.agenda_button):
            button.setObjectName("calendarMode")  # as wide as its word (app.qss)
        self.export_button = QToolButton(view)
        self.export_button.setObjectName("calendarExport")
        # An icon (named and explained) keeps the calendar's controls on one line.
        self.export_button.setText(_("Export"))
        self.export_button.setAccessibleName(_("Export"))
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.export_button.setToolTip(
            _(
                "Export: save these events as a calendar file (.ics) for Outlook, Google or "
                "Apple Calendar"
            )
        )
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        self.export_shown_action = export_menu.addAction(_("The dates shown (.ics)…"))
        self.export_shown_action.setObjectName("calendarExportShown")
        self.export_all_action = export_menu.addAction(_("Every date (.ics)…"))
        self.export_all_action.setObjectName("calendarExportAll")
        self.export_button.setMenu(export_menu)
        self.themed_icons()
        theme.notifier().changed.connect(self.themed_icons)
        self.switch = QButtonGroup(view)
        for button in (self.month_button, self.week_button, self.agenda_button):
            button.setCheckable(True)
            self.switch.addButton(button)
        self.month_button.setChecked(True)

    def _arrange(self, view: QWidget) -> None:
        # The title takes the room left on its line; in a narrow window (a laptop's screen)
        # what does not fit goes to a second line.
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar = self.layout = FlowLayout(spacing=8, wrapped_to_the_right=True)
        moving = (self.today_button, self.previous_button, self.next_button)
        modes = (self.month_button, self.week_button, self.agenda_button, self.export_button)
        toolbar.addWidget(side_by_side(view, *moving))
        toolbar.addWidget(self.title)
        toolbar.addWidget(side_by_side(view, self.community_combo, self.colour_combo))
        toolbar.addWidget(side_by_side(view, *modes))

    def themed_icons(self, _scheme: str = "") -> None:
        """The export icon, and a few colours of each colouring, in the scheme shown."""
        self.export_button.setIcon(themed_icon("export"))
        samples = {
            "community": [community_colour(n) for n in range(3)],
            "status": [status_colour(s) for s in ("planned", "confirmed", CANCELLED)],
        }
        combo = self.colour_combo
        size = combo.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        combo.setIconSize(QSize(size * 2, size))
        for index in range(combo.count()):
            colours = samples[str(combo.itemData(index))]
            combo.setItemIcon(index, swatch_icon(colours, size, combo.devicePixelRatioF()))

    def show_range(self, mode: str, first: dt.date, last: dt.date, anchor: dt.date) -> None:
        """The title: the month, or the days of the week or of the agenda."""
        locale = app_locale()
        if mode in ("agenda", "week"):
            # "23 – 29 nov. 2026" within a month, "30 nov. – 6 déc. 2026" within a year.
            if (first.year, first.month) == (last.year, last.month):
                first_format = "d"
            elif first.year == last.year:
                first_format = "d MMM"
            else:
                first_format = "d MMM yyyy"
            text = "{first} – {last}".format(
                first=locale.toString(QDate(first.year, first.month, first.day), first_format),
                last=locale.toString(QDate(last.year, last.month, last.day), "d MMM yyyy"),
            )
        else:
            text = locale.toString(QDate(anchor.year, anchor.month, 1), "MMMM yyyy")
        self.title.setText(text[:1].upper() + text[1:])

    def show_communities(self, names: list[str]) -> None:
        """The communities to choose from, without telling the view (the one shown stays)."""
        combo = self.community_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("All communities"), None)
        for name in names:
            combo.addItem(name, name)
        combo.blockSignals(False)
