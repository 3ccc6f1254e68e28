"""The Dashboard page: keep-in-touch cadences per role, the in-person target, launch
readiness and reminders, each stored as a preference (issue 7's keys)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import _
from cmplanner.model.enums import MemberRole
from cmplanner.services import preferences
from cmplanner.storage import Database
from ui.preferences.page import hint

# (preference key, default) as the issue 7 contract names them. The defaults here are only
# used when the core's preferences.DEFAULTS does not give one.
CADENCE_ROLES = ("member", "ambassador", "sponsor", "core_team", "partner")
DASHBOARD_DEFAULTS = {
    "dashboard.cadence.member": "120",
    "dashboard.cadence.ambassador": "30",
    "dashboard.cadence.sponsor": "90",
    "dashboard.cadence.core_team": "30",
    "dashboard.cadence.partner": "90",
    "dashboard.in_person_target": "30",
    "dashboard.min_ambassadors": "2",
    "dashboard.attendance_events": "10",
    "dashboard.default_pace_days": "14",
    "reminders.enabled": "1",
    "reminders.start_digest": "1",
}
# (key, lowest, highest) of each number on the page.
DASHBOARD_RANGES = {
    **{f"dashboard.cadence.{role}": (1, 3650) for role in CADENCE_ROLES},
    "dashboard.in_person_target": (0, 100),
    "dashboard.min_ambassadors": (0, 99),
    "dashboard.attendance_events": (1, 100),
    "dashboard.default_pace_days": (1, 365),
}
DASHBOARD_KEYS = (*DASHBOARD_RANGES, "reminders.enabled", "reminders.start_digest")


class DashboardPage(QWidget):
    """Shows the defaults until `fill` brings the saved values."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.dashboard_numbers: dict[str, QSpinBox] = {}
        touch = self._build_touch()
        measures = self._build_measures()
        # One width for every number, wide enough for the longest suffix (never cut).
        widest = max(110, *(box.sizeHint().width() for box in self.dashboard_numbers.values()))
        for box in self.dashboard_numbers.values():
            box.setMinimumWidth(widest)
        reminders = self._build_reminders()
        self.dashboard_defaults = QPushButton(_("Restore &defaults"), self)
        self.dashboard_defaults.setObjectName("dashboardDefaults")
        self.dashboard_defaults.setToolTip(
            _("Put back the values CM Planner starts with (saved when you press OK).")
        )
        self.dashboard_defaults.clicked.connect(self.restore_dashboard_defaults)
        columns = QHBoxLayout()
        columns.addWidget(touch, 1)
        columns.addWidget(measures, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.dashboard_defaults)
        layout.addLayout(columns)
        layout.addWidget(reminders)
        layout.addStretch(1)
        layout.addLayout(row)

    def _spin(self, key: str, name: str, suffix: str, parent: QWidget) -> QSpinBox:
        box = QSpinBox(parent)
        box.setObjectName(name)
        low, high = DASHBOARD_RANGES[key]
        box.setRange(low, high)
        box.setSuffix(suffix)
        box.setValue(_number(dashboard_default(key), key))
        self.dashboard_numbers[key] = box
        return box

    def _group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        return box, form

    def _build_touch(self) -> QGroupBox:
        touch, form = self._group(_("Keep in touch at least every"))
        for role in CADENCE_ROLES:
            box = self._spin(f"dashboard.cadence.{role}", f"cadence_{role}", _(" days"), touch)
            box.setToolTip(
                _(
                    "A contact with this role in a community and no cadence of their own is "
                    "listed as drifting away when not seen for longer than this."
                )
            )
            form.addRow(_("{role}:").format(role=MemberRole(role).label), box)
        form.addRow(
            hint(
                _(
                    "Several roles: the shortest counts. A cadence set on the contact beats "
                    "them all."
                ),
                touch,
            )
        )
        return touch

    def _build_measures(self) -> QGroupBox:
        measures, form = self._group(_("Indicators"))
        number = self._spin
        target = number("dashboard.in_person_target", "inPersonTarget", " %", measures)
        target.setToolTip(_("The share of your time spent in person you aim for."))
        form.addRow(_("In-person time target:"), target)
        pace = number("dashboard.default_pace_days", "defaultPace", _(" days"), measures)
        pace.setToolTip(_("A community without a pace of its own should meet this often."))
        form.addRow(_("Default pace, every:"), pace)
        events = number("dashboard.attendance_events", "attendanceEvents", _(" events"), measures)
        events.setToolTip(_("Attendance is measured over this many past in-person events."))
        form.addRow(_("Attendance over the last:"), events)
        ambassadors = number("dashboard.min_ambassadors", "minAmbassadors", "", measures)
        ambassadors.setToolTip(_("How many ambassadors a community needs to be ready to launch."))
        form.addRow(_("Ambassadors to launch:"), ambassadors)
        return measures

    def _build_reminders(self) -> QGroupBox:
        reminders = QGroupBox(_("Reminders"), self)
        box_layout = QVBoxLayout(reminders)
        self.reminders_enabled = QCheckBox(
            _("&Notify me of tasks due today, events tomorrow and overdue commitments"),
            reminders,
        )
        self.reminders_enabled.setObjectName("remindersEnabled")
        self.reminders_enabled.setToolTip(
            _("From the icon in the system tray, checked every hour; each item once a day.")
        )
        self.start_digest = QCheckBox(_("Show a short &digest when CM Planner starts"), reminders)
        self.start_digest.setObjectName("startDigest")
        self.start_digest.setToolTip(
            _("Once a day: starting again the same day does not repeat it.")
        )
        self.reminders_enabled.toggled.connect(self.start_digest.setEnabled)
        self.reminders_enabled.setChecked(_flag(dashboard_default("reminders.enabled")))
        self.start_digest.setChecked(_flag(dashboard_default("reminders.start_digest")))
        self.start_digest.setEnabled(self.reminders_enabled.isChecked())
        box_layout.addWidget(self.reminders_enabled)
        box_layout.addWidget(self.start_digest)
        return reminders

    def restore_dashboard_defaults(self) -> None:
        self.fill({key: dashboard_default(key) for key in DASHBOARD_KEYS})

    def fill(self, values: dict[str, str]) -> None:
        """Show these values (stored text, every key of `DASHBOARD_KEYS`)."""
        for key, box in self.dashboard_numbers.items():
            box.setValue(_number(values[key], key))
        self.reminders_enabled.setChecked(_flag(values["reminders.enabled"]))
        self.start_digest.setChecked(_flag(values["reminders.start_digest"]))

    def dashboard_values(self) -> dict[str, str]:
        """The Dashboard page as preference values (strings, as stored)."""
        values = {key: str(box.value()) for key, box in self.dashboard_numbers.items()}
        values["reminders.enabled"] = "1" if self.reminders_enabled.isChecked() else "0"
        values["reminders.start_digest"] = "1" if self.start_digest.isChecked() else "0"
        return values


def dashboard_default(key: str) -> str:
    """The value a Dashboard page setting starts with."""
    return preferences.DEFAULTS.get(key) or DASHBOARD_DEFAULTS[key]


def dashboard_value(db: Database, key: str) -> str:
    """The saved value of a Dashboard page setting (its default when none is saved); read on
    the worker."""
    return preferences.get(db, key) or dashboard_default(key)


def _number(text: str, key: str) -> int:
    """A stored number, its default when the stored text is not one (never a crash)."""
    low, high = DASHBOARD_RANGES[key]
    try:
        value = round(float(text.strip().rstrip("%")))
    except ValueError:
        value = round(float(dashboard_default(key)))
    return min(max(value, low), high)


def _flag(text: str) -> bool:
    return text.strip().lower() not in ("0", "false", "no", "off", "")
