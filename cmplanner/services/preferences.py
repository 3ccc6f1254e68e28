"""Preferences stored in the database (they travel with it): identity, phone region…"""

from __future__ import annotations

from cmplanner import clock
from cmplanner.bus import Changes, bus
from cmplanner.storage import Database

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

DEFAULTS = {
    PHONE_REGION: "FR",
    IDENTITY_NAME: "",
    IDENTITY_EMAIL: "",
    SMTP_HOST: "",
    SMTP_PORT: "587",
    SMTP_SECURITY: "starttls",
    SMTP_USER: "",
    DOCUMENTS_GUEST_CONTACTS: "0",
}


def get(db: Database, key: str) -> str:
    with db.read() as con:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row and row[0] else DEFAULTS.get(key, "")


def put(db: Database, key: str, value: str) -> Changes:
    from cmplanner.model import Setting

    with db.transaction() as session:
        setting = session.get(Setting, key) or Setting(key=key)
        setting.value = value
        setting.updated_at = clock.utc_now()
        session.add(setting)
    changes = Changes(settings=frozenset({key}))
    bus.publish(changes)
    return changes


def phone_region(db: Database) -> str:
    return get(db, PHONE_REGION).upper() or "FR"
