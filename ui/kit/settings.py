"""The app's QSettings: one place for the keys and their defaults."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from cmplanner import APP_ID

LANGUAGE = "language"  # "" = the system's language
APPEARANCE = "appearance"  # "system" (the desktop's colour scheme), "light" or "dark"
LAST_DATABASE = "database/last"
GEOMETRY = "window/geometry"
STATE = "window/state"
SECTION = "window/section"


def app_settings() -> QSettings:
    return QSettings(APP_ID, APP_ID)


def saved_language() -> str:
    return str(app_settings().value(LANGUAGE, "") or "")


# Reminders: what was said today, per database ({"day": "2026-11-19", "databases": {path:
# {"digest": true, "shown": ["task:12", …]}}}), so a restart the same day does not repeat it.
REMINDERS_STATE = "reminders/today"
