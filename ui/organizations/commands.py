"""Undoable writes on organizations: the editor's save."""

from __future__ import annotations

from collections.abc import Sequence

from cmplanner.bus import Changes
from cmplanner.i18n import _
from cmplanner.services import named_records
from cmplanner.services import organizations as organization_service
from cmplanner.services.contact_data import OrganizationData
from cmplanner.storage import Database
from ui.kit.undo import SnapshotCommand


class EditOrganization(SnapshotCommand[named_records.Snapshot]):
    """The organization's fields and people (with roles) become the new ones. Undo of a
    creation deletes the organization, and redo brings it back with the same id."""

    def __init__(
        self,
        db: Database,
        org_id: int | None,
        old: OrganizationData | None,
        new: OrganizationData,
        old_people: Sequence[tuple[int, str]],
        new_people: Sequence[tuple[int, str]],
    ) -> None:
        people = list(new_people)

        def restore(snapshot: named_records.Snapshot) -> Changes:
            return named_records.restore(db, snapshot)

        if org_id is None:

            def create() -> tuple[int, Changes]:
                created, changes = organization_service.create_organization(db, new)
                return created, changes | organization_service.set_people(db, created, people)

            super().__init__(
                db,
                _("Add {name}").format(name=new.name),
                write=create,
                delete=lambda created: named_records.delete(db, "organization", created),
                restore=restore,
            )
            return
        edited = org_id

        def edit() -> Changes:
            changes = organization_service.update_organization(db, edited, new)
            return changes | organization_service.set_people(db, edited, people)

        super().__init__(
            db,
            _("Edit {name}").format(name=new.name),
            write=edit,
            snapshot=lambda: named_records.take(db, "organization", edited),
            restore=restore,
        )
