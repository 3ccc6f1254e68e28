"""The domain model: the SQLModel tables.

The tables load on first use (PEP 562), so `cmplanner.model.enums` stays cheap to import.

What services hand out is never a table row: it is a frozen dataclass, defined beside the
service that makes it. A record as the user edits it, written and read back the same way,
is a `…Data` (`ContactData`, `TaskData`, `BudgetLineData`); a stored record as read, with
its id and what the database adds, is a `…Read` (`OccurrenceRead`, `TaskRead`,
`CommitmentRead`); everything a view shows of one record is its `…Details`
(`ContactDetails`); anything else is named for what it is (`Door`, `ClosingPlan`,
`Dashboard`). One exception is kept from the first schema: an event and a venue are
written from the validated SQLModel `EventCreate` and `VenueCreate`, and `create_event`
returns an `EventRead`.
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
        CommunityMember,
        Contact,
        ContactAddress,
        ContactEmail,
        ContactPhone,
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
        SentMessage,
        Setting,
        Tag,
        Task,
        Venue,
        VenueCreate,
        WorkEntry,
        new_uid,
    )

__all__ = [
    "Affiliation",
    "BudgetLine",
    "CalDAVResource",
    "Commitment",
    "Community",
    "CommunityMember",
    "Contact",
    "ContactAddress",
    "ContactEmail",
    "ContactPhone",
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
    "SentMessage",
    "Setting",
    "Tag",
    "Task",
    "Venue",
    "VenueCreate",
    "WorkEntry",
    "display_name",
    "new_uid",
]


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "display_name":
        # imported on use, not at the top: keeps it off the start-up path
        from cmplanner.model import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
