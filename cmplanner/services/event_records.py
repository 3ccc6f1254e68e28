"""What the event editor reads and writes besides the event itself: its fields as a Create
model, the venues and kinds to choose from, a new venue, and delete/restore for undo."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from cmplanner.bus import Changes, Written
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import _
from cmplanner.model import Event, EventCreate, Venue, VenueCreate
from cmplanner.model.enums import DEFAULT_EVENT_KINDS
from cmplanner.services.event_extras import EventExtras, read_extras, replace_extras
from cmplanner.services.events import update_event
from cmplanner.services.vocabulary import communities, organizations
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise, missing


@dataclass(frozen=True)
class VenueChoice:
    id: int
    name: str
    address: str  # one line: street, postal code and city, country
    capacity: int | None


@dataclass(frozen=True)
class EventForm:
    """An event as the editor shows it."""

    id: int
    data: EventCreate


@dataclass(frozen=True)
class EventSnapshot:
    """An event's row and every row that belonged to or pointed at it, as they were."""

    event_id: int
    rows: dict[str, list[dict[str, Any]]]  # table → rows (column → value); "event" first
    pointers: dict[str, list[tuple[int, str]]]  # table → (row id, column) set to NULL


def _address(street: str, postal_code: str, city: str, country: str) -> str:
    town = " ".join(p for p in (postal_code, city) if p)
    return ", ".join(p for p in (street, town, country) if p)


def venues(db: Database) -> tuple[VenueChoice, ...]:
    with db.read() as con:
        rows = con.execute(
            "SELECT id, name, street, postal_code, city, country, capacity FROM venue"
            " ORDER BY name COLLATE NOCASE, id"
        ).fetchall()
    return tuple(
        VenueChoice(int(i), str(n), _address(s, p, c, k), cap) for i, n, s, p, c, k, cap in rows
    )


def event_kinds(db: Database) -> tuple[str, ...]:
    """The shipped kinds, then the kinds users typed (in alphabetical order)."""
    with db.read() as con:
        used = [str(r[0]) for r in con.execute("SELECT DISTINCT kind FROM event ORDER BY kind")]
    return (*DEFAULT_EVENT_KINDS, *(k for k in used if k and k not in DEFAULT_EVENT_KINDS))


def create_venue(db: Database, data: VenueCreate) -> Written[int]:
    _check_venue(data)
    with db.transaction() as session:
        venue_id = create_venue_in(session, data)
    changes = Changes(venues=frozenset({venue_id}))
    return Written(venue_id, changes)


def create_venue_in(session: Session, data: VenueCreate) -> int:
    """`create_venue` inside the caller's transaction; the new venue's id."""
    _check_venue(data)
    venue = Venue(**data.model_dump())
    session.add(venue)
    session.flush()
    assert venue.id is not None
    return venue.id


def _check_venue(data: VenueCreate) -> None:
    if not data.name.strip():
        raise ValidationError(_("A venue needs a name."))


def get_event_form(db: Database, event_id: int) -> EventForm:
    with db.transaction() as session:
        event = get_or_raise(session, Event, event_id)
        data = EventCreate.model_validate(event.model_dump(include=set(EventCreate.model_fields)))
    return EventForm(event_id, data)


@dataclass(frozen=True)
class EventEdit:
    """An event's fields, and its budget, partners and team if an edit will change them, as
    they are: what `restore_edit` writes back."""

    event_id: int
    data: EventCreate
    extras: EventExtras | None


def take_edit(db: Database, event_id: int, extras: bool = True) -> EventEdit:
    data = get_event_form(db, event_id).data
    return EventEdit(event_id, data, read_extras(db, event_id) if extras else None)


def restore_edit(db: Database, edit: EventEdit) -> Changes:
    """Write the fields (and extras) back. It is an edit like any other: the SEQUENCE goes
    up, so the calendars that hold the event take the old version back too."""
    changes = update_event(db, edit.event_id, edit.data)
    if edit.extras is not None:
        changes |= replace_extras(db, edit.event_id, edit.extras)
    return changes


def _referring(con: Any) -> list[tuple[str, str, str]]:
    """(table, column, on delete) of every foreign key to event.id."""
    found = []
    tables = [
        r[0] for r in con.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
    ]
    for table in tables:
        for fk in con.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")'):
            if fk[2] == "event" and fk[4] in ("id", None):
                found.append((table, str(fk[3]), str(fk[6]).upper()))
    return found


def delete_event(db: Database, event_id: int) -> Written[EventSnapshot]:
    """Delete an event; the snapshot puts it back exactly (`restore_event`)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    pointers: dict[str, list[tuple[int, str]]] = {}
    with db.engine.begin() as con:
        event = con.exec_driver_sql("SELECT * FROM event WHERE id = ?", (event_id,))
        found = [dict(r._mapping) for r in event]
        if not found:
            raise NotFound(missing("event", event_id))
        rows["event"] = found
        for table, column, on_delete in _referring(con):
            result = con.exec_driver_sql(
                f'SELECT * FROM "{table}" WHERE "{column}" = ?', (event_id,)
            )
            if on_delete == "CASCADE":
                rows[table] = [dict(r._mapping) for r in result]
            else:
                pointers[table] = [(int(r._mapping["id"]), column) for r in result]
        con.exec_driver_sql("DELETE FROM event WHERE id = ?", (event_id,))
    changes = Changes(events=frozenset({event_id}))
    return Written(EventSnapshot(event_id, rows, pointers), changes)


def restore_event(db: Database, snapshot: EventSnapshot) -> Changes:
    with db.engine.begin() as con:
        for table, table_rows in snapshot.rows.items():
            for row in table_rows:
                names = ", ".join(f'"{k}"' for k in row)
                marks = ", ".join("?" * len(row))
                con.exec_driver_sql(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(row.values())
                )
        for table, refs in snapshot.pointers.items():
            for row_id, column in refs:
                con.exec_driver_sql(
                    f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?',
                    (snapshot.event_id, row_id),
                )
    changes = Changes(events=frozenset({snapshot.event_id}))
    return changes


@dataclass(frozen=True)
class EditorInput:
    """All the event editor shows: the event (None for a new one) and what to choose from."""

    form: EventForm | None
    communities: tuple[Any, ...]  # vocabulary.Choice
    venues: tuple[VenueChoice, ...]
    kinds: tuple[str, ...]
    # Budget, partners and core team (event_extras.EventExtras; empty for a new event) and
    # the organizations a partner is picked from. Contacts are searched as one types.
    extras: EventExtras = field(default_factory=EventExtras)
    organizations: tuple[Any, ...] = ()  # vocabulary.Choice


def editor_input(db: Database, event_id: int | None) -> EditorInput:
    form = get_event_form(db, event_id) if event_id is not None else None
    extras = read_extras(db, event_id) if event_id is not None else EventExtras()
    return EditorInput(
        form, communities(db), venues(db), event_kinds(db), extras, organizations(db)
    )
