"""Contacts: create, touchpoints, and the `last_seen` they update."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session

from cmplanner import clock
from cmplanner.bus import Changes, bus
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import _
from cmplanner.model import (
    Contact,
    ContactCreate,
    ContactEmail,
    ContactPhone,
    ContactRead,
    Interaction,
)
from cmplanner.storage import Database


def create_contact(
    db: Database,
    data: ContactCreate,
    emails: Sequence[tuple[str, str]] = (),
    phones: Sequence[tuple[str, str]] = (),
) -> tuple[ContactRead, Changes]:
    """Create a person; `emails`/`phones` are (label, value) pairs."""
    if not (data.given_name.strip() or data.family_name.strip() or data.nickname.strip()):
        raise ValidationError(_("A contact needs a first name, a last name or a nickname."))
    with db.transaction() as session:
        contact = Contact.model_validate(data)
        session.add(contact)
        session.flush()
        assert contact.id is not None
        for position, (label, address) in enumerate(emails):
            session.add(
                ContactEmail(contact_id=contact.id, label=label, address=address, position=position)
            )
        for position, (label, number) in enumerate(phones):
            session.add(
                ContactPhone(contact_id=contact.id, label=label, number=number, position=position)
            )
        read = ContactRead.model_validate(contact)
    changes = Changes(contacts=frozenset({read.id}))
    bus.publish(changes)
    return read, changes


def get_contact(db: Database, contact_id: int) -> ContactRead:
    with db.session() as session:
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise NotFound(_("Contact {id} does not exist.").format(id=contact_id))
        return ContactRead.model_validate(contact)


def mark_seen(session: Session, contact_id: int, when: dt.datetime) -> None:
    """Move the contact's `last_seen` forward to `when` (never backward)."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(_("Contact {id} does not exist.").format(id=contact_id))
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
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be aware")
    with db.transaction() as session:
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
        session.flush()
        assert interaction.id is not None
        changes = Changes(
            contacts=frozenset({contact_id}), interactions=frozenset({interaction.id})
        )
    bus.publish(changes)
    return changes
