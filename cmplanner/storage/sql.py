"""What the services' SQL needs the same way everywhere: an instant in the form the database
stores, ids looked up in slices SQLite accepts, and a record asked for by id or NotFound.

Nothing here imports SQLAlchemy: the sqlite3 reading paths (lists, `events list`, exports)
use it without the half second of ORM imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar, cast, overload

from cmplanner.errors import NotFound
from cmplanner.i18n import N_, _

if TYPE_CHECKING:
    from sqlmodel import Session, SQLModel

Value = TypeVar("Value")
Row = TypeVar("Row", bound="SQLModel")


@overload
def sql_datetime(value: dt.datetime) -> str: ...
@overload
def sql_datetime(value: None) -> None: ...
def sql_datetime(value: dt.datetime | None) -> str | None:
    """A naive datetime (a wall-clock time, or UTC already) as SQLAlchemy stores it in SQLite:
    "2026-03-05 19:00:00.000000", the year in four digits; None stays None. `isoformat` is
    several times faster than `strftime`, which an import of 10,000 events notices."""
    return None if value is None else value.isoformat(" ", "microseconds")


def sql_instant(value: dt.datetime) -> str:
    """An aware instant as the database stores it: naive UTC text (`sql_datetime`), which
    sorts and compares with the stored ones."""
    return sql_datetime(value.astimezone(dt.UTC).replace(tzinfo=None))


CHUNK = 500  # values in one IN (…), well under SQLite's limit on a statement's parameters


def in_chunks(values: Sequence[Value]) -> Iterator[tuple[list[Value], str]]:
    """`values` in slices of at most CHUNK, each with its placeholders ("?,?,?") for an
    `IN (…)`: `for chunk, marks in in_chunks(ids): con.execute(f"… IN ({marks})", chunk)`."""
    for start in range(0, len(values), CHUNK):
        chunk = list(values[start : start + CHUNK])
        yield chunk, ",".join("?" * len(chunk))


# What a record asked for by id says when it is not there, by table (msgids, translated when
# said: a message is read in the language of the moment).
_MISSING = {
    "commitment": N_("Commitment {id} does not exist."),
    "community": N_("Community {id} does not exist."),
    "contact": N_("Contact {id} does not exist."),
    "event": N_("Event {id} does not exist."),
    "invitation": N_("Invitation {id} does not exist."),
    "organization": N_("Organization {id} does not exist."),
    "tag": N_("Tag {id} does not exist."),
    "task": N_("Task {id} does not exist."),
    "venue": N_("Venue {id} does not exist."),
    "work_entry": N_("Work entry {id} does not exist."),
}


def missing(table: str, record_id: object) -> str:
    """The user's words for a row of `table` that is not there: "Event 12 does not exist."."""
    return _(_MISSING[table]).format(id=record_id)


def get_or_raise(session: Session, table: type[Row], record_id: int) -> Row:
    """The row of `table` with this id; NotFound (`missing`) when there is none."""
    row = session.get(table, record_id)
    if row is None:
        raise NotFound(missing(cast(str, table.__tablename__), record_id))
    return row
