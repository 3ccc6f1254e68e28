"""The domain model: SQLModel tables plus their Create/Read models.

The tables load on first use (PEP 562), so `cmplanner.model.enums` stays cheap to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cmplanner.model.names import display_name

if TYPE_CHECKING:
    from cmplanner.model.tables import (
        Affiliation,
        BudgetLine,
        CalDAVResource,
        Commitment,
        Community,
        CommunityCreate,
        CommunityMember,
        CommunityRead,
        Contact,
        ContactAddress,
        ContactCreate,
        ContactEmail,
        ContactPhone,
        ContactRead,
        ContactTag,
        Event,
        EventCreate,
        EventPartner,
        EventRead,
        EventTeamMember,
        Interaction,
        Invitation,
        OccurrenceException,
        Organization,
        OrganizationCreate,
        OrganizationRead,
        SentMessage,
        Setting,
        Tag,
        Task,
        Venue,
        VenueCreate,
        VenueRead,
        WorkEntry,
        new_uid,
    )

__all__ = [
    "Affiliation",
    "BudgetLine",
    "CalDAVResource",
    "Commitment",
    "Community",
    "CommunityCreate",
    "CommunityMember",
    "CommunityRead",
    "Contact",
    "ContactAddress",
    "ContactCreate",
    "ContactEmail",
    "ContactPhone",
    "ContactRead",
    "ContactTag",
    "Event",
    "EventCreate",
    "EventPartner",
    "EventRead",
    "EventTeamMember",
    "Interaction",
    "Invitation",
    "OccurrenceException",
    "Organization",
    "OrganizationCreate",
    "OrganizationRead",
    "SentMessage",
    "Setting",
    "Tag",
    "Task",
    "Venue",
    "VenueCreate",
    "VenueRead",
    "WorkEntry",
    "display_name",
    "new_uid",
]


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "display_name":
        from cmplanner.model import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
