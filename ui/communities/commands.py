"""Undoable writes on communities: the editor's save, members added in bulk, and the
promises made to people, communities and events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from cmplanner.services import commitments as commitment_service
from cmplanner.services import communities as community_service
from cmplanner.services import contacts as contact_service
from cmplanner.services import named_records
from cmplanner.services.communities import CommunityData
from cmplanner.storage import Database
from ui.kit.undo import SnapshotCommand

Memberships = Sequence[tuple[int, str]]  # (contact id, role)


class AddMembers(SnapshotCommand[contact_service.MembershipState]):
    """Undo removes only the memberships this command created."""

    def __init__(
        self,
        db: Database,
        community_id: int,
        community_name: str,
        contact_ids: Sequence[int],
        role: str = "member",
    ) -> None:
        n = len(contact_ids)
        text = ngettext("Add {n} contact to {community}", "Add {n} contacts to {community}", n)
        ids = list(contact_ids)
        super().__init__(
            db,
            text.format(n=n, community=community_name),
            write=lambda: contact_service.add_members(db, community_id, ids, role),
            snapshot=lambda: contact_service.membership_state(db, community_id, ids, role),
            restore=lambda state: contact_service.restore_membership_state(db, state),
        )


class EditCommunity(SnapshotCommand[named_records.Snapshot]):
    """The community's fields and its members (by role) become the new ones. Undo of a
    creation deletes the community, and redo brings it back with the same id."""

    def __init__(
        self,
        db: Database,
        community_id: int | None,
        old: CommunityData | None,
        new: CommunityData,
        old_members: Memberships,
        new_members: Memberships,
    ) -> None:
        have, want = set(old_members), set(new_members)

        def restore(snapshot: named_records.Snapshot) -> Changes:
            return named_records.restore(db, snapshot)

        if community_id is None:

            def create() -> tuple[int, Changes]:
                created, changes = community_service.create_community(db, new)
                return created, changes | community_service.change_members(db, created, (), want)

            super().__init__(
                db,
                _("Add {name}").format(name=new.name),
                write=create,
                delete=lambda created: named_records.delete(db, "community", created),
                restore=restore,
            )
            return
        edited = community_id

        def edit() -> Changes:
            changes = community_service.update_community(db, edited, new)
            return changes | community_service.change_members(db, edited, have - want, want - have)

        super().__init__(
            db,
            _("Edit {name}").format(name=new.name),
            write=edit,
            snapshot=lambda: named_records.take(db, "community", edited),
            restore=restore,
        )


class AddCommitment(SnapshotCommand[dict[str, object]]):
    """Undo deletes the promise; redo brings it back with the same id."""

    def __init__(self, db: Database, values: dict[str, Any]) -> None:
        description = str(values.get("description", "")).strip()
        super().__init__(
            db,
            _("Promise “{what}”").format(what=description),
            write=lambda: commitment_service.add_commitment(db, **values),
            delete=lambda created: commitment_service.delete_commitment(db, created),
            restore=lambda row: commitment_service.restore_commitment(db, row),
        )


class SetCommitmentStatus(SnapshotCommand[str]):
    """Kept or dropped (or open again); undo gives back the status it had."""

    def __init__(self, db: Database, commitment_id: int, description: str, status: str) -> None:
        text = {
            "kept": _("Promise kept: “{what}”"),
            "dropped": _("Promise dropped: “{what}”"),
        }.get(status, _("Promise reopened: “{what}”"))
        super().__init__(
            db,
            text.format(what=description),
            write=lambda: commitment_service.set_status(db, commitment_id, status),
            snapshot=lambda: commitment_service.get_status(db, commitment_id),
            restore=lambda was: commitment_service.set_status(db, commitment_id, was),
        )
