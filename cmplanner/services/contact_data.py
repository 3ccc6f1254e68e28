"""The full editable state of a contact or an organization, as plain data.

The editor, the importers, undo and the JSON output all speak these shapes; only the
services turn them into rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cmplanner.model import names


@dataclass(frozen=True)
class Labelled:
    """An e-mail or a phone number with its label ("work", "mobile", "perso"…)."""

    value: str
    label: str = ""


@dataclass(frozen=True)
class AddressData:
    label: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    region: str = ""
    country: str = ""

    def is_empty(self) -> bool:
        return not any((self.street, self.postal_code, self.city, self.region, self.country))


@dataclass(frozen=True)
class AffiliationData:
    """A link to an organization, by id when it exists, else by name (created on save)."""

    organization: str
    role: str = ""
    organization_id: int | None = None
    department: str = ""


@dataclass(frozen=True)
class MembershipData:
    """A role in a community, by id when it exists, else by name (created on save). `joined_on`
    travels with it (undo, merge), so writing a card back never moves a join date; a new
    membership without one joins today."""

    community: str
    role: str = "member"
    community_id: int | None = None
    joined_on: dt.date | None = None


@dataclass(frozen=True)
class ContactData:
    """Everything a person's card holds (not their history: interactions, invitations)."""

    given_name: str = ""
    family_name: str = ""
    nickname: str = ""
    name_prefix: str = ""
    name_suffix: str = ""
    formatted_name: str = ""  # shown instead of given + family name when set (vCard FN)
    birthday: str = ""  # "1985-04-12", or "--04-12" without the year: see `partial_date`
    anniversary: str = ""
    emails: tuple[Labelled, ...] = ()
    phones: tuple[Labelled, ...] = ()
    addresses: tuple[AddressData, ...] = ()
    affiliations: tuple[AffiliationData, ...] = ()
    tags: tuple[str, ...] = ()
    communities: tuple[MembershipData, ...] = ()
    preferred_channel: str = "email"
    language: str = "fr"
    notes: str = ""
    photo: bytes | None = None
    cadence_days: int | None = None
    consent_date: dt.date | None = None
    consent_source: str = ""
    consent_scope: str = "none"
    uid: str | None = None  # kept from an imported card; a new one is made otherwise

    @property
    def display_name(self) -> str:
        """As lists show the contact, in the order of `cmplanner.model.names`: never empty
        for a card that holds anything."""
        name = names.display_name(
            self.given_name,
            self.family_name,
            self.nickname,
            self.language,
            self.formatted_name,
            self.emails[0].value if self.emails else "",
            self.phones[0].value if self.phones else "",
        )
        return "" if name == "?" else name


@dataclass(frozen=True)
class OrganizationData:
    name: str
    kind: str = "other"
    website: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    notes: str = ""
    uid: str | None = None


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field, said for the person who typed it."""

    field: str  # "emails[1]", "phones[0]", "given_name"…
    message: str


@dataclass(frozen=True)
class InteractionRead:
    id: int
    occurred_at: dt.datetime
    channel: str
    in_person: bool
    duration_minutes: int | None
    notes: str
    event_id: int | None


@dataclass(frozen=True)
class AttendanceRead:
    event_id: int
    title: str
    start_local: dt.datetime
    timezone: str
    rsvp: str
    attended: bool | None
    role: str


@dataclass(frozen=True)
class ContactDetails:
    """A contact as the editor and `contacts show` see it."""

    id: int
    uid: str
    data: ContactData
    last_seen: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    interactions: tuple[InteractionRead, ...] = ()
    upcoming: tuple[AttendanceRead, ...] = ()
    past: tuple[AttendanceRead, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
