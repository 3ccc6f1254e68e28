"""Closed vocabularies. Stored as their string value so the schema need not change with them."""

from __future__ import annotations

from enum import StrEnum

from cmplanner.i18n import N_, _


class Labelled(StrEnum):
    """A StrEnum whose members have a translatable label."""

    @property
    def label(self) -> str:
        return _(_LABELS.get(self.value, self.value))


class OrganizationKind(Labelled):
    ASSOCIATION = "association"
    PARTNER = "partner"
    SPONSOR = "sponsor"
    MEDIA = "media"
    VENUE = "venue"
    INSTITUTION = "institution"
    COMPANY = "company"
    OTHER = "other"


class MemberRole(Labelled):
    MEMBER = "member"
    AMBASSADOR = "ambassador"
    CORE_TEAM = "core_team"
    SPONSOR = "sponsor"
    PARTNER = "partner"


class EventStatus(Labelled):
    IDEA = "idea"
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    DONE = "done"
    CANCELLED = "cancelled"


class GuestRole(Labelled):
    GUEST = "guest"
    SPEAKER = "speaker"
    PARTNER = "partner"
    VOLUNTEER = "volunteer"
    STAFF = "staff"
    PRESS = "press"


class Rsvp(Labelled):
    NEEDS_ACTION = "needs-action"
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"


class CommitmentStatus(Labelled):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"
    CANCELLED = "cancelled"


class Channel(Labelled):
    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"
    VIDEO = "video"
    MESSAGE = "message"
    SOCIAL = "social"
    OTHER = "other"


class ConsentScope(Labelled):
    NONE = "none"
    CONTACT = "contact"
    CONTACT_PHOTOS = "contact_photos"


# Default event kinds; the list is editable by the user (issue 4), so Event.kind is free text.
DEFAULT_EVENT_KINDS: tuple[str, ...] = (
    "apero",
    "meetup",
    "interview",
    "product_test",
    "concert",
    "workshop",
    "other",
)

_LABELS: dict[str, str] = {
    # organization kinds
    "association": N_("Association"),
    "partner": N_("Partner"),
    "sponsor": N_("Sponsor"),
    "media": N_("Media"),
    "venue": N_("Venue"),
    "institution": N_("Institution"),
    "company": N_("Company"),
    "other": N_("Other"),
    # member roles
    "member": N_("Member"),
    "ambassador": N_("Ambassador"),
    "core_team": N_("Core team"),
    # event status
    "idea": N_("Idea"),
    "planned": N_("Planned"),
    "confirmed": N_("Confirmed"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
    # guest roles
    "guest": N_("Guest"),
    "speaker": N_("Speaker"),
    "volunteer": N_("Volunteer"),
    "staff": N_("Staff"),
    "press": N_("Press"),
    # RSVP
    "needs-action": N_("No answer yet"),
    "accepted": N_("Accepted"),
    "tentative": N_("Maybe"),
    "declined": N_("Declined"),
    # commitments
    "open": N_("Open"),
    "kept": N_("Kept"),
    "broken": N_("Broken"),
    # channels
    "in_person": N_("In person"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "video": N_("Video call"),
    "message": N_("Message"),
    "social": N_("Social network"),
    # consent
    "none": N_("None"),
    "contact": N_("Contact"),
    "contact_photos": N_("Contact and photos"),
    # event kinds
    "apero": N_("Apéro"),
    "meetup": N_("Meetup"),
    "interview": N_("Interview"),
    "product_test": N_("Product test"),
    "concert": N_("Concert"),
    "workshop": N_("Workshop"),
}


def kind_label(kind: str) -> str:
    """Label of an event kind (user-added kinds show as typed)."""
    return _(_LABELS[kind]) if kind in _LABELS else kind
