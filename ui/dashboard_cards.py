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

from cmplanner.i18n import N_, _, ngettext
from ui.dashboard_models import day_and_time, nice_date, percent
from ui.display import format_int

LIGHT_COLOURS = {
    "green": "#2e7d32",
    "amber": "#c27c0e",
    "red": "#b42318",
    "unknown": "#9ca3af",
}
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


def dot(colour: str, size: int = 12, parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setFixedSize(size, size)
    label.setStyleSheet(f"background: {colour}; border-radius: {size // 2}px;")
    return label


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
        self.value = _label(value, "cardFigureValue", self)
        box.addWidget(self.value)
        box.addWidget(_label(caption, "cardFigureCaption", self, wrap=True))
        self.setToolTip(tip)
        self.setAccessibleName(f"{caption}: {value}")


class CommunityCard(QFrame):
    """A community's vitality. `fix(community_id, action)` asks the view to open what fixes
    a readiness item; `openCommunity(community_id)` opens the community editor."""

    fix = Signal(int, str)
    openCommunity = Signal(int)
    openEvent = Signal(int)

    def __init__(self, community: Any, charts: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        c = community
        self.community = c
        self.setObjectName("communityCard")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)

        # -- name, vitality number and light ----------------------------------------------------
        top = QHBoxLayout()
        top.setSpacing(8)
        name = QPushButton(c.name, self)
        name.setObjectName("cardTitle")
        name.setFlat(True)
        name.setCursor(Qt.CursorShape.PointingHandCursor)
        name.setToolTip(_("Open the community"))
        name.clicked.connect(lambda: self.openCommunity.emit(c.community_id))
        top.addWidget(name, 1, Qt.AlignmentFlag.AlignLeft)
        colour = LIGHT_COLOURS.get(str(c.light), LIGHT_COLOURS["unknown"])
        self.light_label = _label(light_text(c.light), "vitalityText", self)
        self.light_label.setStyleSheet(f"color: {colour};")
        self.light_dot = dot(colour, 14, self)
        self.light_dot.setAccessibleName(light_text(c.light))
        number = "—" if c.vitality is None else format_int(c.vitality)
        self.vitality_label = _label(number, "vitalityNumber", self)
        self.vitality_label.setStyleSheet(f"color: {colour};")
        self.vitality_label.setToolTip(_("Vitality, out of 100"))
        out_of = _label(_("/ 100"), "vitalityOutOf", self)
        top.addWidget(self.light_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.light_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addSpacing(6)
        top.addWidget(self.vitality_label, 0, Qt.AlignmentFlag.AlignBaseline)
        top.addWidget(out_of, 0, Qt.AlignmentFlag.AlignBaseline)
        layout.addLayout(top)
        accessible = _("Vitality {n} out of 100: {words}").format(
            n=number, words=light_text(c.light)
        )
        self.setAccessibleName(f"{c.name} — {accessible}")

        members = ngettext("{n} member", "{n} members", c.members).format(n=format_int(c.members))
        if c.next_event is not None:
            e = c.next_event
            members = _("{members} · next: {when} — {title}").format(
                members=members, when=day_and_time(e.start, e.all_day), title=e.title
            )
        else:
            members = _("{members} · no event planned").format(members=members)
        layout.addWidget(_label(members, "cardSubtitle", self, wrap=True))

        # -- pace -------------------------------------------------------------------------------
        pace = QHBoxLayout()
        pace.setSpacing(8)
        pace_colour = LIGHT_COLOURS.get(str(c.pace_light), LIGHT_COLOURS["unknown"])
        pace_dot = dot(pace_colour, 10, self)
        pace_dot.setAccessibleName(_(PACE_WORDS.get(str(c.pace_light), PACE_WORDS["unknown"])))
        pace.addWidget(pace_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        self.pace_label = _label(self.pace_text(c), "cardPace", self, wrap=True)
        pace.addWidget(self.pace_label, 1)
        layout.addLayout(pace)

        # -- figures ----------------------------------------------------------------------------
        figures = QHBoxLayout()
        figures.setSpacing(8)
        figures.addWidget(
            Figure(
                percent(c.attendance_rate),
                _("came as expected"),
                _(
                    "People who came ÷ people expected (accepted guests and their plus-ones) "
                    "over the last in-person events"
                ),
                self,
            )
        )
        figures.addWidget(
            Figure(
                percent(c.returning_rate),
                _("returning attendees"),
                _("Share of the attendances by someone who had come to an earlier event"),
                self,
            )
        )
        figures.addWidget(
            Figure(
                percent(c.seen_in_person_90d),
                _("of members seen in person (90 days)"),
                _(
                    "Members who came to an in-person event or met you in person "
                    "in the last 90 days"
                ),
                self,
            )
        )
        layout.addLayout(figures)

        # -- charts -----------------------------------------------------------------------------
        n = len(c.attendance)
        layout.addWidget(
            _label(
                ngettext(
                    "Attendance at the last in-person event",
                    "Attendance at the last {n} in-person events",
                    n,
                ).format(n=n)
                if n
                else _("Attendance"),
                "cardSection",
                self,
            )
        )
        if c.attendance:
            self.attendance_chart = charts.attendance_chart(c.attendance, self)
            layout.addWidget(self.attendance_chart)
        else:
            self.attendance_chart = None
            layout.addWidget(
                _label(_("No in-person event held yet."), "cardEmpty", self, wrap=True)
            )
        total_new = sum(m.value for m in c.new_members_by_month)
        layout.addWidget(
            _label(
                ngettext(
                    "New members per month ({n} in 6 months)",
                    "New members per month ({n} in 6 months)",
                    total_new,
                ).format(n=format_int(total_new)),
                "cardSection",
                self,
            )
        )
        if total_new:
            self.members_chart = charts.new_members_chart(c.new_members_by_month, self)
            layout.addWidget(self.members_chart)
        else:
            self.members_chart = None
            layout.addWidget(
                _label(_("No new member in the last 6 months."), "cardEmpty", self, wrap=True)
            )

        # -- readiness --------------------------------------------------------------------------
        ready_count = sum(1 for i in c.readiness if i.ok)
        heading = QHBoxLayout()
        heading.addWidget(_label(_("Launch readiness"), "cardSection", self))
        heading.addStretch(1)
        status = (
            _("Ready to launch")
            if c.ready
            else _("{ok} of {n} ready").format(ok=ready_count, n=len(c.readiness))
        )
        self.readiness_status = _label(status, "readyYes" if c.ready else "readyNo", self)
        heading.addWidget(self.readiness_status)
        layout.addLayout(heading)
        checklist = QGridLayout()
        checklist.setHorizontalSpacing(8)
        checklist.setVerticalSpacing(2)
        checklist.setColumnStretch(1, 1)
        self.fix_buttons: dict[str, list[QPushButton]] = {}
        row = 0
        for item in c.readiness:
            mark = _label("✓" if item.ok else "✗", "checkOk" if item.ok else "checkMissing", self)
            mark.setAccessibleName(_("done") if item.ok else _("missing"))
            # "Defined" under "Target population defined" says nothing more: counts do.
            text = item.label
            if item.detail and (not item.ok or item.need > 1):
                text = f"{item.label} — {item.detail}"
            label = _label(text, "checkItem" if item.ok else "checkItemMissing", self, wrap=True)
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
                    button = QPushButton("→ " + _(text_id), self)
                    button.setObjectName("fixLink")
                    button.setFlat(True)
                    button.setCursor(Qt.CursorShape.PointingHandCursor)
                    button.clicked.connect(
                        lambda _c=False, a=action: self.fix.emit(c.community_id, a)
                    )
                    links.addWidget(button)
                    self.fix_buttons.setdefault(str(item.key), []).append(button)
                links.addStretch(1)
                checklist.addLayout(links, row, 1)
                row += 1
        layout.addLayout(checklist)
        layout.addStretch(1)

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
