"""Preferences stored in the database (they travel with it): identity, phone region…"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.storage import Database

if TYPE_CHECKING:
    from sqlmodel import Session  # the ORM is imported on use: off the start-up path

PHONE_REGION = "phone.default_region"
IDENTITY_NAME = "identity.name"
IDENTITY_EMAIL = "identity.email"
# Outgoing mail (invitations). The password is never here: it is in the system keyring.
SMTP_HOST = "smtp.host"
SMTP_PORT = "smtp.port"
SMTP_SECURITY = "smtp.security"  # "starttls", "ssl" or "none"
SMTP_USER = "smtp.user"
# Printed documents: the event brief shows guests' e-mails and phones only when this is "1".
DOCUMENTS_GUEST_CONTACTS = "documents.guest_contacts"
# The dashboard (services/dashboard/): keep-in-touch cadence per role (days; the key is
# DASHBOARD_CADENCE + role), the in-person target (percent), launch readiness, attendance.
DASHBOARD_CADENCE = "dashboard.cadence."
DASHBOARD_IN_PERSON_TARGET = "dashboard.in_person_target"
DASHBOARD_MIN_AMBASSADORS = "dashboard.min_ambassadors"
DASHBOARD_ATTENDANCE_EVENTS = "dashboard.attendance_events"
DASHBOARD_DEFAULT_PACE_DAYS = "dashboard.default_pace_days"
# Reminders: tray notifications, and the short digest at start ("1" on, "0" off).
REMINDERS_ENABLED = "reminders.enabled"
REMINDERS_START_DIGEST = "reminders.start_digest"

DEFAULTS = {
    PHONE_REGION: "FR",
    IDENTITY_NAME: "",
    IDENTITY_EMAIL: "",
    SMTP_HOST: "",
    SMTP_PORT: "587",
    SMTP_SECURITY: "starttls",
    SMTP_USER: "",
    DOCUMENTS_GUEST_CONTACTS: "0",
    DASHBOARD_CADENCE + "member": "120",
    DASHBOARD_CADENCE + "ambassador": "30",
    DASHBOARD_CADENCE + "sponsor": "90",
    DASHBOARD_CADENCE + "core_team": "30",
    DASHBOARD_CADENCE + "partner": "90",
    DASHBOARD_IN_PERSON_TARGET: "30",
    DASHBOARD_MIN_AMBASSADORS: "2",
    DASHBOARD_ATTENDANCE_EVENTS: "10",
    DASHBOARD_DEFAULT_PACE_DAYS: "14",
    REMINDERS_ENABLED: "1",
    REMINDERS_START_DIGEST: "1",
}


def get(db: Database, key: str) -> str:
    with db.read() as con:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row and row[0] else DEFAULTS.get(key, "")


def put(db: Database, key: str, value: str) -> Changes:
    with db.transaction() as session:
        put_in(session, key, value)
    changes = Changes(settings=frozenset({key}))
    return changes


def put_in(session: Session, key: str, value: str) -> None:
    """`put` inside the caller's transaction."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Setting

    setting = session.get(Setting, key) or Setting(key=key)
    setting.value = value
    setting.updated_at = clock.utc_now()
    session.add(setting)


def phone_region(db: Database) -> str:
    return get(db, PHONE_REGION).upper() or "FR"
