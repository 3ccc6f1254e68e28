"""Read-only listings for the big lists: ids in display order first, then rows by batches.

A view keeps only the ids and asks for the rows it shows (Anki's browser model), so 100,000
contacts cost one id query and a few small row queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, case, func, literal, or_, select
from sqlalchemy import text as text_clause
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
from cmplanner.storage.search_index import TABLE as SEARCH_TABLE
from cmplanner.storage.search_index import match_query

Row = tuple[Any, ...]


def _columns(model: Any) -> Any:
    """A table's column collection: typed SQL expressions for Core queries."""
    return cast(Table, model.__table__).c


affiliation = _columns(Affiliation)
community = _columns(Community)
community_member = _columns(CommunityMember)
contact = _columns(Contact)
contact_address = _columns(ContactAddress)
contact_email = _columns(ContactEmail)
contact_phone = _columns(ContactPhone)
event = _columns(Event)
invitation = _columns(Invitation)
organization = _columns(Organization)
task = _columns(Task)
venue = _columns(Venue)


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


def matching_contacts(text: str) -> Any:
    """Ids of the contacts whose index row matches every word of `text` as a prefix."""
    query = match_query(text)
    if query is None:
        return select(contact.id)
    return text_clause(
        f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :q"
    ).bindparams(q=query)


# --- contacts -------------------------------------------------------------------------------

_contact_name = func.trim(contact.given_name + literal(" ") + contact.family_name)


def _contact_rows(ids: Sequence[int]) -> Select[Any]:
    email = _first(
        contact_email.address, contact_email.contact_id == contact.id, contact_email.position
    )
    phone = _first(
        contact_phone.number, contact_phone.contact_id == contact.id, contact_phone.position
    )
    org = (
        select(organization.name)
        .join(Affiliation, affiliation.organization_id == organization.id)
        .where(affiliation.contact_id == contact.id)
        .order_by(affiliation.id)
        .limit(1)
        .scalar_subquery()
    )
    city = _first(
        contact_address.city, contact_address.contact_id == contact.id, contact_address.position
    )
    return select(
        contact.id,
        contact.given_name,
        contact.family_name,
        email,
        phone,
        org,
        city,
        contact.last_seen,
    ).where(contact.id.in_(ids))


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
    base=lambda: select(contact.id),
    sort={
        "given_name": lambda: [func.lower(contact.given_name), func.lower(contact.family_name)],
        "family_name": lambda: [func.lower(contact.family_name), func.lower(contact.given_name)],
        "last_seen": lambda: [contact.last_seen, contact.id],
    },
    row_query=_contact_rows,
    search=lambda text: contact.id.in_(matching_contacts(text)),
)

# --- organizations --------------------------------------------------------------------------

_org_people = (
    select(func.count(affiliation.id))
    .where(affiliation.organization_id == organization.id)
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
    base=lambda: select(organization.id),
    sort={
        "name": lambda: [func.lower(organization.name)],
        "kind": lambda: [organization.kind, func.lower(organization.name)],
        "city": lambda: [func.lower(organization.city), func.lower(organization.name)],
        "people": lambda: [_org_people, func.lower(organization.name)],
    },
    row_query=lambda ids: select(
        organization.id,
        organization.name,
        organization.kind,
        organization.city,
        organization.website,
        _org_people,
    ).where(organization.id.in_(ids)),
    search=lambda text: _contains(text, organization.name, organization.city, organization.notes),
)

# --- communities ----------------------------------------------------------------------------

_members = (
    select(func.count(func.distinct(community_member.contact_id)))
    .where(community_member.community_id == community.id)
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
    base=lambda: select(community.id),
    sort={
        "name": lambda: [func.lower(community.name)],
        "pace_days": lambda: [community.pace_days, func.lower(community.name)],
        "members": lambda: [_members, func.lower(community.name)],
        "launch_date": lambda: [community.launch_date, func.lower(community.name)],
    },
    row_query=lambda ids: select(
        community.id,
        community.name,
        community.objective,
        community.pace_days,
        _members,
        community.launch_date,
    ).where(community.id.in_(ids)),
    search=lambda text: _contains(text, community.name, community.objective),
)

# --- events ---------------------------------------------------------------------------------

_guests = (
    select(func.count(func.distinct(invitation.contact_id)))
    .where(invitation.event_id == event.id)
    .scalar_subquery()
)


def _event_rows(ids: Sequence[int]) -> Select[Any]:
    return (
        select(
            event.id,
            event.start_local,
            event.title,
            event.kind,
            community.name,
            event.timezone,
            venue.name,
            event.status,
            event.rrule != "",
            _guests,
        )
        .outerjoin(Community, community.id == event.community_id)
        .outerjoin(Venue, venue.id == event.venue_id)
        .where(event.id.in_(ids))
    )


def _event_base() -> Select[Any]:
    return select(event.id).outerjoin(Community, community.id == event.community_id)


_EVENT_SORT: dict[str, Callable[[], Sequence[ColumnElement[Any]]]] = {
    "start": lambda: [event.start_utc, event.id],
    "title": lambda: [func.lower(event.title)],
    "kind": lambda: [event.kind, event.start_utc],
    "community": lambda: [func.lower(community.name), event.start_utc],
    "status": lambda: [event.status, event.start_utc],
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
    search=lambda text: _contains(text, event.title, event.description, community.name),
)


def _upcoming_base(days: int = 14) -> Select[Any]:
    now = clock.now_utc()
    return _event_base().where(
        or_(
            and_(event.start_utc >= now, event.start_utc < now + dt.timedelta(days=days)),
            and_(event.rrule != "", event.start_utc < now + dt.timedelta(days=days)),
        ),
        event.status != "cancelled",
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
    (task.due_date.is_not(None), task.due_date),
    else_=func.date(event.start_local, func.printf("%+d days", task.due_offset_days)),
)
_assignee = select(_contact_name).where(contact.id == task.assignee_id).scalar_subquery()


def _task_base() -> Select[Any]:
    return select(task.id).outerjoin(Event, event.id == task.event_id)


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
        "due": lambda: [task.done, _task_due, task.id],
        "title": lambda: [func.lower(task.title)],
        "event": lambda: [func.lower(event.title), _task_due],
        "assignee": lambda: [_assignee, _task_due],
        "done": lambda: [task.done, _task_due],
    },
    row_query=lambda ids: (
        select(task.id, _task_due, task.title, event.title, _assignee, task.done)
        .outerjoin(Event, event.id == task.event_id)
        .where(task.id.in_(ids))
    ),
    search=lambda text: _contains(text, task.title, task.notes, event.title),
)

LISTINGS: dict[str, Listing] = {
    listing.name: listing
    for listing in (CONTACTS, ORGANIZATIONS, COMMUNITIES, EVENTS, UPCOMING, TASKS)
}
