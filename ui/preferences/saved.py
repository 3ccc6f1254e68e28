"""What the Preferences pages show and write, read and written on the job runner's worker (the
GUI thread never reads the database): `load_saved` reads every page's saved values in one job,
`save_edit` writes what the pages hold in one job and returns the Changes the runner
publishes. Passwords are not here: the keyring is only asked whether it holds them."""

from __future__ import annotations

from dataclasses import dataclass

from cmplanner.bus import Changes
from cmplanner.errors import CMPlannerError
from cmplanner.interop.mail import smtp
from cmplanner.interop.mail.smtp import SmtpSettings
from cmplanner.services import caldav_settings, preferences
from cmplanner.storage import Database
from ui.preferences.dashboard import DASHBOARD_KEYS, dashboard_value


@dataclass(frozen=True)
class Saved:
    """What the pages show, as saved."""

    region: str
    identity_name: str
    identity_email: str
    smtp: SmtpSettings  # as saved, its defaults when none is
    smtp_stored: bool  # a password is in the keyring
    caldav_url: str
    caldav_user: str
    caldav_stored: bool
    dashboard: dict[str, str]  # every Dashboard page key, its default when none is saved


def load_saved(db: Database, keyring_problem: str) -> Saved:
    """On the worker: the saved preferences, and whether the keyring holds the passwords."""
    get = preferences.get
    port = get(db, preferences.SMTP_PORT)
    mail = SmtpSettings(
        get(db, preferences.SMTP_HOST).strip(),
        int(port) if port.isdigit() and 0 < int(port) < 65536 else 587,
        get(db, preferences.SMTP_SECURITY) or "starttls",
        get(db, preferences.SMTP_USER).strip(),
    )
    smtp_stored = bool(
        mail.host and mail.user and not keyring_problem and smtp.stored_password(mail)
    )
    caldav = caldav_settings.load(db)
    caldav_stored = False
    if caldav.user and not keyring_problem:
        try:
            caldav_stored = bool(caldav_settings.get_password(caldav.user))
        except Exception:  # a keyring that fails now: said when saving
            caldav_stored = False
    return Saved(
        region=preferences.phone_region(db),
        identity_name=get(db, preferences.IDENTITY_NAME),
        identity_email=get(db, preferences.IDENTITY_EMAIL),
        smtp=mail,
        smtp_stored=smtp_stored,
        caldav_url=caldav.url,
        caldav_user=caldav.user,
        caldav_stored=caldav_stored,
        dashboard={key: dashboard_value(db, key) for key in DASHBOARD_KEYS},
    )


@dataclass(frozen=True)
class Edit:
    """What the pages hold when saved; `region` is "" when it did not change."""

    region: str
    identity_name: str
    identity_email: str
    smtp: SmtpSettings
    caldav_url: str  # normalised
    caldav_user: str
    dashboard: dict[str, str]


def save_edit(db: Database, edit: Edit) -> Changes:
    """On the worker: write what differs from what is saved."""
    changes = Changes()
    if edit.region:
        changes |= preferences.put(db, preferences.PHONE_REGION, edit.region)
    saved = caldav_settings.load(db)
    if (edit.caldav_url, edit.caldav_user) != (saved.url, saved.user):
        changes |= caldav_settings.save(db, edit.caldav_url, edit.caldav_user)
    for key, value in edit.dashboard.items():
        if value != dashboard_value(db, key):
            changes |= preferences.put(db, key, value)
    if edit.identity_name != preferences.get(db, preferences.IDENTITY_NAME):
        changes |= preferences.put(db, preferences.IDENTITY_NAME, edit.identity_name)
    if edit.identity_email != preferences.get(db, preferences.IDENTITY_EMAIL):
        changes |= preferences.put(db, preferences.IDENTITY_EMAIL, edit.identity_email)
    try:
        old: SmtpSettings | None = smtp.load_settings(db)
    except CMPlannerError:
        old = None
    if edit.smtp != old and (edit.smtp.host or old is not None):
        changes |= smtp.save_settings(db, edit.smtp)
    return changes
