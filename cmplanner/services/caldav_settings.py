"""Where to publish events for colleagues: a CalDAV calendar's URL and user name (in the
database, they travel with it) and the password (in the system keyring, never in the database).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.errors import CMPlannerError, ValidationError
from cmplanner.i18n import _
from cmplanner.model import Setting
from cmplanner.storage import Database

CALDAV_URL = "caldav.url"
CALDAV_USER = "caldav.user"
KEYRING_SERVICE = "CM Planner CalDAV"
# For scripts on a machine without a keyring (a server's cron): the password may come from here.
PASSWORD_ENVIRONMENT = "CMPLANNER_CALDAV_PASSWORD"


@dataclass(frozen=True)
class CalDAVSettings:
    url: str = ""
    user: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.url)


def normalized_url(text: str) -> str:
    """The calendar URL as stored: trimmed, ending with "/" (a calendar is a collection).

    Raises ValidationError for anything that is not an http(s) address with a host."""
    url = text.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            _(
                "“{url}” is not a CalDAV calendar address: it should look like "
                "https://server.example.org/calendars/me/events/"
            ).format(url=url)
        )
    if parts.username or parts.password:
        raise ValidationError(
            _("Put the user name and the password in their own fields, not in the address.")
        )
    return url if url.endswith("/") else url + "/"


def load(db: Database) -> CalDAVSettings:
    with db.read() as con:
        rows = dict(
            con.execute(
                "SELECT key, value FROM setting WHERE key IN (?, ?)", (CALDAV_URL, CALDAV_USER)
            ).fetchall()
        )
    return CalDAVSettings(url=rows.get(CALDAV_URL) or "", user=rows.get(CALDAV_USER) or "")


def save(db: Database, url: str, user: str) -> Changes:
    """Store the calendar URL and user name (one transaction). The password: `set_password`."""
    values = {CALDAV_URL: normalized_url(url), CALDAV_USER: user.strip()}
    now = clock.utc_now()
    with db.transaction() as session:
        for key, value in values.items():
            setting = session.get(Setting, key) or Setting(key=key)
            setting.value = value
            setting.updated_at = now
            session.add(setting)
    changes = Changes(settings=frozenset(values))
    return changes


def _keyring_error(exc: Exception) -> CMPlannerError:
    return CMPlannerError(
        _(
            "The system keyring cannot be used ({error}). The CalDAV password is never kept "
            "in the database; for a script, set the {variable} environment variable."
        ).format(error=exc, variable=PASSWORD_ENVIRONMENT)
    )


def get_password(user: str) -> str:
    """The CalDAV password of `user`: the environment variable if set, else the keyring's;
    "" when none is stored."""
    from_environment = os.environ.get(PASSWORD_ENVIRONMENT)
    if from_environment is not None:
        return from_environment
    # imported on use, not at the top: keeps it off the start-up path
    import keyring

    # imported on use, not at the top: keeps it off the start-up path
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, user) or ""
    except KeyringError as exc:
        raise _keyring_error(exc) from exc


def set_password(user: str, password: str) -> None:
    """Keep the password in the system keyring; an empty one removes it."""
    # imported on use, not at the top: keeps it off the start-up path
    import keyring

    # imported on use, not at the top: keeps it off the start-up path
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        if password:
            keyring.set_password(KEYRING_SERVICE, user, password)
        else:
            with contextlib.suppress(PasswordDeleteError):  # there was none
                keyring.delete_password(KEYRING_SERVICE, user)
    except KeyringError as exc:
        raise _keyring_error(exc) from exc
