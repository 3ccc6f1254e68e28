"""Events: creation with local time and zone, check-in at the door."""

from __future__ import annotations

import datetime as dt

from cmplanner import clock
from cmplanner.bus import Changes, bus
from cmplanner.errors import NotFound, ValidationError
from cmplanner.i18n import _
from cmplanner.model import Event, EventCreate, EventRead, Invitation
from cmplanner.services.contacts import mark_seen
from cmplanner.storage import Database
from cmplanner.timezones import local_to_utc


def event_from(data: EventCreate) -> Event:
    """Build an Event row from its Create model: checks it and fills the UTC columns."""
    if not data.title.strip():
        raise ValidationError(_("An event needs a title."))
    if data.end_local < data.start_local:
        raise ValidationError(
            _("The event “{title}” ends before it starts.").format(title=data.title)
        )
    return Event(
        **data.model_dump(),
        start_utc=local_to_utc(data.start_local, data.timezone),
        end_utc=local_to_utc(data.end_local, data.timezone),
    )


def create_event(db: Database, data: EventCreate) -> tuple[EventRead, Changes]:
    with db.transaction() as session:
        event = event_from(data)
        session.add(event)
        session.flush()
        read = EventRead.model_validate(event)
    changes = Changes(events=frozenset({read.id}))
    bus.publish(changes)
    return read, changes


def check_in(db: Database, invitation_id: int, when: dt.datetime | None = None) -> Changes:
    """Mark a guest present now (or at `when`); the contact's `last_seen` follows."""
    when = when or clock.utc_now()
    with db.transaction() as session:
        invitation = session.get(Invitation, invitation_id)
        if invitation is None:
            raise NotFound(_("Invitation {id} does not exist.").format(id=invitation_id))
        invitation.attended = True
        invitation.checked_in_at = when
        invitation.updated_at = clock.utc_now()
        session.add(invitation)
        guest = invitation.contact_id  # None for an erased (anonymous) guest
        if guest is not None:
            mark_seen(session, guest, when)
        changes = Changes(
            invitations=frozenset({invitation_id}),
            contacts=frozenset({guest} if guest is not None else ()),
            events=frozenset({invitation.event_id}),
        )
    bus.publish(changes)
    return changes
