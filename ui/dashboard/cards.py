"""One card per community on the home screen: the vitality light (with its words, never the
colour alone), the pace, attendance and new members charts, the figures and the launch
readiness checklist, each missing item with the button that fixes it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import N_, _, labelled, ngettext
from ui.dashboard.models import day_and_time, nice_date, percent
from ui.kit.display import format_int
from ui.kit.theme import repolish

# The lights: their colours are the style sheet's [vitality="…"] rules (ui.kit.theme's
# vitality_green…), in the scheme shown.
LIGHTS = ("green", "amber", "red", "unknown")
# What each light means, in words (read by screen readers, shown next to the dot).
LIGHT_WORDS = {
    "green": N_("Thriving"),
    "amber": N_("Needs attention"),
    "red": N_("Fading"),
    "unknown": N_("Not enough data yet"),
}
PACE_WORDS = {
    "green": N_("on pace"),
    "amber": N_("behind pace"),
    "red": N_("well behind pace"),
    "unknown": N_("no pace yet"),
}

# Readiness item → (button text msgid, what it does). "editor:<field>" opens the community
# editor on that field; "event" opens a new event of the community.
FIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "target_population": ((N_("Define the target…"), "editor:target"),),
    "objective": ((N_("Write the objective…"), "editor:objective"),),
    "sponsor": ((N_("Name a sponsor…"), "editor:members"),),
    "core_team": ((N_("Name the core team…"), "editor:members"),),
    "ambassadors": ((N_("Add ambassadors…"), "editor:members"),),
    "launch_period": (
        (N_("Plan an event…"), "event"),
        (N_("Set the launch date…"), "editor:launch"),
    ),
}


def fixes_for(item: Any) -> tuple[tuple[str, str], ...]:
    """The buttons of a missing item. The launch period needs a launch date first, then
    events planned after it."""
    fixes = FIXES.get(str(item.key), ())
    if str(item.key) == "launch_period":
        no_date = item.detail == _("No launch date set")
        fixes = tuple(f for f in fixes if (f[1] == "editor:launch") == no_date)
    return fixes


def light_text(light: str) -> str:
    return _(LIGHT_WORDS.get(str(light), LIGHT_WORDS["unknown"]))


def dot(light: str, size: int = 12, parent: QWidget | None = None) -> QLabel:
    """A round dot in the colour of a vitality light (the style sheet's vitalityDot)."""
    label = QLabel(parent)
    label.setObjectName("vitalityDot")
    label.setFixedSize(size, size)
    label.setStyleSheet(f"border-radius: {size // 2}px;")
    set_light(label, light)
    return label


def set_light(widget: QWidget, light: str) -> None:
    """Colour `widget` (a dot's fill, a label's text) as the light `light`."""
    light = str(light) if str(light) in LIGHTS else "unknown"
    if widget.property("vitality") != light:
        widget.setProperty("vitality", light)
        repolish(widget)


def _label(text: str, name: str, parent: QWidget, wrap: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


class Figure(QFrame):
    """A number with its caption (attendance, returning, seen)."""

    def __init__(self, value: str, caption: str, tip: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("cardFigure")
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(0)
        self.caption = caption
        self.value = _label(value, "cardFigureValue", self)
        box.addWidget(self.value)
        box.addWidget(_label(caption, "cardFigureCaption", self, wrap=True))
        self.setToolTip(tip)
        self.set_value(value)

    def set_value(self, value: str) -> None:
        self.value.setText(value)
        self.setAccessibleName(labelled(self.caption, value))


def _readiness_key(c: Any) -> tuple[Any, ...]:
    """What the checklist shows: the same key, the same widgets."""
    return tuple((str(i.key), i.ok, i.label, i.detail, i.need) for i in c.readiness)


class CommunityCard(QFrame):
    """A community's vitality. `fix(community_id, action)` asks the view to open what fixes
    a readiness item; `openCommunity(community_id)` opens the community editor.

    `set_community` shows new figures of the same community in the same widgets (the home
    screen updates its cards in place when it recomputes: nothing is rebuilt, the page is
    not laid out again unless a size changes)."""

    fix = Signal(int, str)
    openCommunity = Signal(int)
    openEvent = Signal(int)

    def __init__(self, community: Any, charts: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.charts = charts
        self.community: Any = None
        self.setObjectName("communityCard")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        self._build_heading(layout)
        self._build_pace(layout)
        self._build_figures(layout)
        self._build_charts(layout)
        self._build_readiness(layout)
        layout.addStretch(1)
        self.set_community(community)

    def _build_heading(self, layout: QVBoxLayout) -> None:
        """The name, the vitality number and its light; who and what is next."""
        top = QHBoxLayout()
        top.setSpacing(8)
        self.name_button = QPushButton(self)
        self.name_button.setObjectName("cardTitle")
        self.name_button.setFlat(True)
        self.name_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.name_button.setToolTip(_("Open the community"))
        self.name_button.clicked.connect(self._open_community)
        top.addWidget(self.name_button, 1, Qt.AlignmentFlag.AlignLeft)
        self.light_label = _label("", "vitalityText", self)
        self.light_dot = dot("unknown", 14, self)
        self.vitality_label = _label("", "vitalityNumber", self)
        self.vitality_label.setToolTip(_("Vitality, out of 100"))
        out_of = _label(_("/ 100"), "vitalityOutOf", self)
        top.addWidget(self.light_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.light_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addSpacing(6)
        top.addWidget(self.vitality_label, 0, Qt.AlignmentFlag.AlignBaseline)
        top.addWidget(out_of, 0, Qt.AlignmentFlag.AlignBaseline)
        layout.addLayout(top)
        self.subtitle = _label("", "cardSubtitle", self, wrap=True)
        layout.addWidget(self.subtitle)

    def _build_pace(self, layout: QVBoxLayout) -> None:
        pace = QHBoxLayout()
        pace.setSpacing(8)
        self.pace_dot = dot("unknown", 10, self)
        pace.addWidget(self.pace_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        self.pace_label = _label("", "cardPace", self, wrap=True)
        pace.addWidget(self.pace_label, 1)
        layout.addLayout(pace)

    def _build_figures(self, layout: QVBoxLayout) -> None:
        figures = QHBoxLayout()
        figures.setSpacing(8)
        self.attendance_figure = Figure(
            "—",
            _("came as expected"),
            _(
                "People who came ÷ people expected (accepted guests and their plus-ones) "
                "over the last in-person events"
            ),
            self,
        )
        self.returning_figure = Figure(
            "—",
            _("returning attendees"),
            _("Share of the attendances by someone who had come to an earlier event"),
            self,
        )
        self.seen_figure = Figure(
            "—",
            _("of members seen in person (90 days)"),
            _("Members who came to an in-person event or met you in person in the last 90 days"),
            self,
        )
        for figure in (self.attendance_figure, self.returning_figure, self.seen_figure):
            figures.addWidget(figure)
        layout.addLayout(figures)

    def _build_charts(self, layout: QVBoxLayout) -> None:
        """Each chart with the words shown when it has nothing to draw."""
        self.attendance_title = _label("", "cardSection", self)
        layout.addWidget(self.attendance_title)
        self.attendance_chart: Any = None
        self.attendance_empty = _label(
            _("No in-person event held yet."), "cardEmpty", self, wrap=True
        )
        self.attendance_box = QVBoxLayout()
        self.attendance_box.setContentsMargins(0, 0, 0, 0)
        self.attendance_box.addWidget(self.attendance_empty)
        layout.addLayout(self.attendance_box)
        self.members_title = _label("", "cardSection", self)
        layout.addWidget(self.members_title)
        self.members_chart: Any = None
        self.members_empty = _label(
            _("No new member in the last 6 months."), "cardEmpty", self, wrap=True
        )
        self.members_box = QVBoxLayout()
        self.members_box.setContentsMargins(0, 0, 0, 0)
        self.members_box.addWidget(self.members_empty)
        layout.addLayout(self.members_box)

    def _build_readiness(self, layout: QVBoxLayout) -> None:
        heading = QHBoxLayout()
        heading.addWidget(_label(_("Launch readiness"), "cardSection", self))
        heading.addStretch(1)
        self.readiness_status = _label("", "readyNo", self)
        heading.addWidget(self.readiness_status)
        layout.addLayout(heading)
        self.fix_buttons: dict[str, list[QPushButton]] = {}
        self.checklist: QWidget | None = None
        self._checklist_key: tuple[Any, ...] | None = None
        self.checklist_box = QVBoxLayout()
        self.checklist_box.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.checklist_box)

    def set_community(self, c: Any) -> None:
        """Show the figures of `c` (the same community, recomputed) in this card."""
        if c == self.community:
            return
        self.community = c
        self.name_button.setText(c.name)
        words = light_text(c.light)
        self.light_label.setText(words)
        set_light(self.light_label, c.light)
        set_light(self.light_dot, c.light)
        self.light_dot.setAccessibleName(words)
        number = "—" if c.vitality is None else format_int(c.vitality)
        self.vitality_label.setText(number)
        set_light(self.vitality_label, c.light)
        accessible = _("Vitality {n} out of 100: {words}").format(n=number, words=words)
        self.setAccessibleName(f"{c.name} — {accessible}")

        members = ngettext("{n} member", "{n} members", c.members).format(n=format_int(c.members))
        if c.next_event is not None:
            e = c.next_event
            members = _("{members} · next: {when} — {title}").format(
                members=members, when=day_and_time(e.start, e.all_day), title=e.title
            )
        else:
            members = _("{members} · no event planned").format(members=members)
        self.subtitle.setText(members)

        set_light(self.pace_dot, c.pace_light)
        self.pace_dot.setAccessibleName(_(PACE_WORDS.get(str(c.pace_light), PACE_WORDS["unknown"])))
        self.pace_label.setText(self.pace_text(c))

        self.attendance_figure.set_value(percent(c.attendance_rate))
        self.returning_figure.set_value(percent(c.returning_rate))
        self.seen_figure.set_value(percent(c.seen_in_person_90d))
        self._show_charts(c)
        self._show_readiness(c)

    def _show_charts(self, c: Any) -> None:
        n = len(c.attendance)
        self.attendance_title.setText(
            ngettext(
                "Attendance at the last in-person event",
                "Attendance at the last {n} in-person events",
                n,
            ).format(n=n)
            if n
            else _("Attendance")
        )
        self.attendance_chart = self._set_chart(
            self.attendance_box,
            self.attendance_chart,
            self.attendance_empty,
            c.attendance if n else None,
            self.charts.attendance_chart,
        )
        total_new = sum(m.value for m in c.new_members_by_month)
        self.members_title.setText(
            ngettext(
                "New members per month ({n} in 6 months)",
                "New members per month ({n} in 6 months)",
                total_new,
            ).format(n=format_int(total_new))
        )
        self.members_chart = self._set_chart(
            self.members_box,
            self.members_chart,
            self.members_empty,
            c.new_members_by_month if total_new else None,
            self.charts.new_members_chart,
        )

    def _show_readiness(self, c: Any) -> None:
        ready_count = sum(1 for i in c.readiness if i.ok)
        self.readiness_status.setText(
            _("Ready to launch")
            if c.ready
            else _("{ok} of {n} ready").format(ok=ready_count, n=len(c.readiness))
        )
        name = "readyYes" if c.ready else "readyNo"
        if self.readiness_status.objectName() != name:
            self.readiness_status.setObjectName(name)
            self.readiness_status.style().unpolish(self.readiness_status)
            self.readiness_status.style().polish(self.readiness_status)
        key = _readiness_key(c)
        if key != self._checklist_key:
            self._checklist_key = key
            self._build_checklist(c)

    def _open_community(self) -> None:
        self.openCommunity.emit(self.community.community_id)

    def _set_chart(
        self,
        box: QVBoxLayout,
        chart: Any,
        empty: QLabel,
        data: Any,
        make: Any,
    ) -> Any:
        """The chart of `data` in `box` (refilled when it is already there), or the words
        saying there is nothing to draw."""
        if data is None:
            if chart is not None:
                box.removeWidget(chart)
                chart.hide()
                chart.deleteLater()
            empty.show()
            return None
        if chart is None:
            chart = make(data, self)
            box.addWidget(chart)
            chart.show()
        elif hasattr(chart, "set_points"):
            chart.set_points(data)
        else:
            chart.set_months(data)
        empty.hide()
        return chart

    def _build_checklist(self, c: Any) -> None:
        """The readiness items, each missing one with the buttons that fix it (rebuilt only
        when an item changes)."""
        if self.checklist is not None:
            self.checklist_box.removeWidget(self.checklist)
            self.checklist.hide()
            self.checklist.deleteLater()
        holder = QWidget(self)
        checklist = QGridLayout(holder)
        checklist.setContentsMargins(0, 0, 0, 0)
        checklist.setHorizontalSpacing(8)
        checklist.setVerticalSpacing(2)
        checklist.setColumnStretch(1, 1)
        self.fix_buttons = {}
        row = 0
        for item in c.readiness:
            mark = _label("✓" if item.ok else "✗", "checkOk" if item.ok else "checkMissing", holder)
            mark.setAccessibleName(_("done") if item.ok else _("missing"))
            # "Defined" under "Target population defined" says nothing more: counts do.
            text = item.label
            if item.detail and (not item.ok or item.need > 1):
                text = f"{item.label} — {item.detail}"
            label = _label(text, "checkItem" if item.ok else "checkItemMissing", holder, wrap=True)
            label.setToolTip(item.detail)
            label.setAccessibleName(
                "{state}: {text}".format(state=_("done") if item.ok else _("missing"), text=text)
            )
            checklist.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            checklist.addWidget(label, row, 1)
            row += 1
            if not item.ok:
                links = QHBoxLayout()
                links.setSpacing(12)
                for text_id, action in fixes_for(item):
                    button = QPushButton("→ " + _(text_id), holder)
                    button.setObjectName("fixLink")
                    button.setFlat(True)
                    button.setCursor(Qt.CursorShape.PointingHandCursor)
                    button.clicked.connect(
                        lambda _c=False, a=action: self.fix.emit(self.community.community_id, a)
                    )
                    links.addWidget(button)
                    self.fix_buttons.setdefault(str(item.key), []).append(button)
                links.addStretch(1)
                checklist.addLayout(links, row, 1)
                row += 1
        self.checklist = holder
        self.checklist_box.addWidget(holder)
        holder.show()

    @staticmethod
    def pace_text(c: Any) -> str:
        target = (
            _("default target: every {n} days")
            if c.pace_is_default
            else _("target: every {n} days")
        ).format(n=format_int(c.target_pace_days))
        words = _(PACE_WORDS.get(str(c.pace_light), PACE_WORDS["unknown"]))
        if c.days_since_last_in_person_event is None:
            return _("Never met in person yet ({target}) — {words}").format(
                target=target, words=words
            )
        days = c.days_since_last_in_person_event
        when = nice_date(c.last_in_person_event) if c.last_in_person_event else ""
        return ngettext(
            "Last in-person event {n} day ago, {date} ({target}) — {words}",
            "Last in-person event {n} days ago, {date} ({target}) — {words}",
            days,
        ).format(n=format_int(days), date=when, target=target, words=words)
