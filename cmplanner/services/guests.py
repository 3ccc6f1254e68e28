"""Guests of an event: invitations, RSVP with a waitlist, counts, check-in at the door.

A series has one shared guest list (`occurrence` None). RSVP and attendance for one
occurrence live on a per-occurrence row (`occurrence` = its original local start), created
when first needed; for that occurrence it stands in for the guest's shared row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from cmplanner import clock
from cmplanner.bus import Changes, Written
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import _
from cmplanner.model import Contact, Event, Invitation, OccurrenceException
from cmplanner.model.enums import GuestRole, Rsvp
from cmplanner.model.names import display_name
from cmplanner.services import guest_sheets
from cmplanner.services.browse import CONTACTS
from cmplanner.services.contact_data import ContactData
from cmplanner.services.contact_records import contact_names
from cmplanner.services.contacts import create_contact, mark_seen
from cmplanner.services.event_dates import dates_of
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise, missing


@dataclass(frozen=True)
class Candidate:
    """A guest matching what was typed at the door."""

    invitation_id: int
    contact_id: int
    name: str
    role: str
    rsvp: str
    attended: bool | None
    checked_in_at: dt.datetime | None


def _iid(invitation: Invitation) -> int:
    assert invitation.id is not None
    return int(invitation.id)


def _check_occurrence(event: Event, occurrence: dt.datetime | None) -> None:
    guest_sheets.check_occurrence(event.title, event.rrule, occurrence)


def _rows(session: Session, event_id: int, occurrence: dt.datetime | None) -> list[Invitation]:
    """The guest list as it stands for `occurrence` (None: the event's or series' own list)."""
    query = select(Invitation).where(Invitation.event_id == event_id)
    if occurrence is None:
        query = query.where(col(Invitation.occurrence).is_(None))
    else:
        query = query.where(
            (col(Invitation.occurrence).is_(None)) | (Invitation.occurrence == occurrence)
        )
    rows = list(session.exec(query.order_by(col(Invitation.id))).all())
    if occurrence is None:
        return rows
    own = {r.contact_id for r in rows if r.occurrence is not None and r.contact_id is not None}
    return [r for r in rows if r.occurrence is not None or r.contact_id not in own]


def _seats(invitation: Invitation) -> int:
    return 1 + invitation.plus_ones


def _holds_seat(invitation: Invitation) -> bool:
    return invitation.waitlist_position is None and invitation.rsvp != Rsvp.DECLINED


def _seats_taken(rows: Iterable[Invitation]) -> int:
    return sum(_seats(r) for r in rows if _holds_seat(r))


def _next_waitlist_position(rows: Iterable[Invitation]) -> int:
    return max((r.waitlist_position or 0 for r in rows), default=0) + 1


# --- who to invite ----------------------------------------------------------------------------


def people_of_community(db: Database, community_id: int, role: str | None = None) -> list[int]:
    """Contact ids of a community's members (in one role if given), by name."""
    sql = (
        "SELECT DISTINCT c.id, c.given_name, c.family_name FROM community_member m"
        " JOIN contact c ON c.id = m.contact_id WHERE m.community_id = ?"
    )
    params: list[object] = [community_id]
    if role:
        sql += " AND m.role = ?"
        params.append(role)
    return _ids(db, sql, params)


def people_with_tag(db: Database, tag: int | str) -> list[int]:
    """Contact ids carrying a tag, given by id or by name (case-insensitive)."""
    sql = (
        "SELECT c.id, c.given_name, c.family_name FROM contact_tag ct JOIN tag g"
        " ON g.id = ct.tag_id JOIN contact c ON c.id = ct.contact_id WHERE "
    )
    if isinstance(tag, int):
        return _ids(db, sql + "g.id = ?", [tag])
    return _ids(db, sql + "g.name = ? COLLATE NOCASE", [tag.strip()])


def people_of_organization(db: Database, organization_id: int) -> list[int]:
    """Contact ids of an organization's people."""
    sql = (
        "SELECT DISTINCT c.id, c.given_name, c.family_name FROM affiliation a"
        " JOIN contact c ON c.id = a.contact_id WHERE a.organization_id = ?"
    )
    return _ids(db, sql, [organization_id])


def _ids(db: Database, sql: str, params: Sequence[object]) -> list[int]:
    order = " ORDER BY c.given_name COLLATE NOCASE, c.family_name COLLATE NOCASE, c.id"
    with db.read() as con:
        return [int(r[0]) for r in con.execute(sql + order, list(params))]


def event_community(db: Database, event_id: int) -> int | None:
    """The community the event is for, if any ("Invite a community" proposes it first)."""
    with db.read() as con:
        row = con.execute("SELECT community_id FROM event WHERE id = ?", (event_id,)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


# --- the guest list ---------------------------------------------------------------------------


def add_guests(
    db: Database, event_id: int, contact_ids: Sequence[int], role: str = "guest"
) -> Changes:
    """Invite contacts to the event's (or series') guest list; those already on it are skipped.

    Every guest who is not declined or waitlisted holds a seat (with their plus-ones) until
    they answer; once those seats reach the event's capacity, new guests join the waitlist
    in the order they were added."""
    with db.transaction() as session:
        added = add_guests_in(session, event_id, contact_ids, role)
    return Changes(
        invitations=frozenset(added.values()),
        events=frozenset({event_id}),
        contacts=frozenset(added),
    )


def add_guests_in(
    session: Session, event_id: int, contact_ids: Sequence[int], role: str = "guest"
) -> dict[int, int]:
    """`add_guests` inside the caller's transaction; the new invitations' ids by contact."""
    if role not in set(GuestRole):
        raise ValidationError(_("Unknown guest role “{role}”.").format(role=role))
    event = get_or_raise(session, Event, event_id)
    rows = _rows(session, event_id, None)
    have = {r.contact_id for r in rows}
    known = set(
        session.exec(select(Contact.id).where(col(Contact.id).in_(list(contact_ids)))).all()
    )
    taken = _seats_taken(rows)
    position = _next_waitlist_position(rows)
    new: dict[int, Invitation] = {}
    for contact_id in dict.fromkeys(contact_ids):
        if contact_id in have:
            continue
        if contact_id not in known:
            raise NotFound(missing("contact", contact_id))
        invitation = Invitation(event_id=event_id, contact_id=contact_id, role=role)
        if event.capacity is not None and taken + 1 > event.capacity:
            invitation.waitlist_position = position
            position += 1
        else:
            taken += 1
        session.add(invitation)
        new[contact_id] = invitation
    session.flush()
    return {contact_id: _iid(i) for contact_id, i in new.items()}


def set_rsvp(
    db: Database,
    invitation_id: int,
    rsvp: str,
    *,
    stamp: dt.datetime | None = None,
    sequence: int | None = None,
    delegated_to: str = "",
) -> Changes:
    """Record a guest's answer.

    A decline frees the guest's seats: waitlisted guests are promoted in order while their
    seats fit. A promoted guest leaves the waitlist with their answer unchanged — usually
    "needs-action": they were offered a seat and still have to say yes, which is what the
    CM writes to tell them (the promotion is in the returned `Changes.invitations`).
    Someone who declined and comes back when the event is full joins the end of the waitlist.

    The answer is stamped: `stamp` and `sequence` are the reply's DTSTAMP and SEQUENCE
    (interop/ics/replies.py); an answer the CM sets is stamped now, at the event's SEQUENCE,
    so that a reply sent before it and read later does not overwrite it. `delegated_to`:
    the address the guest delegated to ("" clears it).
    """
    return set_rsvps(
        db, [invitation_id], rsvp, stamp=stamp, sequence=sequence, delegated_to=delegated_to
    )


def set_rsvps(
    db: Database,
    invitation_ids: Sequence[int],
    rsvp: str,
    *,
    stamp: dt.datetime | None = None,
    sequence: int | None = None,
    delegated_to: str = "",
) -> Changes:
    """The same answer for several guests, in one transaction (`set_rsvp` for each, in the
    order given: with a full event, the first ones get the seats freed)."""
    with db.transaction() as session:
        return set_rsvps_in(
            session, invitation_ids, rsvp, stamp=stamp, sequence=sequence, delegated_to=delegated_to
        )


def set_rsvps_in(
    session: Session,
    invitation_ids: Sequence[int],
    rsvp: str,
    *,
    stamp: dt.datetime | None = None,
    sequence: int | None = None,
    delegated_to: str = "",
) -> Changes:
    """`set_rsvps` inside the caller's transaction."""
    if rsvp not in set(Rsvp):
        raise ValidationError(_("Unknown answer “{rsvp}”.").format(rsvp=rsvp))
    touched: set[int] = set()
    events_: set[int] = set()
    contacts: set[int] = set()
    for invitation_id in dict.fromkeys(invitation_ids):
        invitation = get_or_raise(session, Invitation, invitation_id)
        touched |= _answer(session, invitation, rsvp, stamp, sequence, delegated_to)
        events_.add(invitation.event_id)
        if invitation.contact_id is not None:
            contacts.add(invitation.contact_id)
    return Changes(
        invitations=frozenset(touched),
        events=frozenset(events_),
        contacts=frozenset(contacts),
    )


def _answer(
    session: Session,
    invitation: Invitation,
    rsvp: str,
    stamp: dt.datetime | None = None,
    sequence: int | None = None,
    delegated_to: str = "",
) -> set[int]:
    """`set_rsvp` inside the caller's transaction; returns the invitations touched."""
    invitation_id = _iid(invitation)
    touched = {invitation_id}
    event = get_or_raise(session, Event, invitation.event_id)
    invitation.reply_stamp = stamp or clock.utc_now()
    invitation.reply_sequence = event.sequence if sequence is None else sequence
    invitation.delegated_to = delegated_to
    was_declined = invitation.rsvp == Rsvp.DECLINED
    # The rest of the list counts only when seats are freed or taken back under a capacity.
    seats_move = rsvp == Rsvp.DECLINED or (was_declined and invitation.waitlist_position is None)
    others = _others(session, invitation) if seats_move and event.capacity is not None else []
    invitation.rsvp = rsvp
    invitation.updated_at = clock.utc_now()
    if (
        was_declined
        and rsvp != Rsvp.DECLINED
        and invitation.waitlist_position is None
        and event.capacity is not None
        and _seats_taken(others) + _seats(invitation) > event.capacity
    ):
        invitation.waitlist_position = _next_waitlist_position(others)
    if rsvp == Rsvp.DECLINED:
        invitation.waitlist_position = None
        if event.capacity is not None:
            touched |= _promote(others, event.capacity)
    session.add(invitation)
    for row in others:
        session.add(row)
    return touched


def _others(session: Session, invitation: Invitation) -> list[Invitation]:
    """The rest of the guest list `invitation` is on (the shared one, or its occurrence's)."""
    same_list = (
        col(Invitation.occurrence).is_(None)
        if invitation.occurrence is None
        else col(Invitation.occurrence) == invitation.occurrence
    )
    query = select(Invitation).where(
        Invitation.event_id == invitation.event_id, same_list, Invitation.id != _iid(invitation)
    )
    return list(session.exec(query).all())


def _promote(rows: list[Invitation], capacity: int) -> set[int]:
    """Move waitlisted guests onto the list, in order, while their seats fit."""
    free = capacity - _seats_taken(rows)
    promoted: set[int] = set()
    waiting = sorted(
        (r for r in rows if r.waitlist_position is not None and r.rsvp != Rsvp.DECLINED),
        key=lambda r: r.waitlist_position or 0,
    )
    for row in waiting:
        if _seats(row) > free:
            break  # first come, first served: nobody jumps the queue
        row.waitlist_position = None
        row.updated_at = clock.utc_now()
        free -= _seats(row)
        promoted.add(_iid(row))
    return promoted


def counts(db: Database, event_id: int, occurrence: dt.datetime | None = None) -> dict[str, int]:
    """Live head-counts. `invited` excludes the waitlist; `plus_ones` are the accepted
    guests' companions; `attended` counts the guests checked in (companions not included)."""
    with db.session() as session:
        rows = _rows(session, event_id, occurrence)
    listed = [r for r in rows if r.waitlist_position is None]
    return {
        "invited": len(listed),
        "accepted": sum(r.rsvp == Rsvp.ACCEPTED for r in listed),
        "declined": sum(r.rsvp == Rsvp.DECLINED for r in listed),
        "tentative": sum(r.rsvp == Rsvp.TENTATIVE for r in listed),
        "needs_action": sum(r.rsvp == Rsvp.NEEDS_ACTION for r in listed),
        "waitlist": sum(r.waitlist_position is not None for r in rows),
        "attended": sum(r.attended is True for r in rows),
        "plus_ones": sum(r.plus_ones for r in listed if r.rsvp == Rsvp.ACCEPTED),
    }


# --- at the door ------------------------------------------------------------------------------


# How far back the door offers dates that have taken place.
DOOR_PAST = dt.timedelta(days=366)


@dataclass(frozen=True)
class HeldDate:
    """A date of the event that has come: today's, or one that has taken place."""

    occurrence: dt.datetime | None  # a series: the original local start; None: a single event
    start: dt.datetime  # aware, in the event's zone
    today: bool


@dataclass(frozen=True)
class Door:
    """What the check-in screen records arrivals for. `date` is None when it must ask:
    the event has no date today (or the date asked for has not come yet); `held` are the
    dates it may record, latest first. A future date is never among them."""

    event_id: int
    title: str
    series: bool
    date: HeldDate | None
    held: tuple[HeldDate, ...]
    asked_future: dt.datetime | None = None  # a date asked for that has not come yet
    next_start: dt.datetime | None = None  # nothing held yet: the first date to come

    def when(self, date: HeldDate) -> dt.datetime | None:
        """When arrivals on `date` are recorded: now for today's, else its start."""
        return None if date.today else date.start.astimezone(dt.UTC)


def door(db: Database, event_id: int, occurrence: dt.datetime | None = None) -> Door:
    """The dates the door may record for (today's and past ones, never a future one), and
    the one it records: the date asked for if it has come, else today's, else none."""
    now = clock.now_utc()
    today = clock.today()
    here = ZoneInfo(clock.local_zone_name())
    with db.session() as session:
        event = get_or_raise(session, Event, event_id)
        _check_occurrence(event, occurrence)
        found = dates_of(session, event, now - DOOR_PAST, now + dt.timedelta(days=400))
        cancelled = {
            (row.recurrence_id)
            for row in session.exec(
                select(OccurrenceException).where(
                    OccurrenceException.event_id == event_id,
                    OccurrenceException.status == "cancelled",
                )
            )
        }
        title, zone, series = event.title, ZoneInfo(event.timezone), bool(event.rrule)
        status = event.status
    held: list[HeldDate] = []
    coming: list[dt.datetime] = []
    for o in found:
        if status == "cancelled" or (series and o.recurrence_id in cancelled):
            continue
        start = o.start_local.replace(tzinfo=zone)
        end = (o.start_utc + (o.end_local - o.start_local)).astimezone(dt.UTC)
        day = o.start_utc.astimezone(here).date()
        if day > today and o.start_utc > now:
            coming.append(start)
            continue
        ongoing = o.start_utc <= now <= end
        held.append(HeldDate(o.recurrence_id if series else None, start, day == today or ongoing))
    held.reverse()
    date: HeldDate | None = None
    asked_future: dt.datetime | None = None
    if occurrence is not None:
        date = next((h for h in held if h.occurrence == occurrence), None)
        asked = occurrence.replace(tzinfo=zone)
        if date is None and asked.astimezone(here).date() < today:
            date = HeldDate(occurrence, asked, False)  # older than the dates offered
            held.append(date)
        elif date is None:
            asked_future = occurrence
    else:
        todays = [h for h in held if h.today]
        date = todays[-1] if todays else None  # today's first one
    return Door(
        event_id=event_id,
        title=title,
        series=series,
        date=date,
        held=tuple(held),
        asked_future=asked_future,
        next_start=coming[0] if coming and not held else None,
    )


def check_in_by_text(
    db: Database, event_id: int, text: str, occurrence: dt.datetime | None = None
) -> list[Candidate]:
    """Guests whose name starts with what was typed (each word a prefix; accents and case
    ignored), by name. An empty text lists everyone. A code from the sign-in sheet
    (`invitation_code`) puts its guest first."""
    matching = set(CONTACTS.ids(db, text=text)) if text.strip() else None
    coded = guest_sheets.invitation_from_code(text)
    with db.session() as session:
        by_code = session.get(Invitation, coded) if coded is not None else None
        first = by_code.contact_id if by_code is not None and by_code.event_id == event_id else None
        rows = [
            r
            for r in _rows(session, event_id, occurrence)
            if r.contact_id is not None
            and (matching is None or r.contact_id in matching or r.contact_id == first)
        ]
        names = contact_names(session, [r.contact_id for r in rows if r.contact_id is not None])
    found = []
    for r in rows:
        assert r.contact_id is not None
        name = names[r.contact_id]
        found.append(
            Candidate(_iid(r), r.contact_id, name, r.role, r.rsvp, r.attended, r.checked_in_at)
        )
    found.sort(key=lambda c: (c.contact_id != first, guest_sheets.fold(c.name), c.invitation_id))
    return found


def _for_occurrence(session: Session, invitation: Invitation, occurrence: dt.datetime) -> int:
    """The id of the guest's own row for one occurrence of the series, created from the
    shared one."""
    own = _own_row(session, invitation, occurrence)
    if own.id is None:
        session.flush()
    return _iid(own)


def _own_row(session: Session, invitation: Invitation, occurrence: dt.datetime) -> Invitation:
    """The guest's own row for one occurrence of the series, else a new one created from the
    shared one (written at the next flush)."""
    existing = session.exec(
        select(Invitation).where(
            Invitation.event_id == invitation.event_id,
            Invitation.contact_id == invitation.contact_id,
            Invitation.occurrence == occurrence,
        )
    ).first()
    if existing is not None:
        return existing
    own = _copy_for(invitation, occurrence)
    session.add(own)
    return own


def _copy_for(invitation: Invitation, occurrence: dt.datetime) -> Invitation:
    """A new per-occurrence row copied from the guest's shared one."""
    return Invitation(
        event_id=invitation.event_id,
        contact_id=invitation.contact_id,
        occurrence=occurrence,
        role=invitation.role,
        rsvp=invitation.rsvp,
        plus_ones=invitation.plus_ones,
        waitlist_position=invitation.waitlist_position,
        notes=invitation.notes,
        # Its answer is the shared one: as old, and delegated alike.
        reply_stamp=invitation.reply_stamp,
        reply_sequence=invitation.reply_sequence,
        delegated_to=invitation.delegated_to,
    )


def check_in(
    db: Database,
    invitation_id: int,
    when: dt.datetime | None = None,
    occurrence: dt.datetime | None = None,
) -> Changes:
    """Mark a guest present (now or at `when`); the contact's `last_seen` follows.

    For one occurrence of a series, the guest's per-occurrence row is created from the shared
    one if missing, and that row is checked in."""
    with db.transaction() as session:
        return check_in_in(session, invitation_id, when, occurrence)


def check_in_in(
    session: Session,
    invitation_id: int,
    when: dt.datetime | None = None,
    occurrence: dt.datetime | None = None,
) -> Changes:
    """`check_in` inside the caller's transaction."""
    when = when or clock.utc_now()
    invitation = get_or_raise(session, Invitation, invitation_id)
    _check_occurrence(get_or_raise(session, Event, invitation.event_id), occurrence)
    if occurrence is not None and invitation.occurrence != occurrence:
        invitation = _own_row(session, invitation, occurrence)
    _mark_present(session, invitation, when)
    if invitation.id is None:
        session.flush()  # the new row of that date: its id
    guest = invitation.contact_id  # None for an erased (anonymous) guest
    return Changes(
        invitations=frozenset({invitation_id, _iid(invitation)}),
        contacts=frozenset({guest} if guest is not None else ()),
        events=frozenset({invitation.event_id}),
    )


def _mark_present(session: Session, invitation: Invitation, when: dt.datetime) -> None:
    invitation.attended = True
    invitation.checked_in_at = when
    invitation.updated_at = clock.utc_now()
    session.add(invitation)
    if invitation.contact_id is not None:
        mark_seen(session, invitation.contact_id, when)


def walk_in(
    db: Database,
    event_id: int,
    given_name: str,
    family_name: str,
    occurrence: dt.datetime | None = None,
    when: dt.datetime | None = None,
) -> Written[int]:
    """Someone at the door who is not in the contact book: a new contact, invited (past any
    waitlist: they are here) and checked in. Returns the new invitation's id."""
    with db.session() as session:
        _check_occurrence(get_or_raise(session, Event, event_id), occurrence)
    contact_id, changes = create_contact(
        db, ContactData(given_name=given_name.strip(), family_name=family_name.strip())
    )
    invitation_id, checked = check_in_contact(db, event_id, contact_id, occurrence, when)
    return Written(invitation_id, changes | checked)


def check_in_contact(
    db: Database,
    event_id: int,
    contact_id: int,
    occurrence: dt.datetime | None = None,
    when: dt.datetime | None = None,
) -> Written[int]:
    """A contact at the door: checked in on their invitation if they have one, else invited
    (for that occurrence of a series; past any waitlist: they are here) and checked in.
    Returns the invitation's id."""
    with db.transaction() as session:
        _check_occurrence(get_or_raise(session, Event, event_id), occurrence)
        get_or_raise(session, Contact, contact_id)
        mine = [r for r in _rows(session, event_id, occurrence) if r.contact_id == contact_id]
        if mine:
            invitation_id = _iid(mine[0])
        else:
            invitation = Invitation(
                event_id=event_id, contact_id=contact_id, occurrence=occurrence, rsvp=Rsvp.ACCEPTED
            )
            session.add(invitation)
            session.flush()
            invitation_id = _iid(invitation)
    return Written(invitation_id, check_in(db, invitation_id, when, occurrence))


@dataclass(frozen=True)
class WalkInMatch:
    """Someone in the contact book whose name matches what was typed in the walk-in field."""

    contact_id: int
    name: str
    detail: str  # their first e-mail, else organization: to tell namesakes apart
    invited: bool  # already on the list (then simply checked in)


def walk_in_matches(
    db: Database, event_id: int, text: str, occurrence: dt.datetime | None = None, limit: int = 8
) -> list[WalkInMatch]:
    """Contacts matching `text` (the contact book's search: each word a prefix, accents and
    case ignored), at most `limit`, in the book's order."""
    if not text.strip():
        return []
    ids = CONTACTS.ids(db, text=text)[:limit]
    if not ids:
        return []
    with db.session() as session:
        invited = {r.contact_id for r in _rows(session, event_id, occurrence)}
    found = guest_sheets.people(db, ids)
    return [
        WalkInMatch(
            contact_id=cid,
            name=person.name,
            detail=person.email or person.organization,
            invited=cid in invited,
        )
        for cid in ids
        if (person := found.get(cid)) is not None
    ]


def record_no_shows(db: Database, event_id: int, occurrence: dt.datetime | None = None) -> Changes:
    """Guests who said yes or maybe and were not checked in are recorded as absent."""
    with db.transaction() as session:
        touched = mark_no_shows(session, event_id, occurrence)
    return Changes(invitations=frozenset(touched), events=frozenset({event_id}))


def mark_no_shows(session: Session, event_id: int, occurrence: dt.datetime | None) -> set[int]:
    """`record_no_shows` inside the caller's transaction (closing an event uses it); returns
    the invitations touched."""
    absent: list[Invitation] = []
    made: dict[int, Invitation] = {}  # the rows of that date made here, by contact
    _check_occurrence(get_or_raise(session, Event, event_id), occurrence)
    for row in _rows(session, event_id, occurrence):
        expected = row.rsvp in (Rsvp.ACCEPTED, Rsvp.TENTATIVE)
        if not expected or row.attended is not None or row.waitlist_position is not None:
            continue
        guest = row.contact_id
        if occurrence is not None and row.occurrence is None:
            if guest is None:  # an erased guest: looked for by occurrence alone
                row = _own_row(session, row, occurrence)
            elif guest in made:  # (a contact listed twice)
                row = made[guest]
            else:  # `_rows` gives the shared row only to a guest with no row of that date
                row = made[guest] = _copy_for(row, occurrence)
        row.attended = False
        row.updated_at = clock.utc_now()
        session.add(row)
        absent.append(row)
    if any(row.id is None for row in absent):
        session.flush()  # the new rows of that date: their ids, in one go
    return {_iid(row) for row in absent}


# --- editing the guest list (the event editor's Invitations tab) ------------------------------


@dataclass(frozen=True)
class GuestRow:
    """One guest of the event's (or series') shared list, as the guest table shows it."""

    invitation_id: int
    contact_id: int | None
    name: str
    email: str
    role: str
    rsvp: str
    plus_ones: int
    waitlist_position: int | None
    attended: bool | None
    times_attended: int  # a series: occurrences checked in; a single event: 0 or 1
    notes: str


# Invitation rows as they were, by id: what an undo writes back.
InvitationStates = dict[int, dict[str, Any]]


def guest_rows(db: Database, event_id: int) -> list[GuestRow]:
    """The shared guest list (`occurrence` None), by name; an erased guest shows anonymously."""
    sql = """
        SELECT i.id, i.contact_id, c.given_name, c.family_name, c.nickname,
               (SELECT e.address FROM contact_email e WHERE e.contact_id = i.contact_id
                ORDER BY e.position, e.id LIMIT 1),
               i.role, i.rsvp, i.plus_ones, i.waitlist_position, i.attended, i.notes,
               (SELECT COUNT(*) FROM invitation o WHERE o.event_id = i.event_id
                AND o.contact_id = i.contact_id AND o.attended = 1),
               c.language,
               c.formatted_name,
               (SELECT p.number FROM contact_phone p WHERE p.contact_id = i.contact_id
                ORDER BY p.position, p.id LIMIT 1)
        FROM invitation i LEFT JOIN contact c ON c.id = i.contact_id
        WHERE i.event_id = ? AND i.occurrence IS NULL
    """
    with db.read() as con:
        found = con.execute(sql, [event_id]).fetchall()
    rows = []
    for r in found:
        name = (
            display_name(*(str(r[n] or "") for n in (2, 3, 4, 13, 14, 5, 15)))
            if r[1] is not None
            else _("(erased guest)")
        )
        rows.append(
            GuestRow(
                invitation_id=int(r[0]),
                contact_id=None if r[1] is None else int(r[1]),
                name=name,
                email=r[5] or "",
                role=r[6],
                rsvp=r[7],
                plus_ones=int(r[8]),
                waitlist_position=None if r[9] is None else int(r[9]),
                attended=None if r[10] is None else bool(r[10]),
                times_attended=int(r[12]),
                notes=r[11] or "",
            )
        )
    rows.sort(key=lambda g: (g.name.casefold(), g.invitation_id))
    return rows


def invitation_states(db: Database, event_id: int) -> InvitationStates:
    """Every invitation row of the event, as it is now (for an undo to write back)."""
    with db.session() as session:
        rows = session.exec(select(Invitation).where(Invitation.event_id == event_id)).all()
        return {_iid(r): r.model_dump() for r in rows}


def restore_invitations(db: Database, before: InvitationStates, touched: Iterable[int]) -> Changes:
    """Put each touched invitation back as it was in `before` (with its id); one that was not
    there before is deleted. Undo of every guest-list edit."""
    touched = set(touched)
    events_: set[int] = set()
    contacts: set[int] = set()
    with db.transaction() as session:
        for invitation_id in sorted(touched):
            row = session.get(Invitation, invitation_id)
            state = before.get(invitation_id)
            if state is None:
                if row is not None:
                    events_.add(row.event_id)
                    if row.contact_id is not None:
                        contacts.add(row.contact_id)
                    session.delete(row)
                continue
            if row is None:
                row = Invitation(**state)
            else:
                for key, value in state.items():
                    setattr(row, key, value)
            events_.add(row.event_id)
            if row.contact_id is not None:
                contacts.add(row.contact_id)
            session.add(row)
    return Changes(
        invitations=frozenset(touched),
        events=frozenset(events_),
        contacts=frozenset(contacts),
    )


@dataclass(frozen=True)
class GuestList:
    """What the guest tab shows: the shared list, its counts and the seats it takes."""

    rows: list[GuestRow]
    counts: dict[str, int]
    seats_taken: int  # guests holding a seat (not declined, not waitlisted) and their plus-ones
    capacity: int | None
    series: bool


def guest_list(db: Database, event_id: int) -> GuestList:
    with db.session() as session:
        event = get_or_raise(session, Event, event_id)
        taken = _seats_taken(_rows(session, event_id, None))
        capacity, series = event.capacity, bool(event.rrule)
    rows = guest_rows(db, event_id)
    numbers = counts(db, event_id)
    if series:  # attendance is per occurrence: who came at least once
        numbers["attended"] = sum(r.times_attended > 0 for r in rows)
    return GuestList(rows, numbers, taken, capacity, series)


def draft_rows(db: Database, guests: Sequence[tuple[int, str]]) -> list[GuestRow]:
    """Guests chosen for an event not saved yet ((contact id, role) pairs), as table rows
    (`invitation_id` 0), in the order given; contacts deleted meanwhile are left out."""
    found = guest_sheets.people(db, [cid for cid, _role in guests])
    rows = []
    for contact_id, role in guests:
        person = found.get(contact_id)
        if person is None:
            continue
        rows.append(
            GuestRow(
                invitation_id=0,
                contact_id=contact_id,
                name=person.name,
                email=person.email,
                role=role,
                rsvp=Rsvp.NEEDS_ACTION,
                plus_ones=0,
                waitlist_position=None,
                attended=None,
                times_attended=0,
                notes="",
            )
        )
    return rows


def _changed(rows: Iterable[Invitation], event_id: int, touched: set[int]) -> Changes:
    contacts = {r.contact_id for r in rows if r.contact_id is not None}
    return Changes(
        invitations=frozenset(touched),
        events=frozenset({event_id}),
        contacts=frozenset(contacts),
    )


def remove_guests(db: Database, invitation_ids: Sequence[int]) -> Changes:
    """Take guests off the list (with their per-occurrence rows of a series). The seats they
    held go to the waitlist, in order. The returned invitations include the deleted and
    the promoted ones."""
    touched: set[int] = set()
    gone: list[Invitation] = []
    event_ids: set[int] = set()
    with db.transaction() as session:
        for invitation_id in dict.fromkeys(invitation_ids):
            invitation = session.get(Invitation, invitation_id)
            if invitation is None:
                continue  # already removed
            event_ids.add(invitation.event_id)
            same = [invitation]
            if invitation.contact_id is not None and invitation.occurrence is None:
                same += list(
                    session.exec(
                        select(Invitation).where(
                            Invitation.event_id == invitation.event_id,
                            Invitation.contact_id == invitation.contact_id,
                            col(Invitation.occurrence).is_not(None),
                        )
                    ).all()
                )
            for row in same:
                touched.add(_iid(row))
                gone.append(row)
                session.delete(row)
        session.flush()
        for event_id in event_ids:
            event = get_or_raise(session, Event, event_id)
            if event.capacity is None:
                continue
            rows = _rows(session, event_id, None)
            touched |= _promote(rows, event.capacity)
            for row in rows:
                session.add(row)
    return Changes(
        invitations=frozenset(touched),
        events=frozenset(event_ids),
        contacts=frozenset(r.contact_id for r in gone if r.contact_id is not None),
    )


def set_role(db: Database, invitation_id: int, role: str) -> Changes:
    if role not in set(GuestRole):
        raise ValidationError(_("Unknown guest role “{role}”.").format(role=role))
    with db.transaction() as session:
        invitation = get_or_raise(session, Invitation, invitation_id)
        invitation.role = role
        invitation.updated_at = clock.utc_now()
        session.add(invitation)
    return _changed([invitation], invitation.event_id, {invitation_id})


MAX_PLUS_ONES = 20


def set_plus_ones(db: Database, invitation_id: int, plus_ones: int) -> Changes:
    """How many companions the guest brings. Fewer companions free seats for the waitlist;
    more are accepted even past the capacity (the CM decides; the counts show it)."""
    with db.transaction() as session:
        return set_plus_ones_in(session, invitation_id, plus_ones)


def set_plus_ones_in(session: Session, invitation_id: int, plus_ones: int) -> Changes:
    """`set_plus_ones` inside the caller's transaction."""
    if not 0 <= plus_ones <= MAX_PLUS_ONES:
        raise ValidationError(
            _("A guest brings between 0 and {most} companions, not {n}.").format(
                most=MAX_PLUS_ONES, n=plus_ones
            )
        )
    touched = {invitation_id}
    invitation = get_or_raise(session, Invitation, invitation_id)
    event = get_or_raise(session, Event, invitation.event_id)
    fewer = plus_ones < invitation.plus_ones
    invitation.plus_ones = plus_ones
    invitation.updated_at = clock.utc_now()
    session.add(invitation)
    if fewer and event.capacity is not None and invitation.occurrence is None:
        session.flush()
        rows = _rows(session, invitation.event_id, None)
        touched |= _promote(rows, event.capacity)
        for row in rows:
            session.add(row)
    return _changed([invitation], invitation.event_id, touched)


def set_notes(db: Database, invitation_id: int, notes: str) -> Changes:
    with db.transaction() as session:
        invitation = get_or_raise(session, Invitation, invitation_id)
        invitation.notes = notes.strip()
        invitation.updated_at = clock.utc_now()
        session.add(invitation)
    return _changed([invitation], invitation.event_id, {invitation_id})
