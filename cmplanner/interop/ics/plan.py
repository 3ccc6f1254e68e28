"""What importing a parsed calendar would change: for each event ``create``, ``update`` (same
UID in the database), ``unchanged``, or ``keep`` (the database's SEQUENCE is newer than the
file's: the local copy is kept). Reads only."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from cmplanner.i18n import N_, _
from cmplanner.interop.ics.parse import (
    ImportedEvent,
    ImportedGuest,
    ImportedOverride,
    OccurrenceMessage,
    ParsedCalendar,
    Skipped,
)
from cmplanner.recurrence import is_occurrence
from cmplanner.services.preferences import IDENTITY_EMAIL, get
from cmplanner.storage.sql import in_chunks

if TYPE_CHECKING:
    from cmplanner.storage import Database

Action = Literal["create", "update", "unchanged", "keep"]


@dataclass(frozen=True)
class PlannedEvent:
    event: ImportedEvent
    action: Action
    event_id: int | None  # the database's event with this UID
    local_sequence: int | None = None
    # Messages about some of its occurrences only (the series is the database's): only
    # those occurrences and the SEQUENCE change.
    occurrences_only: bool = False


@dataclass
class ImportPlan:
    items: list[PlannedEvent]
    warnings: list[tuple[str, str]]
    skipped: list[Skipped] = field(default_factory=list)  # skip_invalid: left out

    def count(self, action: Action) -> int:
        return sum(1 for p in self.items if p.action == action)


_FIELDS = (
    "title",
    "kind",
    "status",
    "start_local",
    "end_local",
    "timezone",
    "all_day",
    "rrule",
    "description",
    "online_url",
    "venue",
    "objective",
    "capacity",
    "in_person",
    "community",
)


def plan_import(db: Database, parsed: ParsedCalendar) -> ImportPlan:
    """What importing would do to each event; reads only."""
    items: list[PlannedEvent] = []
    warnings_ = list(parsed.warnings)
    with db.read() as con:
        existing = _by_uid(con, [e.uid for e in parsed.events])
        stored_overrides = _stored_overrides(con, [row[0] for row in existing.values()])
        guests = _stored_guests(con, [row[0] for row in existing.values()])
        for event in parsed.events:
            row = existing.get(event.uid)
            if row is None:
                items.append(PlannedEvent(event, "create", None))
                continue
            event_id, sequence, *values = row
            if event.sequence < sequence:
                items.append(PlannedEvent(event, "keep", event_id, sequence))
                warnings_.append(
                    (
                        event.where(),
                        _(
                            "kept as it is here: this copy was changed since (SEQUENCE {local}"
                            " here, {file} in the file)"
                        ).format(local=sequence, file=event.sequence),
                    )
                )
                continue
            stored = dict(zip(_FIELDS, values, strict=True))
            same = (
                _signature(event, stored) == _stored_signature(stored)
                and _override_signature(event.overrides) == stored_overrides.get(event_id, set())
                and all(
                    guests.get(event_id, {}).get(g.email) in (g.rsvp, "keep")
                    or (g.rsvp == "needs-action" and g.email in guests.get(event_id, {}))
                    for g in event.guests
                )
                and sequence == event.sequence
            )
            items.append(PlannedEvent(event, "unchanged" if same else "update", event_id, sequence))
        found = _plan_occurrence_messages(con, parsed, items, warnings_)
        _plan_cancellations(con, parsed, items, warnings_)
    for uid, lines in parsed.orphans.items():
        if uid in found:
            continue
        for line in lines:
            warnings_.append(
                (
                    _("line {line}").format(line=line),
                    _(
                        "a changed occurrence (RECURRENCE-ID) of the series “{uid}”, which is not"
                        " in the file: ignored"
                    ).format(uid=uid),
                )
            )
    return ImportPlan(items, warnings_, list(parsed.skipped))


def _plan_occurrence_messages(
    con: sqlite3.Connection,
    parsed: ParsedCalendar,
    items: list[PlannedEvent],
    warnings_: list[tuple[str, str]],
) -> set[str]:
    """Messages for one occurrence of a series the database has (not the file): each read
    against that series, planned as a change of those occurrences only. A message older
    than the series here (SEQUENCE) is not applied; one for a date the series does not
    have is ignored; both say so. Returns the UIDs found."""
    by_uid: dict[str, list[OccurrenceMessage]] = {}
    for message in parsed.occurrence_messages:
        by_uid.setdefault(message.uid, []).append(message)
    existing = {uid: row for uid, row in _by_uid(con, list(by_uid)).items() if row[9]}
    if not existing:
        return set()
    ids = [row[0] for row in existing.values()]
    stored_overrides = _stored_overrides(con, ids)
    guests = _stored_guests(con, ids)
    for uid, row in existing.items():
        event_id, sequence, *values = row
        stored = dict(zip(_FIELDS, values, strict=True))
        series = _stored_series(uid, stored, guests.get(event_id, {}), by_uid[uid][0].line)
        newest = 0
        before = len(parsed.warnings)
        for message in by_uid[uid]:
            if message.sequence < sequence:
                items.append(PlannedEvent(series, "keep", event_id, sequence, True))
                warnings_.append(
                    (
                        _("line {line}").format(line=message.line),
                        _(
                            "a changed occurrence of “{title}”, kept as it is here: the series"
                            " was changed since (SEQUENCE {local} here, {file} in the file)"
                        ).format(title=series.title, local=sequence, file=message.sequence),
                    )
                )
                continue
            message.read(series)
            newest = max(newest, message.sequence)
        warnings_ += parsed.warnings[before:]
        series.overrides = [o for o in series.overrides if _is_occurrence(series, o, warnings_)]
        if not series.overrides:
            continue
        series.sequence = max(sequence, newest)
        same = series.sequence == sequence and _override_signature(series.overrides) <= (
            stored_overrides.get(event_id, set())
        )
        action: Action = "unchanged" if same else "update"
        items.append(PlannedEvent(series, action, event_id, sequence, True))
    return set(existing)


def _plan_cancellations(
    con: sqlite3.Connection,
    parsed: ParsedCalendar,
    items: list[PlannedEvent],
    warnings_: list[tuple[str, str]],
) -> None:
    """A METHOD:CANCEL of a whole event here: its status becomes "cancelled" (with the
    message's SEQUENCE), nothing else changes. Older than the event here: kept. An event
    that is not here: nothing is created."""
    existing = _by_uid(con, [uid for uid, _line, _seq in parsed.cancellations])
    for uid, line, message_sequence in parsed.cancellations:
        where = _("line {line}").format(line=line)
        row = existing.get(uid)
        if row is None:
            warnings_.append(
                (
                    where,
                    _("the cancellation of “{uid}”, an event not here: ignored").format(uid=uid),
                )
            )
            continue
        event_id, sequence, *values = row
        event = _stored_series(uid, dict(zip(_FIELDS, values, strict=True)), {}, line)
        if message_sequence < sequence:
            items.append(PlannedEvent(event, "keep", event_id, sequence, True))
            warnings_.append(
                (
                    event.where(),
                    _(
                        "kept as it is here: this copy was changed since (SEQUENCE {local}"
                        " here, {file} in the file)"
                    ).format(local=sequence, file=message_sequence),
                )
            )
            continue
        same = event.status == "cancelled" and message_sequence <= sequence
        event.status = "cancelled"
        event.sequence = max(sequence, message_sequence)
        action: Action = "unchanged" if same else "update"
        items.append(PlannedEvent(event, action, event_id, sequence, True))


def _stored_series(
    uid: str, stored: dict[str, Any], guests: dict[str, str], line: int
) -> ImportedEvent:
    """A series of the database as the import reads events: what an occurrence's message is
    read against (its zone, times, status, title and guests' answers)."""
    return ImportedEvent(
        uid=uid,
        line=line,
        sequence=0,
        title=str(stored["title"]),
        kind=str(stored["kind"]),
        status=str(stored["status"]),
        start_local=dt.datetime.fromisoformat(str(stored["start_local"])),
        end_local=dt.datetime.fromisoformat(str(stored["end_local"])),
        timezone=str(stored["timezone"]),
        all_day=bool(stored["all_day"]),
        rrule=str(stored["rrule"]),
        description=str(stored["description"]),
        url=str(stored["online_url"]),
        location="",
        latitude=None,
        longitude=None,
        guests=tuple(ImportedGuest(email, "", rsvp) for email, rsvp in guests.items()),
    )


def _is_occurrence(series: ImportedEvent, override: ImportedOverride, said: list[Any]) -> bool:
    original = override.recurrence_id
    if is_occurrence(series.rrule, series.start_local, original):
        return True
    said.append(
        (
            series.where(),
            _("“{title}” has no occurrence on {when}: the message for that date is ignored").format(
                title=series.title, when=f"{original:%Y-%m-%d %H:%M}"
            ),
        )
    )
    return False


def _by_uid(con: sqlite3.Connection, uids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    found: dict[str, tuple[Any, ...]] = {}
    wanted = list(dict.fromkeys(uids))
    for chunk, marks in in_chunks(wanted):
        for row in con.execute(
            "SELECT e.uid, e.id, e.sequence, e.title, e.kind, e.status, e.start_local,"
            " e.end_local, e.timezone, e.all_day, e.rrule, e.description, e.online_url,"
            " coalesce(v.name, ''), e.objective, e.capacity, e.in_person, coalesce(c.name, '')"
            " FROM event e LEFT JOIN venue v ON v.id = e.venue_id"
            " LEFT JOIN community c ON c.id = e.community_id"
            f" WHERE e.uid IN ({marks})",
            chunk,
        ):
            found[str(row[0])] = tuple(row[1:])
    return found


def _stored_overrides(con: sqlite3.Connection, ids: Sequence[int]) -> dict[int, set[Any]]:
    found: dict[int, set[Any]] = {}
    for chunk, marks in in_chunks(ids):
        for event_id, rid, cancelled, begin, end, status, title in con.execute(
            "SELECT event_id, recurrence_id, cancelled, start_local, end_local, status, title"
            f" FROM occurrence_exception WHERE event_id IN ({marks})",
            chunk,
        ):
            if not cancelled and begin is None and not status and not title:
                continue  # only a note: no file carries it (export_file leaves it out)
            found.setdefault(int(event_id), set()).add(
                (_naive(rid), bool(cancelled), _naive(begin), _naive(end), status or "", title)
            )
    return found


def _stored_guests(con: sqlite3.Connection, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Per event, the e-mails of its guests (shared list) and their answers."""
    found: dict[int, dict[str, str]] = {}
    for chunk, marks in in_chunks(ids):
        for event_id, address, rsvp in con.execute(
            "SELECT i.event_id, lower(m.address), i.rsvp FROM invitation i"
            " JOIN contact_email m ON m.contact_id = i.contact_id"
            f" WHERE i.occurrence IS NULL AND i.event_id IN ({marks})",
            chunk,
        ):
            found.setdefault(int(event_id), {})[str(address)] = str(rsvp)
    return found


def _naive(text: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(str(text)) if text else None


def _signature(event: ImportedEvent, stored: dict[str, Any]) -> tuple[Any, ...]:
    """The event as the database would hold it after the import (what the file does not
    say stays as stored)."""
    venue = event.venue_fields()

    def given(value: Any, name: str) -> Any:
        return value if value is not None or event.ours else stored[name]

    community = given(event.community, "community")
    return (
        event.title,
        event.kind or stored["kind"],
        event.status,
        event.start_local,
        event.end_local,
        event.timezone,
        event.all_day,
        _canonical_rule(event.rrule),
        event.description,
        event.url,
        venue.name.casefold() if venue else "",
        given(event.objective, "objective") or "",
        given(event.capacity, "capacity"),
        bool(given(event.in_person, "in_person")),
        (community or "").casefold(),
    )


def _stored_signature(stored: dict[str, Any]) -> tuple[Any, ...]:
    return (
        stored["title"],
        stored["kind"],
        stored["status"],
        _naive(stored["start_local"]),
        _naive(stored["end_local"]),
        stored["timezone"],
        bool(stored["all_day"]),
        _canonical_rule(stored["rrule"]),
        stored["description"],
        stored["online_url"],
        str(stored["venue"]).casefold(),
        stored["objective"] or "",
        stored["capacity"],
        bool(stored["in_person"]),
        str(stored["community"]).casefold(),
    )


@functools.lru_cache(maxsize=1024)
def _canonical_rule(rule: str) -> str:
    """A rule whatever the order of its parts ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH" is
    "FREQ=WEEKLY;BYDAY=TH;INTERVAL=2")."""
    if not rule:
        return ""
    try:
        # imported on use, not at the top: keeps it off the start-up path
        import icalendar

        return str(icalendar.vRecur.from_ical(rule).to_ical().decode())
    except (ValueError, TypeError):
        return rule


def _override_signature(overrides: Iterable[ImportedOverride]) -> set[Any]:
    return {
        (o.recurrence_id, o.cancelled, o.start_local, o.end_local, o.status, o.title)
        for o in overrides
    }


def parse_options(db: Database) -> dict[str, Any]:
    """What parse_bytes needs from the database: the kinds in use and the CM's e-mail."""
    with db.read() as con:
        kinds = [str(r[0]) for r in con.execute("SELECT DISTINCT kind FROM event") if r[0]]
    return {"kinds": kinds, "own_email": get(db, IDENTITY_EMAIL)}


# Words shown by the CLI and the GUI next to each planned event.
ACTION_LABELS = {
    "create": N_("create"),
    "update": N_("update"),
    "unchanged": N_("unchanged"),
    "keep": N_("kept (newer here)"),
}
