"""The SQLModel tables: the whole product's data, one class a table.

Timestamps and instants are aware UTC. Event times are stored as local wall-clock time plus the IANA
zone they belong to (what the user typed), with a UTC copy for range queries.
"""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import NaiveDatetime
from sqlalchemy import Column, Index, LargeBinary, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

from cmplanner.clock import utc_now

# A naming convention from the first migration on, so batch migrations can name constraints.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


def new_uid() -> str:
    return str(uuid.uuid4())


class Timestamped(SQLModel):
    created_at: dt.datetime = Field(default_factory=utc_now, nullable=False)
    updated_at: dt.datetime = Field(default_factory=utc_now, nullable=False)


# --- people and organizations ---------------------------------------------------------------


class ContactBase(SQLModel):
    given_name: str = Field(default="", max_length=200)
    family_name: str = Field(default="", max_length=200)
    nickname: str = Field(default="", max_length=200)
    name_prefix: str = Field(default="", max_length=100)  # "Dr", "Me" (vCard N's 4th part)
    name_suffix: str = Field(default="", max_length=100)  # "Jr.", "PhD"
    # The name as the person wants it shown when it is not given + family name (vCard FN).
    formatted_name: str = Field(default="", max_length=300)
    # "1985-04-12", or "--04-12" without the year (ISO 8601 / vCard 4.0); "" when unknown.
    birthday: str = Field(default="", max_length=10)
    anniversary: str = Field(default="", max_length=10)
    preferred_channel: str = Field(default="email", max_length=40)
    language: str = Field(default="fr", max_length=20)
    notes: str = Field(default="")
    cadence_days: int | None = Field(default=None, ge=1)
    consent_date: dt.date | None = None
    consent_source: str = Field(default="", max_length=200)
    consent_scope: str = Field(default="none", max_length=40)


class Contact(ContactBase, Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=64)
    photo: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    # Last in-person contact (event attended or in-person interaction); kept by the services.
    last_seen: dt.datetime | None = Field(default=None, index=True)


class ContactEmail(Timestamped, table=True):
    __tablename__ = "contact_email"
    # Covers "the contact's first address" (lists show it) without touching the table.
    __table_args__ = (Index("ix_contact_email_first", "contact_id", "position", "id", "address"),)
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    label: str = Field(default="", max_length=60)
    address: str = Field(max_length=320, index=True)
    position: int = 0


class ContactPhone(Timestamped, table=True):
    __tablename__ = "contact_phone"
    # Covers "the contact's first number" (lists show it) without touching the table.
    __table_args__ = (Index("ix_contact_phone_first", "contact_id", "position", "id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    label: str = Field(default="", max_length=60)
    number: str = Field(max_length=60)
    position: int = 0


class ContactAddress(Timestamped, table=True):
    __tablename__ = "contact_address"
    # Covers "the contact's first city" (lists show it) without touching the table.
    __table_args__ = (Index("ix_contact_address_first", "contact_id", "position", "id", "city"),)
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    label: str = Field(default="", max_length=60)
    street: str = ""
    postal_code: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=120)
    region: str = Field(default="", max_length=120)
    country: str = Field(default="", max_length=120)
    position: int = 0


class OrganizationBase(SQLModel):
    name: str = Field(max_length=300)
    kind: str = Field(default="other", max_length=40)
    website: str = Field(default="", max_length=500)
    email: str = Field(default="", max_length=320)
    phone: str = Field(default="", max_length=60)
    street: str = ""
    postal_code: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=120)
    country: str = Field(default="", max_length=120)
    notes: str = ""


class Organization(OrganizationBase, Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=64)


class Affiliation(Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE", index=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE", index=True)
    role: str = Field(default="", max_length=200)
    department: str = Field(default="", max_length=200)  # vCard ORG's second part


class Tag(Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    color: str = Field(default="", max_length=20)


class ContactTag(Timestamped, table=True):
    __tablename__ = "contact_tag"
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE", primary_key=True)
    tag_id: int = Field(foreign_key="tag.id", ondelete="CASCADE", primary_key=True, index=True)


# --- communities ------------------------------------------------------------------------------


class CommunityBase(SQLModel):
    name: str = Field(max_length=200)
    objective: str = ""  # the community's "sujet totem"
    target_population: str = ""
    description: str = ""
    launch_date: dt.date | None = None
    pace_days: int | None = Field(default=None, ge=1)  # target days between in-person events


class Community(CommunityBase, Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=64)


class CommunityMember(Timestamped, table=True):
    __tablename__ = "community_member"
    __table_args__ = (UniqueConstraint("community_id", "contact_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", ondelete="CASCADE", index=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE", index=True)
    role: str = Field(default="member", max_length=40)
    joined_on: dt.date | None = None


# --- events -----------------------------------------------------------------------------------


class VenueBase(SQLModel):
    name: str = Field(max_length=300)
    street: str = ""
    postal_code: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=120)
    country: str = Field(default="", max_length=120)
    capacity: int | None = Field(default=None, ge=0)
    access_notes: str = ""
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class Venue(VenueBase, Timestamped, table=True):
    id: int | None = Field(default=None, primary_key=True)


class VenueCreate(VenueBase):
    pass


class EventBase(SQLModel):
    title: str = Field(max_length=300)
    kind: str = Field(default="meetup", max_length=60)
    community_id: int | None = Field(
        default=None, foreign_key="community.id", ondelete="SET NULL", index=True
    )
    venue_id: int | None = Field(default=None, foreign_key="venue.id", ondelete="SET NULL")
    start_local: NaiveDatetime  # wall-clock time in `timezone`
    end_local: NaiveDatetime
    timezone: str = Field(default="Europe/Paris", max_length=64)
    all_day: bool = False
    rrule: str = ""  # RFC 5545 RRULE value, e.g. "FREQ=WEEKLY;BYDAY=TH"
    status: str = Field(default="planned", max_length=20)
    capacity: int | None = Field(default=None, ge=0)
    objective: str = ""
    description: str = ""
    in_person: bool = True
    online_url: str = Field(default="", max_length=500)
    debrief: str = ""  # after the event: what worked, outcomes, numbers


class Event(EventBase, Timestamped, table=True):
    __table_args__ = (Index("ix_event_start_utc", "start_utc"),)
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=255)
    sequence: int = 0  # iCalendar SEQUENCE, bumped by significant changes
    start_utc: dt.datetime
    end_utc: dt.datetime


class EventCreate(EventBase):
    pass


class EventRead(EventBase):
    id: int
    uid: str
    sequence: int
    start_utc: dt.datetime
    end_utc: dt.datetime


class OccurrenceException(Timestamped, table=True):
    """One occurrence of a series that is skipped or moved (EXDATE / RECURRENCE-ID)."""

    __tablename__ = "occurrence_exception"
    __table_args__ = (UniqueConstraint("event_id", "recurrence_id"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    recurrence_id: NaiveDatetime  # the occurrence's original local start
    cancelled: bool = False
    start_local: NaiveDatetime | None = None  # new local start when moved
    end_local: NaiveDatetime | None = None
    status: str = Field(default="", max_length=20)  # per-occurrence status, "" = the series'
    notes: str = ""
    title: str = Field(default="", max_length=300)  # its own title (a moved one), "" = the series'


class BudgetLine(Timestamped, table=True):
    """One line of an event's budget. Amounts are whole cents: no float rounding."""

    __tablename__ = "budget_line"
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    label: str = Field(max_length=300)
    amount_cents: int = 0
    paid: bool = False
    position: int = 0


class EventPartner(Timestamped, table=True):
    """An organization that partners an event, and what was agreed with it (logo on the
    sheet, drinks offered…)."""

    __tablename__ = "event_partner"
    __table_args__ = (UniqueConstraint("event_id", "organization_id"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE", index=True)
    obligations: str = ""


class EventTeamMember(Timestamped, table=True):
    """A member of the core team on site, with their role for this event."""

    __tablename__ = "event_team"
    __table_args__ = (UniqueConstraint("event_id", "contact_id"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE", index=True)
    role: str = Field(default="", max_length=100)


class Invitation(Timestamped, table=True):
    """A guest of an event. `occurrence` is None for the event (or the whole series' list)
    and the occurrence's original local start for per-occurrence RSVP and attendance."""

    __table_args__ = (
        Index("ix_invitation_event_occurrence", "event_id", "occurrence"),
        Index("ix_invitation_contact_id", "contact_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE")
    # None once the guest was erased (privacy): the head-count survives, anonymously.
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="CASCADE")
    occurrence: NaiveDatetime | None = None
    role: str = Field(default="guest", max_length=20)
    rsvp: str = Field(default="needs-action", max_length=20)
    plus_ones: int = Field(default=0, ge=0)
    waitlist_position: int | None = None
    attended: bool | None = None  # None: not recorded yet
    checked_in_at: dt.datetime | None = None
    notes: str = ""
    # The answer's moment: the DTSTAMP (aware UTC) and SEQUENCE of the reply it came from, or
    # when the CM set it. A reply older than this is not applied (files are read in any order).
    # None: no reply yet (an invitation made before replies were stamped, or imported).
    reply_stamp: dt.datetime | None = None
    reply_sequence: int | None = None
    delegated_to: str = Field(default="", max_length=320)  # the address the guest delegated to


class SentMessage(Timestamped, table=True):
    """One invitation, update or cancellation sent to one guest (by SMTP, or written as an
    .eml file): when, which SEQUENCE, and what went wrong if it did. Erasing the contact
    erases these rows with it."""

    __tablename__ = "sent_message"
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    contact_id: int | None = Field(
        default=None, foreign_key="contact.id", ondelete="CASCADE", index=True
    )
    email: str = Field(max_length=320)
    method: str = Field(max_length=20)  # REQUEST or CANCEL (iTIP)
    sequence: int = 0
    occurrence: NaiveDatetime | None = None  # one occurrence's cancellation
    sent_at: dt.datetime
    channel: str = Field(max_length=10)  # "smtp" or "eml"
    error: str = ""  # "" when it went out


class CalDAVResource(Timestamped, table=True):
    """What was last published for one event (by UID) to one CalDAV calendar, so that a
    publish sends only what changed and deletes what was removed."""

    __tablename__ = "caldav_resource"
    __table_args__ = (UniqueConstraint("calendar_url", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    calendar_url: str
    uid: str = Field(max_length=255)
    event_id: int | None = Field(
        default=None, foreign_key="event.id", ondelete="SET NULL", index=True
    )
    href: str = ""
    etag: str = ""
    digest: str = Field(default="", max_length=64)  # sha256 of the published bytes
    published_at: dt.datetime


class Task(Timestamped, table=True):
    __table_args__ = (Index("ix_task_due_date", "due_date"),)
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    notes: str = ""
    event_id: int | None = Field(
        default=None, foreign_key="event.id", ondelete="CASCADE", index=True
    )
    due_date: dt.date | None = None
    due_offset_days: int | None = None  # relative to the event's start: -21 = J-21
    # For a series: the date (original local start) the task is for, its offset counted from
    # that date; None: the whole event.
    occurrence: NaiveDatetime | None = None
    assignee_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    done: bool = False
    done_at: dt.datetime | None = None
    position: int = 0


class Commitment(Timestamped, table=True):
    """A promise made to the community: to a contact, a community or at an event."""

    id: int | None = Field(default=None, primary_key=True)
    description: str = Field(max_length=1000)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    community_id: int | None = Field(
        default=None, foreign_key="community.id", ondelete="SET NULL", index=True
    )
    event_id: int | None = Field(default=None, foreign_key="event.id", ondelete="SET NULL")
    due_date: dt.date | None = None
    status: str = Field(default="open", max_length=20)
    notes: str = ""


class Interaction(Timestamped, table=True):
    __table_args__ = (Index("ix_interaction_contact_when", "contact_id", "occurred_at"),)
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    occurred_at: dt.datetime
    channel: str = Field(default="in_person", max_length=40)
    in_person: bool = True
    duration_minutes: int | None = Field(default=None, ge=0)
    event_id: int | None = Field(default=None, foreign_key="event.id", ondelete="SET NULL")
    notes: str = ""


class WorkEntry(Timestamped, table=True):
    """Time the CM spent working, outside events and logged interactions ("online work":
    writing posts, answering the forum…); counted by the dashboard's in-person ratio."""

    __tablename__ = "work_entry"
    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(index=True)
    minutes: int = Field(ge=1)
    in_person: bool = False
    community_id: int | None = Field(
        default=None, foreign_key="community.id", ondelete="SET NULL", index=True
    )
    notes: str = ""


class Setting(Timestamped, table=True):
    """Preferences that belong to the database (the CM's identity, default phone region…)."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = ""
