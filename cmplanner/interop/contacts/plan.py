"""What importing the items would do: the likely duplicates of each in the book and a
suggested decision. Read-only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cmplanner.i18n import N_, _
from cmplanner.interop.contacts.items import ImportItem
from cmplanner.memory import bulk_allocation
from cmplanner.services.contact_data import ContactData, OrganizationData
from cmplanner.services.duplicates import IDENTITY_REASONS, BookMatcher, FileMatcher
from cmplanner.services.preferences import phone_region
from cmplanner.storage import Database
from cmplanner.storage.sql import in_chunks

MERGE_MODES = ("auto", "never")  # plan_import's `merge`
Decision = str | tuple[str, int]  # "create" | "skip" | ("merge", id)

SAME_UID = N_("same card (UID)")
SAME_ORGANIZATION = N_("same organization name")
# What makes an import merge a card into an existing record: the same card, never a look-alike.
_MERGE_REASONS = frozenset({SAME_UID, SAME_ORGANIZATION, *IDENTITY_REASONS})


@dataclass(frozen=True)
class Match:
    record_id: int  # a contact id, or an organization id for an organization item
    reason: str  # msgid: translate where shown
    name: str


@dataclass(frozen=True)
class PlannedItem:
    item: ImportItem
    matches: tuple[Match, ...]
    decision: Decision  # the suggestion; the wizard lets the user change it


def plan_import(
    db: Database, items: Sequence[ImportItem], merge: str = "auto"
) -> list[PlannedItem]:
    """Likely duplicates of each item in the book, and the suggested decision: a merge only
    into the same card (`_MERGE_REASONS`; never with ``merge="never"``). A card that only
    looks like one of the book, or like an earlier card of the same file, gets a warning
    naming it (both are kept: the person decides, then merges them from Find duplicates)."""
    if merge not in MERGE_MODES:
        raise ValueError(f"bad merge mode {merge!r}")
    region = phone_region(db)
    plans: list[PlannedItem] = []
    with db.read() as con, bulk_allocation():
        book = BookMatcher(con, region)
        in_file = FileMatcher()
        by_uid = _contacts_by_uid(
            con, [i.data.uid for i in items if isinstance(i.data, ContactData) and i.data.uid]
        )
        for item in items:
            matches: list[tuple[int, str]] = []
            data = item.data
            if data is None or not item.valid:
                plans.append(PlannedItem(item, (), "skip" if data is None else "create"))
                continue
            if isinstance(data, OrganizationData):
                if data.uid:
                    matches += [
                        (r[0], SAME_UID)
                        for r in con.execute(
                            "SELECT id FROM organization WHERE uid = ?", (data.uid,)
                        )
                    ]
                matches += [
                    (r[0], SAME_ORGANIZATION)
                    for r in con.execute(
                        "SELECT id FROM organization WHERE name = ? COLLATE NOCASE", (data.name,)
                    )
                ]
            else:
                if data.uid:
                    matches += [(cid, SAME_UID) for cid in by_uid.get(data.uid, ())]
                matches += book.likely_matches(data)
                earlier = in_file.match_and_add(data, len(plans))
                if earlier is not None:
                    first, reason = earlier
                    warning = _("Looks like {where} of this file ({why})").format(
                        where=items[first].where(), why=_(reason)
                    )
                    if warning not in item.warnings:  # planned again: said once
                        item.warnings.append(warning)
            unique: dict[int, str] = {}
            for record_id, reason in matches:
                unique.setdefault(record_id, reason)
            found = []
            for record_id, reason in unique.items():
                if isinstance(data, OrganizationData):
                    row = con.execute(
                        "SELECT name FROM organization WHERE id = ?", (record_id,)
                    ).fetchone()
                    name = str(row[0]) if row else ""
                else:
                    name = book.display_name(record_id)
                found.append(Match(record_id, reason, name))
            found.sort(key=lambda m: m.reason not in _MERGE_REASONS)  # stable: best first
            decision: Decision = "create"
            if found and found[0].reason in _MERGE_REASONS and merge == "auto":
                decision = ("merge", found[0].record_id)
            elif found and not isinstance(data, OrganizationData):
                match = found[0]
                warning = _("Looks like {name} (#{id}) in the book ({why})").format(
                    name=match.name, id=match.record_id, why=_(match.reason)
                )
                if warning not in item.warnings:
                    item.warnings.append(warning)
            plans.append(PlannedItem(item, tuple(found), decision))
    return plans


def _contacts_by_uid(con: Any, uids: Sequence[str]) -> dict[str, list[int]]:
    wanted = list(dict.fromkeys(uids))
    found: dict[str, list[int]] = {}
    for chunk, marks in in_chunks(wanted):
        for cid, uid in con.execute(f"SELECT id, uid FROM contact WHERE uid IN ({marks})", chunk):
            found.setdefault(uid, []).append(cid)
    return found
