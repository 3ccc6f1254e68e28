"""Publish events to a CalDAV calendar (Nextcloud, Radicale…) for colleagues to subscribe to.

One calendar object per event UID (`<uid>.ics`, the event's `METHOD:PUBLISH` calendar without
guests). What was sent is remembered per calendar URL and UID in `caldav_resource` (href, ETag,
sha256 of the bytes), so that a publish:

- sends an event only when its bytes changed, or when the server's copy is not the one we
  published (edited or deleted there by someone: CM Planner is the source, ours replaces it and
  the report names it);
- deletes the resources it is responsible for whose event is gone or no longer chosen;
- never touches a resource it did not publish (a colleague's own events in the same calendar).

Scope of deletions. Publishing everything is responsible for every resource this database
published to the calendar. Publishing one community is responsible only for its own events,
and for the resources of deleted events (their event no longer exists, so they belong to no
community any more: leaving them would show colleagues a meeting that will not happen). An
event of another community, or one moved to another community, is left as it is on the server:
that community's publish (or a full publish) updates it.

The database stays consistent with the server: a row is written only after the server accepted
the PUT or DELETE, rows are committed in batches and always before an error is raised, so an
interrupted publish is simply finished by the next one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from cmplanner import clock
from cmplanner.errors import CMPlannerError, NotFound
from cmplanner.i18n import _
from cmplanner.interop.ics.export import build_calendar, load_events, serialize
from cmplanner.model import CalDAVResource
from cmplanner.recurrence import check_rule
from cmplanner.services.caldav_settings import get_password, load, normalized_url

if TYPE_CHECKING:
    from caldav.davclient import DAVClient
    from caldav.response import DAVResponse, PropfindResult

    from cmplanner.interop.ics.export import ExportEvent
    from cmplanner.storage import Database

Progress = Callable[[int, int, str], None]  # (done, total, what is being sent now)

TIMEOUT_SECONDS = 30
BATCH = 50  # rows written per transaction
_PLAIN_UID = re.compile(r"[A-Za-z0-9@._-]{1,200}")
_CALENDAR_TYPE = "{urn:ietf:params:xml:ns:caldav}calendar"


class CalDAVError(CMPlannerError):
    """The publish could not be done or finished; the message says why and names the URL."""


class PublishCancelled(CalDAVError):
    """Raised by a progress callback to stop a publish (the user's Cancel); what the server
    took is recorded, the next publish does the rest."""

    def __init__(self) -> None:
        super().__init__(
            _("Publishing stopped: what was sent is recorded, publish again to finish.")
        )


@dataclass(frozen=True)
class CalDAVAccount:
    url: str
    user: str = ""
    password: str = ""


@dataclass(frozen=True)
class PublishReport:
    calendar_url: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    # events whose copy on the server had been edited, or deleted, by someone else: ours won
    overwritten: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    # events not sent, one sentence each: a rule an old version stored that repeats more than
    # once a day (colleagues' calendars would expand it for ever)
    held_back: tuple[str, ...] = ()


@dataclass
class _Row:
    uid: str
    event_id: int | None
    href: str
    etag: str
    digest: str
    community_id: int | None = None  # of its event, when the event still exists


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    overwritten: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)


def resource_name(uid: str) -> str:
    """The file name of an event's calendar object: `<uid>.ics`; a UID with characters that
    servers handle badly in a path (/, spaces, …) is replaced by its sha256."""
    if _PLAIN_UID.fullmatch(uid):
        return f"{uid}.ics"
    return hashlib.sha256(uid.encode("utf-8")).hexdigest() + ".ics"


def event_bytes(event: ExportEvent) -> bytes:
    """The calendar object published for one event: its VEVENTs and VTIMEZONEs, the same
    bytes for the same event. Without METHOD: a calendar object resource must not have one
    (RFC 4791 §4.1; strict servers refuse it)."""
    return serialize(build_calendar([event], method=""))


def publish_from_settings(
    db: Database, *, community: str | None = None, progress: Progress | None = None
) -> PublishReport:
    """Publish with the calendar URL and user of the database's settings and the password
    kept in the system keyring."""
    settings = load(db)
    if not settings.configured:
        raise CalDAVError(
            _("No CalDAV calendar is set: enter its address in Preferences › CalDAV first.")
        )
    password = get_password(settings.user) if settings.user else ""
    account = CalDAVAccount(settings.url, settings.user, password)
    return publish(db, account, community=community, progress=progress)


def publish(
    db: Database,
    account: CalDAVAccount,
    *,
    community: str | None = None,
    progress: Progress | None = None,
    client: DAVClient | None = None,
) -> PublishReport:
    """Publish every event, or the events of the community with this name, to the calendar.

    Raises CalDAVError (server unreachable, login refused, no calendar at the URL, a resource
    refused) with what was done until then recorded; NotFound for an unknown community.
    `progress` is called from the thread running the publish, before each event and at the
    end; raising from it (PublishCancelled) stops the publish the same way."""
    url = normalized_url(account.url)
    community_id = _community_id(db, community) if community is not None else None
    events = load_events(db, community=community_id, guests=False)
    rows = _rows(db, url)
    chosen = {e.uid for e in events}  # a held back event's copy on the server stays there
    problems = {e.uid: note for e in events if (note := _rule_problem(e))}
    events = [e for e in events if e.uid not in problems]
    doomed = [r for r in rows.values() if r.uid not in chosen and _responsible(r, community_id)]
    owned = client is None
    if client is None:
        client = _client(account, url)
    try:
        on_server = _calendar_etags(client, url)
        counts = _Counts()
        writer = _RowWriter(db, url)
        total = len(events) + len(doomed)
        done = 0
        try:
            for event in events:
                if progress is not None:
                    progress(done, total, event.title)
                row = rows.get(event.uid)
                _publish_event(client, url, event, row, on_server, counts, writer)
                done += 1
            for row in doomed:
                if progress is not None:
                    progress(done, total, _("Removing {uid}").format(uid=row.uid))
                _delete(client, url, row, counts, writer)
                done += 1
            if progress is not None:
                progress(total, total, "")
        finally:
            writer.flush()
    finally:
        if owned:
            client.close()
    return PublishReport(
        calendar_url=url,
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        deleted=counts.deleted,
        overwritten=tuple(counts.overwritten),
        restored=tuple(counts.restored),
        held_back=tuple(problems.values()),
    )


def _rule_problem(event: ExportEvent) -> str:
    """Why the event is not published (its rule is one CM Planner no longer takes), or ""."""
    if not event.rrule:
        return ""
    try:
        check_rule(event.rrule, event.start_local)
    except ValueError as exc:
        return _(
            "“{title}” is not published, its recurrence rule “{rule}” is not valid: {reason}."
            " Edit the event to correct it."
        ).format(title=event.title, rule=event.rrule, reason=exc)
    return ""


def check_calendar(account: CalDAVAccount) -> int:
    """Check that the account can log in and that its URL is a calendar (a Preferences
    "Test" button); the number of objects the calendar holds. Raises CalDAVError."""
    url = normalized_url(account.url)
    with _client(account, url) as client:
        return len(_calendar_etags(client, url))


# --- what this database published --------------------------------------------------------------


def _community_id(db: Database, name: str) -> int:
    """The community with this name (exact, else the only one differing in case only)."""
    name = name.strip()
    with db.read() as con:
        found = con.execute("SELECT id FROM community WHERE name = ?", (name,)).fetchall()
        if not found:
            found = con.execute(
                "SELECT id FROM community WHERE lower(name) = lower(?)", (name,)
            ).fetchall()
    if len(found) != 1:
        raise NotFound(_("There is no community “{name}”.").format(name=name))
    return int(found[0][0])


def _rows(db: Database, url: str) -> dict[str, _Row]:
    with db.read() as con:
        found = con.execute(
            "SELECT r.uid, e.id, r.href, r.etag, r.digest, e.community_id"
            " FROM caldav_resource r LEFT JOIN event e ON e.uid = r.uid"
            " WHERE r.calendar_url = ?",
            (url,),
        ).fetchall()
    return {str(r[0]): _Row(*r) for r in found}


def _responsible(row: _Row, community_id: int | None) -> bool:
    """Whether this publish may delete the resource (see the module's docstring)."""
    if community_id is None or row.event_id is None:
        return True
    return row.community_id == community_id


class _RowWriter:
    """Writes the rows of what the server accepted, in batches, each in one transaction."""

    def __init__(self, db: Database, url: str) -> None:
        self.db = db
        self.url = url
        self.pending: list[tuple[str, _Row | None]] = []  # (uid, row to store or None: delete)

    def put(self, row: _Row) -> None:
        self.pending.append((row.uid, row))
        if len(self.pending) >= BATCH:
            self.flush()

    def remove(self, uid: str) -> None:
        self.pending.append((uid, None))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        # imported on use, not at the top: keeps it off the start-up path
        from sqlmodel import select

        now = clock.utc_now()
        with self.db.transaction() as session:
            for uid, row in self.pending:
                stored = session.exec(
                    select(CalDAVResource).where(
                        CalDAVResource.calendar_url == self.url, CalDAVResource.uid == uid
                    )
                ).first()
                if row is None:
                    if stored is not None:
                        session.delete(stored)
                    continue
                if stored is None:
                    stored = CalDAVResource(calendar_url=self.url, uid=uid, published_at=now)
                stored.event_id = row.event_id
                stored.href = row.href
                stored.etag = row.etag
                stored.digest = row.digest
                stored.published_at = now
                stored.updated_at = now
                session.add(stored)
        self.pending = []


# --- talking to the server -----------------------------------------------------------------------


def _client(account: CalDAVAccount, url: str) -> DAVClient:
    # imported on use, not at the top: keeps it off the start-up path
    from caldav.davclient import DAVClient

    return DAVClient(
        url=url,
        username=account.user or None,
        password=account.password or None,
        timeout=TIMEOUT_SECONDS,
        enable_rfc6764=False,
    )


def _request(client: DAVClient, url: str, call: Callable[[], DAVResponse]) -> DAVResponse:
    """Run one request; network and login failures become CalDAVError naming the URL."""
    # imported on use, not at the top: keeps it off the start-up path
    from caldav.lib.error import AuthorizationError, DAVError

    try:
        return call()
    except AuthorizationError as exc:
        if exc.status == 403:
            raise CalDAVError(
                _("The CalDAV server does not allow user “{user}” to write to {url}.").format(
                    user=client.username or "", url=url
                )
            ) from exc
        if client.username and not client.password:
            raise CalDAVError(
                _(
                    "No password is stored for user “{user}” of {url}: "
                    "enter it in Preferences › CalDAV."
                ).format(user=client.username, url=url)
            ) from exc
        if not client.username:
            raise CalDAVError(
                _(
                    "The CalDAV server at {url} asks for a user name and a password: "
                    "enter them in Preferences › CalDAV."
                ).format(url=url)
            ) from exc
        raise CalDAVError(
            _(
                "The CalDAV server refused the login of user “{user}” at {url}: "
                "check the user name and the password."
            ).format(user=client.username, url=url)
        ) from exc
    except DAVError as exc:
        raise CalDAVError(
            _("The CalDAV server at {url} failed: {error}").format(url=url, error=exc)
        ) from exc
    except OSError as exc:  # niquests' ConnectionError, Timeout… are OSErrors
        raise CalDAVError(
            _("Cannot reach the CalDAV server at {url}: {error}").format(
                url=url, error=_reason(exc)
            )
        ) from exc


def _reason(exc: BaseException) -> str:
    """The innermost cause of a network error, which says what happened (refused, timeout,
    unknown host) without the connection pool's wrapping."""
    text = str(exc)
    for pattern in (r"\[Errno -?\d+\] ([^'\")]+)", r"(timed out)", r"(Name or service not known)"):
        found = re.search(pattern, text)
        if found:
            return found.group(1).strip()
    return text


def _path(href: str, base: str) -> str:
    """A resource's path, unquoted, to compare hrefs however a server spells them."""
    return unquote(urlsplit(urljoin(base, href)).path)


def _propfind_results(response: DAVResponse) -> list[PropfindResult]:
    # imported on use, not at the top: keeps it off the start-up path
    from caldav.response import PropfindResult

    return [r for r in response.results or [] if isinstance(r, PropfindResult)]


def _calendar_etags(client: DAVClient, url: str) -> dict[str, str]:
    """Check that `url` is a calendar we can read, and list its objects: path → ETag."""
    response = _request(
        client, url, lambda: client.propfind(url, ["resourcetype", "getetag"], depth=1)
    )
    if response.status == 404:
        raise CalDAVError(_("There is no calendar at {url}.").format(url=url))
    if response.status not in (200, 207):
        raise CalDAVError(
            _("The CalDAV server at {url} answered {status} {reason}.").format(
                url=url, status=response.status, reason=response.reason or ""
            )
        )
    own = _path(url, url)
    found: dict[str, str] = {}
    is_calendar = False
    for result in _propfind_results(response):
        path = _path(result.href, url)
        types = result.properties.get("{DAV:}resourcetype") or []
        if path.rstrip("/") == own.rstrip("/"):
            is_calendar = _CALENDAR_TYPE in types
        elif "{DAV:}collection" not in types:
            found[path] = str(result.properties.get("{DAV:}getetag") or "")
    if not is_calendar:
        raise CalDAVError(
            _(
                "{url} is not a calendar (an account or a folder?): give the address of "
                "the calendar itself."
            ).format(url=url)
        )
    return found


def _etag_of(client: DAVClient, href: str, response: DAVResponse) -> str:
    """The ETag the server gave the object just written; asked for when the PUT did not say
    (a server that rewrote our data does not give one)."""
    etag = response.headers.get("ETag") if response.headers else None
    if etag:
        return str(etag)
    check = _request(client, href, lambda: client.propfind(href, ["getetag"], depth=0))
    for result in _propfind_results(check):
        value = result.properties.get("{DAV:}getetag")
        if value:
            return str(value)
    return ""


def _put(
    client: DAVClient, href: str, data: bytes, condition: dict[str, str], title: str
) -> tuple[DAVResponse, bool]:
    """PUT under a condition (If-Match / If-None-Match); when someone changed the object in
    between (412), put ours anyway: CM Planner is the source. Returns (response, overwrote)."""
    headers = {"Content-Type": "text/calendar; charset=utf-8", **condition}
    body: Any = data  # caldav sends bytes as they are
    response = _request(client, href, lambda: client.put(href, body, headers))
    overwrote = False
    if response.status == 412:
        overwrote = True
        plain = {"Content-Type": "text/calendar; charset=utf-8"}
        response = _request(client, href, lambda: client.put(href, body, plain))
    if response.status not in (200, 201, 204):
        raise CalDAVError(
            _("The CalDAV server refused “{title}” ({status} {reason}) at {url}.").format(
                title=title, status=response.status, reason=response.reason or "", url=href
            )
        )
    return response, overwrote


def _publish_event(
    client: DAVClient,
    url: str,
    event: ExportEvent,
    row: _Row | None,
    on_server: dict[str, str],
    counts: _Counts,
    writer: _RowWriter,
) -> None:
    data = event_bytes(event)
    digest = hashlib.sha256(data).hexdigest()
    event_id = event.id
    href = urljoin(url, row.href) if row and row.href else url + quote(resource_name(event.uid))
    server_etag = on_server.get(_path(href, url))
    # Someone else changed our copy on the server (an ETag we did not get from our own PUT).
    edited_there = bool(row and row.etag and server_etag and server_etag != row.etag)
    if row is not None and row.digest == digest and server_etag is not None and not edited_there:
        counts.unchanged += 1
        if row.event_id != event_id or row.etag != server_etag:
            writer.put(_Row(event.uid, event_id, row.href, server_etag, digest))
        return
    if server_etag is None:
        response, overwrote = _put(client, href, data, {"If-None-Match": "*"}, event.title)
        counts.created += 1
        if row is not None:
            counts.restored.append(event.title)  # it was deleted on the server
    else:
        response, overwrote = _put(client, href, data, {"If-Match": server_etag}, event.title)
        counts.updated += 1
        overwrote = overwrote or edited_there
    if overwrote:
        counts.overwritten.append(event.title)
    etag = _etag_of(client, href, response)
    writer.put(_Row(event.uid, event_id, _relative(href, url), etag, digest))


def _relative(href: str, url: str) -> str:
    """The href as stored: its path on the server."""
    return urlsplit(urljoin(url, href)).path


def _delete(client: DAVClient, url: str, row: _Row, counts: _Counts, writer: _RowWriter) -> None:
    href = urljoin(url, row.href) if row.href else url + quote(resource_name(row.uid))
    # Unconditional: the event is gone here, so it goes there too, even if someone edited it.
    response = _request(client, href, lambda: client.delete(href))
    if response.status not in (200, 204, 404, 410):
        raise CalDAVError(
            _("The CalDAV server did not delete {url} ({status} {reason}).").format(
                url=href, status=response.status, reason=response.reason or ""
            )
        )
    counts.deleted += 1
    writer.remove(row.uid)
