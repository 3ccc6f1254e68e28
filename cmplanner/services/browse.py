"""Read-only listings for the big lists: ids in display order first, then rows by batches.

A view keeps only the ids and asks for the rows it shows (Anki's browser model), so 100,000
contacts cost one id query and a few small row queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.sql import Select

from cmplanner import clock
from cmplanner.i18n import N_
from cmplanner.model import (
    Affiliation,
    Community,
    CommunityMember,
    Contact,
    ContactAddress,
    ContactEmail,
    ContactPhone,
    Event,
    Invitation,
    Organization,
    Task,
    Venue,
)
from cmplanner.storage import Database

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # msgid, translated where shown
    kind: str = "text"  # text | int | date | datetime | bool | enum | kind


@dataclass(frozen=True)
class Listing:
    """One browsable list: its columns, how to order ids, how to fetch rows."""

    name: str
    columns: tuple[Column, ...]
    base: Callable[[], Select[Any]]  # selects the id column, with joins and the default filter
    sort: dict[str, Callable[[], Sequence[ColumnElement[Any]]]]
    row_query: Callable[[Sequence[int]], Select[Any]]  # first selected column is the id
    search: Callable[[str], ColumnElement[bool]] | None = None

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def ids(
        self, db: Database, sort_key: str | None = None, descending: bool = False, text: str = ""
    ) -> list[int]:
        query = self.base()
        if text.strip() and self.search is not None:
            query = query.where(self.search(text.strip()))
        order = self.sort.get(sort_key or self.columns[0].key) or self.sort[self.columns[0].key]
        exprs = [e.desc() if descending else e.asc() for e in order()]
        query = query.order_by(*exprs)
        with db.engine.connect() as con:
            return [r[0] for r in con.execute(query)]

    def rows(self, db: Database, ids: Sequence[int]) -> dict[int, Row]:
        if not ids:
            return {}
        out: dict[int, Row] = {}
        with db.engine.connect() as con:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for r in con.execute(self.row_query(chunk)):
                    out[r[0]] = tuple(r[1:])
        return out


def _first(column: Any, where: ColumnElement[bool], order: Any) -> Any:
    return select(column).where(where).order_by(order).limit(1).scalar_subquery()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(text: str, *columns: Any) -> ColumnElement[bool]:
    pattern = _like(text)
    return or_(*[c.ilike(pattern, escape="\\") for c in columns])


# --- contacts -------------------------------------------------------------------------------

_contact_name = func.trim(Contact.given_name + literal(" ") + Contact.family_name)


def _contact_rows(ids: Sequence[int]) -> Select[Any]:
    email = _first(ContactEmail.address, ContactEmail.contact_id == Contact.id,
                   ContactEmail.position)
    phone = _first(ContactPhone.number, ContactPhone.contact_id == Contact.id,
                   ContactPhone.position)
    org = (
        select(Organization.name)
        .join(Affiliation, Affiliation.organization_id == Organization.id)
        .where(Affiliation.contact_id == Contact.id)
        .order_by(Affiliation.id)
        .limit(1)
        .scalar_subquery()
    )
    city = _first(ContactAddress.city, ContactAddress.contact_id == Contact.id,
                  ContactAddress.position)
    return select(
        Contact.id, Contact.given_name, Contact.family_name, email, phone, org, city,
        Contact.last_seen,
    ).where(Contact.id.in_(ids))  # type: ignore[union-attr]


CONTACTS = Listing(
    name="contacts",
    columns=(
        Column("given_name", N_("First name")),
        Column("family_name", N_("Last name")),
        Column("email", N_("E-mail")),
        Column("phone", N_("Phone")),
        Column("organization", N_("Organization")),
        Column("city", N_("City")),
        Column("last_seen", N_("Last seen"), "datetime"),
    ),
    base=lambda: select(Contact.id),
    sort={
        "given_name": lambda: [func.lower(Contact.given_name), func.lower(Contact.family_name)],
        "family_name": lambda: [func.lower(Contact.family_name), func.lower(Contact.given_name)],
        "last_seen": lambda: [Contact.last_seen, Contact.id],
    },
    row_query=_contact_rows,
    search=lambda text: or_(
        _contains(text, Contact.given_name, Contact.family_name, Contact.nickname, Contact.notes),
        Contact.id.in_(  # type: ignore[union-attr]
            select(ContactEmail.contact_id).where(_contains(text, ContactEmail.address))
        ),
    ),
)

# --- organizations --------------------------------------------------------------------------

_org_people = (
    select(func.count(Affiliation.id))
    .where(Affiliation.organization_id == Organization.id)
    .scalar_subquery()
)

ORGANIZATIONS = Listing(
    name="organizations",
    columns=(
        Column("name", N_("Name")),
        Column("kind", N_("Kind"), "enum"),
        Column("city", N_("City")),
        Column("website", N_("Website")),
        Column("people", N_("People"), "int"),
    ),
    base=lambda: select(Organization.id),
    sort={
        "name": lambda: [func.lower(Organization.name)],
        "kind": lambda: [Organization.kind, func.lower(Organization.name)],
        "city": lambda: [func.lower(Organization.city), func.lower(Organization.name)],
        "people": lambda: [_org_people, func.lower(Organization.name)],
    },
    row_query=lambda ids: select(
        Organization.id, Organization.name, Organization.kind, Organization.city,
        Organization.website, _org_people,
    ).where(Organization.id.in_(ids)),  # type: ignore[union-attr]
    search=lambda text: _contains(text, Organization.name, Organization.city, Organization.notes),
)

# --- communities ----------------------------------------------------------------------------

_members = (
    select(func.count(func.distinct(CommunityMember.contact_id)))
    .where(CommunityMember.community_id == Community.id)
    .scalar_subquery()
)
COMMUNITIES = Listing(
    name="communities",
    columns=(
        Column("name", N_("Name")),
        Column("objective", N_("Objective")),
        Column("pace_days", N_("Target pace (days)"), "int"),
        Column("members", N_("Members"), "int"),
        Column("launch_date", N_("Launch"), "date"),
    ),
    base=lambda: select(Community.id),
    sort={
        "name": lambda: [func.lower(Community.name)],
        "pace_days": lambda: [Community.pace_days, func.lower(Community.name)],
        "members": lambda: [_members, func.lower(Community.name)],
        "launch_date": lambda: [Community.launch_date, func.lower(Community.name)],
    },
    row_query=lambda ids: select(
        Community.id, Community.name, Community.objective, Community.pace_days, _members,
        Community.launch_date,
    ).where(Community.id.in_(ids)),  # type: ignore[union-attr]
    search=lambda text: _contains(text, Community.name, Community.objective),
)

# --- events ---------------------------------------------------------------------------------

_guests = (
    select(func.count(func.distinct(Invitation.contact_id)))
    .where(Invitation.event_id == Event.id)
    .scalar_subquery()
)


def _event_rows(ids: Sequence[int]) -> Select[Any]:
    return (
        select(
            Event.id, Event.start_local, Event.title, Event.kind, Community.name, Event.timezone,
            Venue.name, Event.status, Event.rrule != "", _guests,
        )
        .outerjoin(Community, Community.id == Event.community_id)
        .outerjoin(Venue, Venue.id == Event.venue_id)
        .where(Event.id.in_(ids))  # type: ignore[union-attr]
    )


def _event_base() -> Select[Any]:
    return select(Event.id).outerjoin(Community, Community.id == Event.community_id)


_EVENT_SORT: dict[str, Callable[[], Sequence[ColumnElement[Any]]]] = {
    "start": lambda: [Event.start_utc, Event.id],
    "title": lambda: [func.lower(Event.title)],
    "kind": lambda: [Event.kind, Event.start_utc],
    "community": lambda: [func.lower(Community.name), Event.start_utc],
    "status": lambda: [Event.status, Event.start_utc],
}

EVENTS = Listing(
    name="events",
    columns=(
        Column("start", N_("Start"), "datetime"),
        Column("title", N_("Title")),
        Column("kind", N_("Kind"), "kind"),
        Column("community", N_("Community")),
        Column("timezone", N_("Time zone")),
        Column("venue", N_("Venue")),
        Column("status", N_("Status"), "enum"),
        Column("recurring", N_("Recurring"), "bool"),
        Column("guests", N_("Guests"), "int"),
    ),
    base=_event_base,
    sort=_EVENT_SORT,
    row_query=_event_rows,
    search=lambda text: _contains(text, Event.title, Event.description, Community.name),
)


def _upcoming_base(days: int = 14) -> Select[Any]:
    now = clock.now_utc()
    return _event_base().where(
        or_(
            and_(Event.start_utc >= now, Event.start_utc < now + dt.timedelta(days=days)),
            and_(Event.rrule != "", Event.start_utc < now + dt.timedelta(days=days)),
        ),
        Event.status != "cancelled",
    )


UPCOMING = Listing(
    name="upcoming",
    columns=EVENTS.columns,
    base=_upcoming_base,
    sort=_EVENT_SORT,
    row_query=EVENTS.row_query,
    search=EVENTS.search,
)

# --- tasks ----------------------------------------------------------------------------------

_task_due = case(
    (Task.due_date.is_not(None), Task.due_date),  # type: ignore[union-attr]
    else_=func.date(Event.start_local, func.printf("%+d days", Task.due_offset_days)),
)
_assignee = (
    select(_contact_name).where(Contact.id == Task.assignee_id).scalar_subquery()
)


def _task_base() -> Select[Any]:
    return select(Task.id).outerjoin(Event, Event.id == Task.event_id)


TASKS = Listing(
    name="tasks",
    columns=(
        Column("due", N_("Due"), "date"),
        Column("title", N_("Task")),
        Column("event", N_("Event")),
        Column("assignee", N_("Assignee")),
        Column("done", N_("Done"), "bool"),
    ),
    base=_task_base,
    sort={
        "due": lambda: [Task.done, _task_due, Task.id],
        "title": lambda: [func.lower(Task.title)],
        "event": lambda: [func.lower(Event.title), _task_due],
        "assignee": lambda: [_assignee, _task_due],
        "done": lambda: [Task.done, _task_due],
    },
    row_query=lambda ids: select(
        Task.id, _task_due, Task.title, Event.title, _assignee, Task.done
    )
    .outerjoin(Event, Event.id == Task.event_id)
    .where(Task.id.in_(ids)),  # type: ignore[union-attr]
    search=lambda text: _contains(text, Task.title, Task.notes, Event.title),
)

LISTINGS: dict[str, Listing] = {
    listing.name: listing
    for listing in (CONTACTS, ORGANIZATIONS, COMMUNITIES, EVENTS, UPCOMING, TASKS)
}
