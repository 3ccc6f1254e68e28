"""Reminders: tasks due today, events tomorrow and overdue commitments, from the system tray.

Started by the main window after its first view is shown (never on the cold-start path). The
figures come from `cmplanner.services.dashboard.compute`, always on the database worker.

- Once a day (at start, or at the first check of a new day while CM Planner runs), a short
  digest; the day is remembered in QSettings, so starting again the same day does not
  repeat it.
- Then every hour, and just after midnight, what became due since: each item is announced
  once a day (the items announced are remembered with the day, per database).
- With a system tray: an icon with a menu (Show CM Planner, Today's digest, Quit) and
  notifications (`showMessage`); clicking one shows the window on the dashboard.
- Without one (a headless machine, some Wayland desktops): the same text in a small banner
  at the top of the window, which stays until dismissed. A banner rather than a status-bar
  message: a status message goes away after a few seconds and is easily missed, and a
  dialog would stop the person at start for something they can read at leisure.
- Preferences `reminders.enabled` and `reminders.start_digest` are read at each check and
  applied as soon as they change (the bus says so).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from cmplanner import APP_NAME, clock
from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from ui.kit import accessible, settings
from ui.kit.jobs import run_in_background

if TYPE_CHECKING:
    from cmplanner.services.dashboard import Dashboard, DashboardSettings
    from cmplanner.storage import Database

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 60 * 60 * 1000  # hourly
AFTER_MIDNIGHT_S = 5
MESSAGE_MS = 15_000
LINES_SHOWN = 5  # in one notification; the rest counted


@dataclass(frozen=True)
class Reminder:
    """One thing to be reminded of today. `key` names the item (the same tomorrow, so the
    remembered list is reset with the day)."""

    key: str
    kind: str  # "task", "event" or "commitment"
    text: str


@dataclass(frozen=True)
class Check:
    """What one check found (computed on the worker)."""

    today: dt.date
    enabled: bool
    start_digest: bool
    reminders: tuple[Reminder, ...]
    digest: str
    quiet: bool = False  # nothing due, late, tomorrow or to confirm: no digest pops up


def _time_text(moment: dt.datetime) -> str:
    from PySide6.QtCore import QLocale

    from ui.kit.display import app_locale

    return app_locale().toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)


def reminders_of(board: Dashboard) -> tuple[Reminder, ...]:
    """Tasks due today, events tomorrow (not cancelled), overdue commitments, in that order."""
    today = board.today
    tomorrow = today + dt.timedelta(days=1)
    found: list[Reminder] = []
    for task in board.due.tasks:
        if task.due_date != today:
            continue
        text = _("Due today: {task}").format(task=task.title)
        if task.event_title:
            text = _("Due today: {task} ({event})").format(task=task.title, event=task.event_title)
        found.append(Reminder(f"task:{task.task_id}", "task", text))
    for event in board.upcoming:
        if event.start.date() != tomorrow or event.status == "cancelled":
            continue
        occurrence = event.occurrence.isoformat() if event.occurrence else ""
        if event.all_day:
            text = _("Tomorrow: {event}").format(event=event.title)
        else:
            text = _("Tomorrow at {time}: {event}").format(
                time=_time_text(event.start), event=event.title
            )
        found.append(Reminder(f"event:{event.event_id}:{occurrence}", "event", text))
    for commitment in board.due.commitments:
        if not commitment.overdue:
            continue
        to = commitment.contact or commitment.community or commitment.event_title
        text = _("Overdue: {commitment}").format(commitment=commitment.description)
        if to:
            text = _("Overdue: {commitment} (to {whom})").format(
                commitment=commitment.description, whom=to
            )
        found.append(Reminder(f"commitment:{commitment.commitment_id}", "commitment", text))
    return tuple(found)


def digest_of(board: Dashboard) -> str:
    """The day in one or two lines: what is due, what is overdue, tomorrow's events."""
    return _digest_text(_digest_parts(board))


def _digest_text(parts: Sequence[str]) -> str:
    if not parts:
        return _("Nothing due today and no event tomorrow.")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _digest_parts(board: Dashboard) -> list[str]:
    today = board.today
    tomorrow = today + dt.timedelta(days=1)
    due_today = sum(1 for t in board.due.tasks if t.due_date == today)
    late_tasks = sum(1 for t in board.due.tasks if t.overdue)
    late_promises = sum(1 for c in board.due.commitments if c.overdue)
    tomorrows = [
        e for e in board.upcoming if e.start.date() == tomorrow and e.status != "cancelled"
    ]
    to_confirm = len(board.due.unconfirmed)
    parts: list[str] = []
    if due_today:
        parts.append(
            ngettext("{n} task due today", "{n} tasks due today", due_today).format(n=due_today)
        )
    if late_tasks:
        parts.append(
            ngettext("{n} overdue task", "{n} overdue tasks", late_tasks).format(n=late_tasks)
        )
    if late_promises:
        parts.append(
            ngettext("{n} overdue commitment", "{n} overdue commitments", late_promises).format(
                n=late_promises
            )
        )
    if tomorrows:
        if len(tomorrows) == 1:
            parts.append(_("tomorrow: {event}").format(event=tomorrows[0].title))
        else:
            parts.append(
                ngettext("{n} event tomorrow", "{n} events tomorrow", len(tomorrows)).format(
                    n=len(tomorrows)
                )
            )
    if to_confirm:
        parts.append(
            ngettext("{n} date to confirm", "{n} dates to confirm", to_confirm).format(n=to_confirm)
        )
    return parts


def check_now(db: Database, today: dt.date | None = None) -> Check:
    """Run on the worker: the preferences, and when reminders are on, what to remind of."""
    from cmplanner.services import dashboard

    conf: DashboardSettings = dashboard.settings(db)
    day = today or clock.today()
    if not conf.reminders_enabled:
        return Check(day, False, conf.start_digest, (), "")
    board = dashboard.compute(db, today=today)
    found = reminders_of(board)
    parts = _digest_parts(board)
    quiet = not found and not parts
    return Check(board.today, True, conf.start_digest, found, _digest_text(parts), quiet)


# -- what was already said today (QSettings) ---------------------------------------------------


def _load_state(day: dt.date) -> dict[str, Any]:
    raw = settings.app_settings().value(settings.REMINDERS_STATE, "")
    try:
        state = json.loads(str(raw)) if raw else {}
    except ValueError:
        state = {}
    if not isinstance(state, dict) or state.get("day") != day.isoformat():
        state = {"day": day.isoformat(), "databases": {}}
    if not isinstance(state.get("databases"), dict):
        state["databases"] = {}
    return state


def _save_state(state: dict[str, Any]) -> None:
    settings.app_settings().setValue(settings.REMINDERS_STATE, json.dumps(state))


def _said(day: dt.date, db_key: str) -> dict[str, Any]:
    entry = _load_state(day)["databases"].get(db_key)
    if not isinstance(entry, dict):
        entry = {}
    return {"digest": bool(entry.get("digest")), "shown": list(entry.get("shown") or [])}


def _remember(day: dt.date, db_key: str, *, digest: bool, shown: Sequence[str]) -> None:
    state = _load_state(day)
    entry = _said(day, db_key)
    entry["digest"] = entry["digest"] or digest
    entry["shown"] = sorted(set(entry["shown"]) | set(shown))
    state["databases"][db_key] = entry
    _save_state(state)


def digest_shown_today(db_path: str, day: dt.date | None = None) -> bool:
    return bool(_said(day or clock.today(), db_path)["digest"])


# -- the reminders ------------------------------------------------------------------------------


class Reminders(QObject):
    """The tray icon, its notifications and the periodic checks for one window."""

    showRequested = Signal()  # show the window on the dashboard
    quitRequested = Signal()
    # Every notification, with or without a tray: (title, message). Without a tray the
    # window shows it in a banner.
    notified = Signal(str, str)
    checked = Signal(object)  # the Check, once applied (tests wait for it)

    def __init__(
        self, db: Database, parent: QObject | None = None, *, tray: bool | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.enabled = False
        self.has_tray = QSystemTrayIcon.isSystemTrayAvailable() if tray is None else tray
        self.tray: QSystemTrayIcon | None = None
        self.last: Check | None = None
        self._running = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self._at_midnight)

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        """The first check (the digest, if it is due). Listens for preference changes."""
        from ui.kit.changes import bridge

        if self._running:
            return
        self._running = True
        bridge().changed.connect(self.on_changes)
        self.check()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()
        self._midnight.stop()
        if self.tray is not None:
            self.tray.hide()

    def set_database(self, db: Database) -> None:
        self.db = db
        if self._running:
            self.check()

    def on_changes(self, changes: Changes) -> None:
        if not self._running:
            return
        keys = changes.settings
        if changes.everything or any(k.startswith("reminders.") for k in keys):
            self.check()

    def _at_midnight(self) -> None:
        self.check()

    def _arm_midnight(self) -> None:
        now = clock.now_utc().astimezone()
        tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
        seconds = (tomorrow - now).total_seconds() + AFTER_MIDNIGHT_S
        self._midnight.start(int(max(seconds, AFTER_MIDNIGHT_S) * 1000))

    # -- checking -----------------------------------------------------------------------------

    def check(self) -> None:
        """Look again, on the worker; notify what was not said today."""
        db = self.db
        run_in_background(
            check_now,
            db,
            on_success=lambda found: self._apply(db, found),
            on_failure=lambda exc: log.warning("Reminders could not be checked: %s", exc),
        )

    def _db_key(self, db: Database) -> str:
        return str(db.path)

    def _apply(self, db: Database, found: Check) -> None:
        if db is not self.db or not self._running:
            return  # another database since, or stopped
        self.last = found
        self.enabled = found.enabled
        if not found.enabled:
            self._timer.stop()
            self._midnight.stop()
            if self.tray is not None:
                self.tray.hide()
            self.checked.emit(found)
            return
        self._ensure_tray()
        if not self._timer.isActive():
            self._timer.start()
        self._arm_midnight()
        key = self._db_key(db)
        said = _said(found.today, key)
        new = [r for r in found.reminders if r.key not in said["shown"]]
        if found.start_digest and not said["digest"]:
            # A quiet day pops nothing up ("Today's digest" in the tray menu still says so).
            if not found.quiet:
                self.notify(_("{app}: today").format(app=APP_NAME), self._digest_message(found))
            _remember(found.today, key, digest=True, shown=[r.key for r in found.reminders])
        elif new:
            self.notify(*self._message_of(new))
            _remember(found.today, key, digest=False, shown=[r.key for r in new])
        self.checked.emit(found)

    def _digest_message(self, found: Check) -> str:
        lines = [found.digest]
        lines += [r.text for r in found.reminders[:LINES_SHOWN]]
        more = len(found.reminders) - LINES_SHOWN
        if more > 0:
            lines.append(_("and {n} more").format(n=more))
        return "\n".join(lines)

    @staticmethod
    def _message_of(new: Sequence[Reminder]) -> tuple[str, str]:
        if len(new) == 1:
            titles = {
                "task": _("Task due today"),
                "event": _("Event tomorrow"),
                "commitment": _("Overdue commitment"),
            }
            return titles[new[0].kind], new[0].text
        lines = [r.text for r in new[:LINES_SHOWN]]
        more = len(new) - LINES_SHOWN
        if more > 0:
            lines.append(_("and {n} more").format(n=more))
        title = ngettext("{n} reminder", "{n} reminders", len(new)).format(n=len(new))
        return title, "\n".join(lines)

    def show_digest(self) -> None:
        """Today's digest again (the tray menu): computed afresh, shown whatever was said."""
        db = self.db

        def done(found: Check) -> None:
            if db is not self.db:
                return
            self.last = found
            if not found.enabled:
                return
            self.notify(_("{app}: today").format(app=APP_NAME), self._digest_message(found))

        run_in_background(check_now, db, on_success=done)

    # -- saying it ----------------------------------------------------------------------------

    def tray_says_it(self) -> bool:
        """True when notifications pop up from the tray (else the window shows them)."""
        tray = self.tray
        return tray is not None and tray.isVisible() and tray.supportsMessages()

    def notify(self, title: str, message: str) -> None:
        if self.tray is not None and self.tray_says_it():
            self.tray.showMessage(title, message, self.tray.icon(), MESSAGE_MS)
        self.notified.emit(title, message)

    def _ensure_tray(self) -> None:
        if not self.has_tray:
            return
        if self.tray is None:
            tray = QSystemTrayIcon(_app_icon(), self)
            tray.setToolTip(APP_NAME)
            menu = QMenu()
            menu.setObjectName("trayMenu")
            show = QAction(_("&Show CM Planner"), menu)
            show.triggered.connect(self.showRequested)
            digest = QAction(_("Today's &digest"), menu)
            digest.triggered.connect(self.show_digest)
            quit_ = QAction(_("&Quit"), menu)
            quit_.triggered.connect(self.quitRequested)
            menu.addAction(show)
            menu.addAction(digest)
            menu.addSeparator()
            menu.addAction(quit_)
            tray.setContextMenu(menu)
            self._menu = menu  # a QMenu without a parent: kept alive here
            tray.messageClicked.connect(self.showRequested)
            tray.activated.connect(self._activated)
            self.tray = tray
        self.tray.show()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.showRequested.emit()


def _app_icon() -> QIcon:
    from ui.kit.icons import app_icon

    icon = QApplication.windowIcon()
    return app_icon() if icon.isNull() else icon


class ReminderBanner(QFrame):
    """Where reminders are said when there is no system tray: a line at the top of the
    window, with a way to the dashboard and a way to dismiss it."""

    showRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # The title and the message share one wrapped label: side by side in two labels, the
        # title's column left the message a sliver at a large text size (five lines tall).
        self.title = ""
        self.text = QLabel(self)
        self.text.setObjectName("reminderText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.open = QPushButton(_("Open the &dashboard"), self)
        self.open.setObjectName("reminderOpen")
        self.open.clicked.connect(self.showRequested)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("reminderClose")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(_("Dismiss"))
        accessible.name(self.close_button, _("Dismiss"))
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def say(self, title: str, message: str) -> None:
        """Say `message`'s first line (what is late, due, to confirm, counted): the banner
        stays a line above the section, even in large text; the rest is the dashboard's,
        and the tooltip's."""
        first, *rest = message.strip().splitlines() or [""]
        self.title = title
        self.text.setText(f"<b>{html.escape(title)}</b>&nbsp;&nbsp;{html.escape(first)}")
        self.text.setAccessibleName(f"{title} {first}")
        self.text.setToolTip(message if rest else "")
        self.text.setAccessibleDescription(message if rest else "")
        self.show()
