"""Contacts: the card (names, e-mails, phones, addresses, affiliations, tags, communities),
its history, and the writes on it. Every write returns the `Changes` it made."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, select

from cmplanner import clock
from cmplanner.bus import Changes, Written
from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.model import (
    Affiliation,
    Community,
    CommunityMember,
    Contact,
    ContactAddress,
    ContactEmail,
    ContactPhone,
    ContactTag,
    Event,
    EventTeamMember,
    Interaction,
    Invitation,
    Organization,
    Tag,
)
from cmplanner.services import preferences, snapshots, vocabulary
from cmplanner.services.contact_data import (
    AddressData,
    AffiliationData,
    AttendanceRead,
    ContactData,
    ContactDetails,
    InteractionRead,
    Labelled,
    MembershipData,
)
from cmplanner.services.event_dates import dates_of
from cmplanner.services.snapshots import Snapshot
from cmplanner.services.validation import check_contact
from cmplanner.services.vocabulary import named_id_in
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise
from cmplanner.timezones import local_to_utc

_CARD_FIELDS = (
    "given_name",
    "family_name",
    "nickname",
    "name_prefix",
    "name_suffix",
    "formatted_name",
    "birthday",
    "anniversary",
    "preferred_channel",
    "language",
    "notes",
    "photo",
    "cadence_days",
    "consent_date",
    "consent_source",
    "consent_scope",
)


def _id(row: Any) -> int:
    assert row.id is not None
    return int(row.id)


def validated(db: Database, data: ContactData) -> ContactData:
    """The card normalised, or ValidationError listing every problem (field: message)."""
    return validated_card(data, preferences.phone_region(db))


def validated_card(data: ContactData, region: str) -> ContactData:
    """`validated`, phone numbers without a country code being read as in `region`."""
    cleaned, problems = check_contact(data, region)
    if problems:
        raise ValidationError("\n".join(p.message for p in problems))
    return cleaned


# --- reading --------------------------------------------------------------------------------


def card_of(session: Session, contact: Contact) -> ContactData:
    cid = _id(contact)
    emails = session.exec(
        select(ContactEmail)
        .where(ContactEmail.contact_id == cid)
        .order_by(col(ContactEmail.position), col(ContactEmail.id))
    ).all()
    phones = session.exec(
        select(ContactPhone)
        .where(ContactPhone.contact_id == cid)
        .order_by(col(ContactPhone.position), col(ContactPhone.id))
    ).all()
    addresses = session.exec(
        select(ContactAddress)
        .where(ContactAddress.contact_id == cid)
        .order_by(col(ContactAddress.position), col(ContactAddress.id))
    ).all()
    affiliations = session.exec(
        select(Affiliation, Organization)
        .join(Organization, col(Organization.id) == Affiliation.organization_id)
        .where(Affiliation.contact_id == cid)
        .order_by(col(Affiliation.id))
    ).all()
    tags = session.exec(
        select(Tag.name)
        .join(ContactTag, col(ContactTag.tag_id) == Tag.id)
        .where(ContactTag.contact_id == cid)
        .order_by(Tag.name)
    ).all()
    memberships = session.exec(
        select(CommunityMember, Community)
        .join(Community, col(Community.id) == CommunityMember.community_id)
        .where(CommunityMember.contact_id == cid)
        .order_by(Community.name, CommunityMember.role)
    ).all()
    return ContactData(
        **{name: getattr(contact, name) for name in _CARD_FIELDS},
        uid=contact.uid,
        emails=tuple(Labelled(e.address, e.label) for e in emails),
        phones=tuple(Labelled(p.number, p.label) for p in phones),
        addresses=tuple(
            AddressData(a.label, a.street, a.postal_code, a.city, a.region, a.country)
            for a in addresses
        ),
        affiliations=tuple(
            AffiliationData(o.name, a.role, o.id, a.department) for a, o in affiliations
        ),
        tags=tuple(tags),
        communities=tuple(
            MembershipData(c.name, m.role, c.id, m.joined_on) for m, c in memberships
        ),
    )


def get_details(db: Database, contact_id: int, history: bool = True) -> ContactDetails:
    with db.session() as session:
        contact = get_or_raise(session, Contact, contact_id)
        data = card_of(session, contact)
        interactions: tuple[InteractionRead, ...] = ()
        upcoming: tuple[AttendanceRead, ...] = ()
        past: tuple[AttendanceRead, ...] = ()
        if history:
            interactions = tuple(
                InteractionRead(
                    _id(i),
                    i.occurred_at,
                    i.channel,
                    i.in_person,
                    i.duration_minutes,
                    i.notes,
                    i.event_id,
                )
                for i in session.exec(
                    select(Interaction)
                    .where(Interaction.contact_id == contact_id)
                    .order_by(col(Interaction.occurred_at).desc())
                )
            )
            now = clock.now_utc()
            seen: dict[tuple[int, dt.datetime | None], AttendanceRead] = {}
            rows = session.exec(
                select(Invitation, Event)
                .join(Event, col(Event.id) == Invitation.event_id)
                .where(Invitation.contact_id == contact_id)
                .order_by(col(Event.start_utc))
            ).all()
            for invitation, event in rows:
                start = invitation.occurrence or event.start_local
                seen[(_id(event), invitation.occurrence)] = AttendanceRead(
                    _id(event),
                    event.title,
                    start,
                    event.timezone,
                    invitation.rsvp,
                    invitation.attended,
                    invitation.role,
                )
            events_end = {_id(e): e.end_utc for _i, e in rows}
            recurring = {_id(e) for _i, e in rows if e.rrule}
            for (event_id, occurrence), item in seen.items():
                if occurrence is None and event_id in recurring:
                    continue  # the series' shared guest list, not one meeting
                if occurrence is None:
                    ended = events_end[event_id] < now
                else:
                    ended = local_to_utc(occurrence, item.timezone) < now
                if ended:
                    past += (item,)
                else:
                    upcoming += (item,)
            upcoming += _series_dates(session, seen, {_id(e): e for _i, e in rows}, now)
        return ContactDetails(
            id=contact_id,
            uid=contact.uid,
            data=data,
            last_seen=contact.last_seen,
            created_at=contact.created_at,
            updated_at=contact.updated_at,
            interactions=interactions,
            upcoming=tuple(sorted(upcoming, key=lambda a: a.start_local)),
            past=tuple(sorted(past, key=lambda a: a.start_local, reverse=True)),
        )


# How many coming dates of each series a contact is invited to show among their upcoming events.
SERIES_DATES_SHOWN = 3
_SERIES_HORIZON = dt.timedelta(days=366)


def _series_dates(
    session: Session,
    seen: Mapping[tuple[int, dt.datetime | None], AttendanceRead],
    by_id: Mapping[int, Event],
    now: dt.datetime,
) -> tuple[AttendanceRead, ...]:
    """The next dates of the series the contact is on the shared list of (skipped dates left
    out, moved ones at their new time); a date with the guest's own row is already listed."""
    found: list[AttendanceRead] = []
    for (event_id, occurrence), shared in seen.items():
        event = by_id[event_id]
        if occurrence is not None or not event.rrule:
            continue
        for date in dates_of(session, event, now, now + _SERIES_HORIZON)[:SERIES_DATES_SHOWN]:
            if (event_id, date.recurrence_id) in seen:
                continue  # their own answer for that date is listed
            found.append(dataclasses.replace(shared, start_local=date.start_local))
    return tuple(found)


def get_contact(db: Database, contact_id: int) -> ContactDetails:
    return get_details(db, contact_id, history=False)


# --- writing the card -----------------------------------------------------------------------


def _named_or_new(session: Session, model: Any, name: str) -> int:
    """The tag, organization or community `name` names, made (from its name alone) if none."""
    found = named_id_in(session, model, name)
    if found is not None:
        return found
    row = model(name=name)
    session.add(row)
    session.flush()
    return _id(row)


def tag_id_in(session: Session, name: str) -> int:
    """The tag `name` names, made if none, inside the caller's transaction."""
    return _named_or_new(session, Tag, name)


def _organization_id(session: Session, link: AffiliationData) -> int:
    if link.organization_id is not None:
        return link.organization_id
    return _named_or_new(session, Organization, link.organization)


def _community_id(session: Session, link: MembershipData) -> int:
    if link.community_id is not None:
        return link.community_id
    return _named_or_new(session, Community, link.community)


def write_card(session: Session, contact: Contact, data: ContactData) -> Contact:
    """Make `contact` and its child rows hold exactly `data` (already validated)."""
    for name in _CARD_FIELDS:
        setattr(contact, name, getattr(data, name))
    if data.uid and not contact.uid:
        contact.uid = data.uid
    contact.updated_at = clock.utc_now()
    session.add(contact)
    session.flush()
    cid = _id(contact)
    for table in (ContactEmail, ContactPhone, ContactAddress, Affiliation, ContactTag):
        session.exec(delete(table).where(col(table.contact_id) == cid))
    for n, email in enumerate(data.emails):
        session.add(
            ContactEmail(contact_id=cid, address=email.value, label=email.label, position=n)
        )
    for n, phone in enumerate(data.phones):
        session.add(ContactPhone(contact_id=cid, number=phone.value, label=phone.label, position=n))
    for n, a in enumerate(data.addresses):
        session.add(
            ContactAddress(
                contact_id=cid,
                label=a.label,
                street=a.street,
                postal_code=a.postal_code,
                city=a.city,
                region=a.region,
                country=a.country,
                position=n,
            )
        )
    for link in data.affiliations:
        session.add(
            Affiliation(
                contact_id=cid,
                organization_id=_organization_id(session, link),
                role=link.role,
                department=link.department,
            )
        )
    for tag_id in dict.fromkeys(tag_id_in(session, name) for name in data.tags):
        session.add(ContactTag(contact_id=cid, tag_id=tag_id))
    _write_memberships(session, cid, data.communities)
    session.flush()
    return contact


def _write_memberships(session: Session, cid: int, wanted: Sequence[MembershipData]) -> None:
    """The contact's memberships become `wanted`: the ones kept stay the same rows (their join
    date and timestamps untouched, unless `wanted` names another date), the others go, the new
    ones join on their own date or today. (Deleting and adding them all again reset every join
    date: "new members this month" on the dashboard counted whoever had just been edited.)"""
    have = {
        (m.community_id, m.role): m
        for m in session.exec(select(CommunityMember).where(CommunityMember.contact_id == cid))
    }
    keep: dict[tuple[int, str], dt.date | None] = {}
    for m in wanted:
        key = (_community_id(session, m), m.role or "member")
        keep.setdefault(key, m.joined_on)
    for key, row in have.items():
        if key not in keep:
            session.delete(row)
        elif keep[key] is not None and row.joined_on != keep[key]:
            row.joined_on = keep[key]
            session.add(row)
    for (community_id, role), joined in keep.items():
        if (community_id, role) not in have:
            session.add(
                CommunityMember(
                    contact_id=cid,
                    community_id=community_id,
                    role=role,
                    joined_on=joined or clock.today(),
                )
            )


def insert_card(session: Session, data: ContactData) -> int:
    """A new contact from an already validated card, inside the caller's transaction."""
    contact = Contact(uid=data.uid) if data.uid else Contact()
    return _id(write_card(session, contact, data))


def create_contact(db: Database, data: ContactData) -> Written[int]:
    card = validated(db, data)
    with db.transaction() as session:
        contact_id = insert_card(session, card)
    return Written(contact_id, Changes(contacts=frozenset({contact_id})))


def update_contact(db: Database, contact_id: int, data: ContactData) -> Changes:
    card = validated(db, data)
    with db.transaction() as session:
        contact = get_or_raise(session, Contact, contact_id)
        write_card(session, contact, card)
    return Changes(contacts=frozenset({contact_id}), tags=frozenset(), communities=frozenset())


def combine(base: ContactData, other: ContactData) -> ContactData:
    """`base` completed by `other`: every e-mail, phone, address, link and tag of both; empty
    fields of `base` filled from `other`; notes joined."""

    def union(a: Iterable[Any], b: Iterable[Any], key: Any = lambda x: x) -> tuple[Any, ...]:
        out: dict[Any, Any] = {}
        for item in (*a, *b):
            out.setdefault(key(item), item)
        return tuple(out.values())

    def fill(name: str) -> Any:
        mine = getattr(base, name)
        return mine if mine not in (None, "", "none") else getattr(other, name)

    notes = base.notes
    if other.notes and other.notes not in notes:
        notes = f"{notes}\n{other.notes}".strip()
    return ContactData(
        given_name=fill("given_name"),
        family_name=fill("family_name"),
        nickname=fill("nickname"),
        name_prefix=fill("name_prefix"),
        name_suffix=fill("name_suffix"),
        formatted_name=fill("formatted_name"),
        birthday=fill("birthday"),
        anniversary=fill("anniversary"),
        emails=union(base.emails, other.emails, lambda e: e.value.casefold()),
        phones=union(
            base.phones, other.phones, lambda p: "".join(ch for ch in p.value if ch.isdigit())
        ),
        addresses=union(base.addresses, other.addresses),
        affiliations=union(
            base.affiliations, other.affiliations, lambda a: (a.organization.casefold(), a.role)
        ),
        tags=union(base.tags, other.tags, str.casefold),
        communities=_memberships_of_both(base.communities, other.communities),
        preferred_channel=base.preferred_channel,
        language=base.language,
        notes=notes,
        photo=base.photo or other.photo,
        cadence_days=base.cadence_days or other.cadence_days,
        consent_date=fill("consent_date"),
        consent_source=fill("consent_source"),
        consent_scope=fill("consent_scope"),
        uid=base.uid,
    )


def _memberships_of_both(
    base: Sequence[MembershipData], other: Sequence[MembershipData]
) -> tuple[MembershipData, ...]:
    """Every membership of both; one held by both keeps the earlier join date."""
    out: dict[tuple[str, str], MembershipData] = {}
    for m in (*base, *other):
        key = (m.community.casefold(), m.role)
        first = out.setdefault(key, m)
        if m.joined_on and (first.joined_on is None or m.joined_on < first.joined_on):
            out[key] = dataclasses.replace(first, joined_on=m.joined_on)
    return tuple(out.values())


def add_to_card(session: Session, contact_id: int, data: ContactData) -> None:
    """Merge an incoming card (an import's "merge") into an existing contact."""
    contact = get_or_raise(session, Contact, contact_id)
    write_card(session, contact, combine(card_of(session, contact), data))


# --- touchpoints ----------------------------------------------------------------------------


def mark_seen(session: Session, contact_id: int, when: dt.datetime) -> None:
    """Move the contact's `last_seen` forward to `when` (never backward)."""
    contact = get_or_raise(session, Contact, contact_id)
    if contact.last_seen is None or contact.last_seen < when:
        contact.last_seen = when
        contact.updated_at = clock.utc_now()
        session.add(contact)


def log_interaction(
    db: Database,
    contact_id: int,
    occurred_at: dt.datetime,
    channel: str = "in_person",
    in_person: bool = True,
    duration_minutes: int | None = None,
    notes: str = "",
    event_id: int | None = None,
) -> Changes:
    """Record a touchpoint; an in-person one also updates the contact's `last_seen`."""
    with db.transaction() as session:
        interaction = log_interaction_in(
            session,
            contact_id,
            occurred_at,
            channel,
            in_person,
            duration_minutes,
            notes,
            event_id,
        )
        session.flush()
    return Changes(contacts=frozenset({contact_id}), interactions=frozenset({_id(interaction)}))


def log_interaction_in(
    session: Session,
    contact_id: int,
    occurred_at: dt.datetime,
    channel: str = "in_person",
    in_person: bool = True,
    duration_minutes: int | None = None,
    notes: str = "",
    event_id: int | None = None,
) -> Interaction:
    """`log_interaction` inside the caller's transaction: the new interaction, written at the
    next flush."""
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be aware")
    if duration_minutes is not None and duration_minutes < 0:
        raise ValidationError(_("A duration cannot be negative."))
    interaction = Interaction(
        contact_id=contact_id,
        occurred_at=occurred_at,
        channel=channel,
        in_person=in_person,
        duration_minutes=duration_minutes,
        notes=notes,
        event_id=event_id,
    )
    session.add(interaction)
    if in_person:
        mark_seen(session, contact_id, occurred_at)
    return interaction


# --- tags and communities in bulk (drag and drop) -------------------------------------------


def tag_contacts(db: Database, contact_ids: Sequence[int], tag: str) -> Changes:
    name = tag.strip()
    if not name:
        raise ValidationError(_("A tag needs a name."))
    with db.transaction() as session:
        tag_id = tag_id_in(session, name)
        have = set(
            session.exec(select(ContactTag.contact_id).where(ContactTag.tag_id == tag_id)).all()
        )
        for cid in dict.fromkeys(contact_ids):
            if cid not in have:
                session.add(ContactTag(contact_id=cid, tag_id=tag_id))
    return Changes(contacts=frozenset(contact_ids), tags=frozenset({tag_id}))


def untag_contacts(db: Database, contact_ids: Sequence[int], tag_id: int) -> Changes:
    with db.transaction() as session:
        session.exec(
            delete(ContactTag).where(
                col(ContactTag.tag_id) == tag_id, col(ContactTag.contact_id).in_(list(contact_ids))
            )
        )
    return Changes(contacts=frozenset(contact_ids), tags=frozenset({tag_id}))


@dataclass(frozen=True)
class TagState:
    """Which of some contacts carried a tag before a bulk tagging, for undo."""

    tag: str
    contact_ids: tuple[int, ...]
    had: frozenset[int]


def tag_state(db: Database, contact_ids: Sequence[int], tag: str) -> TagState:
    ids = tuple(dict.fromkeys(contact_ids))
    return TagState(tag.strip(), ids, frozenset(vocabulary.tagged(db, tag.strip(), ids)))


def restore_tag_state(db: Database, state: TagState) -> Changes:
    """Take the tag off the contacts that did not carry it (the tag itself stays)."""
    tag_id = vocabulary.tag_id(db, state.tag)
    added = [cid for cid in state.contact_ids if cid not in state.had]
    if tag_id is None or not added:
        return Changes()
    return untag_contacts(db, added, tag_id)


@dataclass(frozen=True)
class MembershipState:
    """Which of some contacts held a role in a community before they were added, for undo."""

    community_id: int
    role: str
    contact_ids: tuple[int, ...]
    had: frozenset[int]


def membership_state(
    db: Database, community_id: int, contact_ids: Sequence[int], role: str
) -> MembershipState:
    ids = tuple(dict.fromkeys(contact_ids))
    had = frozenset(vocabulary.members(db, community_id, ids, role))
    return MembershipState(community_id, role, ids, had)


def restore_membership_state(db: Database, state: MembershipState) -> Changes:
    """Remove the memberships the contacts did not hold."""
    added = [cid for cid in state.contact_ids if cid not in state.had]
    if not added:
        return Changes()
    return remove_members(db, state.community_id, added, state.role)


def add_members(
    db: Database,
    community_id: int,
    contact_ids: Sequence[int],
    role: str = "member",
    joined_on: Mapping[int, dt.date | None] | None = None,
) -> Changes:
    """Give `role` to the contacts that lack it; they join today, or on their date in
    `joined_on` (undo puts a membership back as it was)."""
    with db.transaction() as session:
        add_members_in(session, community_id, contact_ids, role, joined_on)
    return Changes(contacts=frozenset(contact_ids), communities=frozenset({community_id}))


def add_members_in(
    session: Session,
    community_id: int,
    contact_ids: Sequence[int],
    role: str = "member",
    joined_on: Mapping[int, dt.date | None] | None = None,
) -> None:
    """`add_members` inside the caller's transaction."""
    dates = joined_on or {}
    get_or_raise(session, Community, community_id)
    have = set(
        session.exec(
            select(CommunityMember.contact_id).where(
                CommunityMember.community_id == community_id, CommunityMember.role == role
            )
        ).all()
    )
    for cid in dict.fromkeys(contact_ids):
        if cid not in have:
            session.add(
                CommunityMember(
                    community_id=community_id,
                    contact_id=cid,
                    role=role,
                    joined_on=dates.get(cid) or clock.today(),
                )
            )


def join_dates(
    db: Database, community_id: int, contact_ids: Sequence[int], role: str
) -> dict[int, dt.date | None]:
    """When each of `contact_ids` took `role` in the community (those who hold it)."""
    ids = list(dict.fromkeys(contact_ids))
    if not ids:
        return {}
    with db.read() as con:
        rows = con.execute(
            "SELECT contact_id, joined_on FROM community_member"
            f" WHERE community_id = ? AND role = ? AND contact_id IN ({','.join('?' * len(ids))})",
            [community_id, role, *ids],
        ).fetchall()
    return {int(cid): dt.date.fromisoformat(str(day)[:10]) if day else None for cid, day in rows}


def remove_members(
    db: Database, community_id: int, contact_ids: Sequence[int], role: str | None = None
) -> Changes:
    with db.transaction() as session:
        query = delete(CommunityMember).where(
            col(CommunityMember.community_id) == community_id,
            col(CommunityMember.contact_id).in_(list(contact_ids)),
        )
        if role is not None:
            query = query.where(col(CommunityMember.role) == role)
        session.exec(query)
    return Changes(contacts=frozenset(contact_ids), communities=frozenset({community_id}))


# --- delete, merge, and their undo ----------------------------------------------------------


def delete_contacts(db: Database, contact_ids: Sequence[int]) -> Written[Snapshot]:
    """Delete contacts (and what they own); the snapshot lets `restore_contacts` undo it."""
    ids = list(dict.fromkeys(contact_ids))
    snapshot = snapshots.take(db, ids)
    with db.transaction() as session:
        session.exec(delete(Contact).where(col(Contact.id).in_(ids)))
    return Written(snapshot, snapshot.changes())


def snapshot_contacts(db: Database, contact_ids: Sequence[int]) -> Snapshot:
    """The contacts' rows and every row pointing at them, for `restore_contacts`."""
    return snapshots.take(db, contact_ids)


def restore_contacts(db: Database, snapshot: Snapshot) -> Changes:
    snapshots.restore(db, snapshot)
    return snapshot.changes()


_RSVP_RANK = {"accepted": 3, "tentative": 2, "declined": 1, "needs-action": 0}


def merge_contacts(db: Database, keep_id: int, other_id: int) -> Written[Snapshot]:
    """Merge `other` into `keep`: every e-mail, phone, address, affiliation, tag, membership,
    invitation and interaction is kept; `other` is deleted. The snapshot undoes it."""
    if keep_id == other_id:
        raise ValidationError(_("A contact cannot be merged with itself."))
    snapshot = snapshots.take(db, [keep_id, other_id])
    with db.transaction() as session:
        keep = get_or_raise(session, Contact, keep_id)
        other = get_or_raise(session, Contact, other_id)
        card = combine(card_of(session, keep), card_of(session, other))
        # History moves over; a meeting both were invited to keeps the better answer.
        mine = {
            (i.event_id, i.occurrence): i
            for i in session.exec(select(Invitation).where(Invitation.contact_id == keep_id))
        }
        for invitation in session.exec(
            select(Invitation).where(Invitation.contact_id == other_id)
        ).all():
            twin = mine.get((invitation.event_id, invitation.occurrence))
            if twin is None:
                invitation.contact_id = keep_id
                session.add(invitation)
                continue
            if _RSVP_RANK.get(invitation.rsvp, 0) > _RSVP_RANK.get(twin.rsvp, 0):
                twin.rsvp = invitation.rsvp
            if invitation.attended and not twin.attended:
                twin.attended, twin.checked_in_at = True, invitation.checked_in_at
            session.add(twin)
            session.delete(invitation)
        for interaction in session.exec(
            select(Interaction).where(Interaction.contact_id == other_id)
        ).all():
            interaction.contact_id = keep_id
            session.add(interaction)
        # On an event's core team: the kept card takes the place (keeping its own role if
        # both were on that team); the invitations sent stay in the kept card's history.
        teams = {
            t.event_id
            for t in session.exec(
                select(EventTeamMember).where(EventTeamMember.contact_id == keep_id)
            )
        }
        for place in session.exec(
            select(EventTeamMember).where(EventTeamMember.contact_id == other_id)
        ).all():
            if place.event_id in teams:
                session.delete(place)
            else:
                place.contact_id = keep_id
                session.add(place)
        session.execute(text_update("sent_message", "contact_id", other_id, keep_id))
        session.execute(text_update("task", "assignee_id", other_id, keep_id))
        session.execute(text_update("commitment", "contact_id", other_id, keep_id))
        if other.last_seen and (keep.last_seen is None or other.last_seen > keep.last_seen):
            keep.last_seen = other.last_seen
        session.flush()
        session.delete(other)
        session.flush()
        write_card(session, keep, card)
    return Written(snapshot, snapshot.changes())


def text_update(table: str, column: str, old: int, new: int) -> Any:
    # imported on use, not at the top: keeps it off the start-up path
    from sqlalchemy import text

    return text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old").bindparams(
        new=new, old=old
    )
