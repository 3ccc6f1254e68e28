"""Writing the decided items: a backup ("before-import"), then ONE transaction. Any invalid
item refuses the whole file unless ``skip_invalid``. `preview` says what it would do, counted
and worded as the report will be."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cmplanner.bus import Changes
from cmplanner.errors import CMPlannerError, explained
from cmplanner.i18n import _, labelled, ngettext
from cmplanner.interop.contacts.bulk import ContactWriter, plain_transaction
from cmplanner.interop.contacts.items import ImportItem, ImportRefused
from cmplanner.interop.contacts.plan import Decision
from cmplanner.memory import bulk_allocation
from cmplanner.model import Organization
from cmplanner.services.contact_data import ContactData, OrganizationData
from cmplanner.services.contacts import add_to_card
from cmplanner.storage import Database
from cmplanner.storage.backup import create_backup
from cmplanner.storage.sql import get_or_raise, in_chunks

Progress = Callable[[int, int], None]

_SHOWN_PROBLEMS = 5
_PROGRESS_EVERY = 100  # items between two progress calls (and bulk inserts)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did, or would do (a dry run): counted by kind, people apart from
    organization cards, and worded the same way for both."""

    created: int = 0  # people
    merged: int = 0
    organizations_created: int = 0
    organizations_merged: int = 0
    skipped: tuple[tuple[str, str], ...] = ()  # (where, why)

    def counts(self) -> dict[str, int]:
        return {
            "people_created": self.created,
            "people_merged": self.merged,
            "organizations_created": self.organizations_created,
            "organizations_merged": self.organizations_merged,
            "skipped": len(self.skipped),
        }

    def summary(self) -> str:
        parts = [
            ngettext("Imported {n} contact", "Imported {n} contacts", self.created).format(
                n=self.created
            ),
            _("merged {n}").format(n=self.merged),
        ]
        if self.organizations_created or self.organizations_merged:
            parts.append(
                ngettext(
                    "{n} organization created",
                    "{n} organizations created",
                    self.organizations_created,
                ).format(n=self.organizations_created)
            )
        if self.organizations_merged:
            parts.append(
                ngettext(
                    "{n} organization merged",
                    "{n} organizations merged",
                    self.organizations_merged,
                ).format(n=self.organizations_merged)
            )
        text = ", ".join(parts)
        if self.skipped:
            shown = "; ".join(labelled(where, why) for where, why in self.skipped[:_SHOWN_PROBLEMS])
            more = len(self.skipped) - _SHOWN_PROBLEMS
            if more > 0:
                shown += "; " + _("and {n} more").format(n=more)
            text += ", " + _("skipped {n} ({details})").format(n=len(self.skipped), details=shown)
        return text + "."


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)  # contact ids
    merged: list[int] = field(default_factory=list)
    organizations_created: list[int] = field(default_factory=list)
    organizations_merged: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    backup: Path | None = None
    changes: Changes = field(default_factory=Changes)

    def outcome(self) -> ImportOutcome:
        return ImportOutcome(
            len(self.created),
            len(self.merged),
            len(self.organizations_created),
            len(self.organizations_merged),
            tuple(self.skipped),
        )

    def summary(self) -> str:
        return self.outcome().summary()

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "merged": self.merged,
            "organizations_created": self.organizations_created,
            "organizations_merged": self.organizations_merged,
            "skipped": [{"where": w, "reason": r} for w, r in self.skipped],
            "warnings": [{"where": w, "warning": m} for w, m in self.warnings],
            "backup": str(self.backup) if self.backup else None,
            "counts": self.outcome().counts(),
        }


def refusal_message(invalid: Sequence[ImportItem]) -> str:
    lines = [labelled(item.where(), item.problem_text()) for item in invalid[:_SHOWN_PROBLEMS]]
    more = len(invalid) - _SHOWN_PROBLEMS
    if more > 0:
        lines.append(_("and {n} more").format(n=more))
    head = ngettext(
        "The file was not imported: {n} entry cannot be read.",
        "The file was not imported: {n} entries cannot be read.",
        len(invalid),
    ).format(n=len(invalid))
    hint = _("Fix it, or import the rest with --skip-invalid.")
    return "\n".join([head, *lines, hint])


def refusal(invalid: Sequence[ImportItem]) -> ImportRefused:
    """The whole file refused for its unreadable entries: the full list in the message, the
    first one (and how many more) on one line, at its line."""
    first = invalid[0]
    parts = [labelled(first.entry(), first.problem_text())]
    if len(invalid) > 1:
        parts.append(
            ngettext(
                "{n} more entry cannot be read", "{n} more entries cannot be read", len(invalid) - 1
            ).format(n=len(invalid) - 1)
        )
    parts.append(_("the file was not imported: fix it, or import the rest with --skip-invalid"))
    # One sentence: a problem that ends with a full stop does not end it ("….; the file…").
    reason = "; ".join(part.rstrip().rstrip(".") for part in parts)
    return ImportRefused(refusal_message(invalid), line=first.line, reason=reason)


# --- writing ---------------------------------------------------------------------------------


def _decision(raw: Decision) -> tuple[str, int | None]:
    if isinstance(raw, tuple) and len(raw) == 2 and raw[0] == "merge":
        return "merge", int(raw[1])
    if raw in ("create", "skip"):
        return str(raw), None
    raise ValueError(f"bad import decision {raw!r}")


def _steps(
    items: Sequence[ImportItem],
    decisions: Sequence[Decision] | None,
    skip_invalid: bool,
    report: ImportReport,
) -> list[tuple[ImportItem, str, int | None]]:
    """What is to be written, as (item, action, target); what is skipped and the warnings go
    in `report`. Refuses the file for an invalid item unless `skip_invalid`."""
    chosen = list(decisions) if decisions is not None else ["create"] * len(items)
    if len(chosen) != len(items):
        raise ValueError("one decision per item")
    steps = [(item, *_decision(raw)) for item, raw in zip(items, chosen, strict=True)]
    invalid = [item for item in items if not item.valid]
    if invalid and not skip_invalid:
        raise refusal(invalid)
    todo = []
    for item, action, target in steps:
        if not item.valid:
            report.skipped.append((item.where(), item.problem_text()))
        elif action == "skip":
            report.skipped.append((item.where(), _("skipped by choice")))
        else:
            todo.append((item, action, target))
            report.warnings += [(item.where(), w) for w in item.warnings]
    return todo


def preview(
    items: Sequence[ImportItem],
    decisions: Sequence[Decision] | None = None,
    skip_invalid: bool = False,
) -> ImportOutcome:
    """What `apply_import` would report, without writing: the same counts, kinds and skipped
    entries. Refuses as `apply_import` would."""
    report = ImportReport()
    counts = {"create": [0, 0], "merge": [0, 0]}  # [people, organizations]
    for item, action, _target in _steps(items, decisions, skip_invalid, report):
        counts[action][int(isinstance(item.data, OrganizationData))] += 1
    return ImportOutcome(
        counts["create"][0],
        counts["merge"][0],
        counts["create"][1],
        counts["merge"][1],
        tuple(report.skipped),
    )


def apply_import(
    db: Database,
    items: Sequence[ImportItem],
    decisions: Sequence[Decision] | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write the items: a backup first, then one transaction (all or nothing)."""
    report = ImportReport()
    todo = _steps(items, decisions, skip_invalid, report)
    total = len(todo)
    if progress:
        progress(0, total)
    if not todo:
        return report
    report.backup = create_backup(db.path, reason="before-import")
    with bulk_allocation():
        return _write(db, todo, report, total, progress)


def _write(
    db: Database,
    todo: list[tuple[ImportItem, str, int | None]],
    report: ImportReport,
    total: int,
    progress: Progress | None,
) -> ImportReport:
    every = min(_PROGRESS_EVERY, max(1, total // 100))
    tag_names: set[str] = set()
    org_names: set[str] = set()
    only_new = not db.read_only and all(
        isinstance(item.data, ContactData) and action == "create" for item, action, _t in todo
    )
    try:
        with contextlib.ExitStack() as stack:
            # New contacts only (the usual import): a plain connection, no ORM. Merges and
            # organizations go through the services' ORM code, in the same transaction.
            session: Any = None
            if only_new:
                con = stack.enter_context(plain_transaction(db.path))
            else:
                session = stack.enter_context(db.transaction())
                con = session.connection().connection.driver_connection
            writer = ContactWriter(con)
            pending: list[ImportItem] = []  # new contacts waiting for one bulk insert

            def write_pending() -> None:
                if not pending:
                    return
                cards = [item.data for item in pending if isinstance(item.data, ContactData)]
                try:
                    report.created += writer.insert(cards)
                except sqlite3.Error as exc:
                    raise _not_written(pending, exc, db.path) from exc
                pending.clear()

            for done, (item, action, target) in enumerate(todo, start=1):
                data = item.data
                if isinstance(data, ContactData) and action == "create":
                    tag_names.update(data.tags)
                    org_names.update(a.organization for a in data.affiliations)
                    pending.append(item)
                else:
                    write_pending()  # in the file's order: the ids one by one would give
                    try:
                        _write_item(session, item, action, target, report, tag_names, org_names)
                    except _database_errors() as exc:
                        raise _not_written([item], exc, db.path) from exc
                if done % every == 0 or done == total:
                    write_pending()
                    if progress:
                        progress(done, total)
    except CMPlannerError:
        raise
    except _database_errors() as exc:
        raise explained(exc, db.path) or ImportRefused(
            _("The file was not imported: the database refused it ({error}).").format(
                error=type(exc).__name__
            )
        ) from exc
    report.changes = _changes(db, report, tag_names, org_names)
    return report


def _database_errors() -> tuple[type[Exception], ...]:
    """sqlite3's errors, and SQLAlchemy's when it is loaded (an import of new contacts
    only never loads it)."""
    found: tuple[type[Exception], ...] = (sqlite3.Error,)
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None:
        found += (sqlalchemy_exc.SQLAlchemyError,)
    return found


def _not_written(items: Sequence[ImportItem], exc: Exception, path: Path) -> CMPlannerError:
    """A card the database refused; or the database itself (full disk, read-only file…),
    which no card is to blame for."""
    machine = explained(exc, path)
    if machine is not None:
        return machine
    where = items[0].where() if len(items) == 1 else f"{items[0].where()} – {items[-1].where()}"
    return ImportRefused(
        _("The file was not imported: {where} could not be written ({error}).").format(
            where=where, error=type(exc).__name__
        ),
        line=items[0].line,
    )


def _write_item(
    session: Any,
    item: ImportItem,
    action: str,
    target: int | None,
    report: ImportReport,
    tag_names: set[str],
    org_names: set[str],
) -> None:
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import select

    data = item.data
    if isinstance(data, OrganizationData):
        if action == "merge" and target is not None:
            org = get_or_raise(session, Organization, target)
            for name in (
                "kind",
                "website",
                "email",
                "phone",
                "street",
                "postal_code",
                "city",
                "country",
                "notes",
            ):
                if getattr(org, name) in ("", "other") and getattr(data, name):
                    setattr(org, name, getattr(data, name))
            session.add(org)
            session.flush()
            report.organizations_merged.append(target)
        else:
            values = dataclasses.asdict(data)
            uid = values.pop("uid")
            if uid and session.exec(select(Organization.id).where(Organization.uid == uid)).first():
                uid = None
            org = Organization(**values, **({"uid": uid} if uid else {}))
            session.add(org)
            session.flush()
            assert org.id is not None
            report.organizations_created.append(org.id)
        org_names.add(data.name)
        return
    # A new contact goes to the bulk writer (bulk.py); here only a merge.
    assert isinstance(data, ContactData) and action == "merge" and target is not None
    tag_names.update(data.tags)
    org_names.update(a.organization for a in data.affiliations)
    add_to_card(session, target, dataclasses.replace(data, uid=None))
    report.merged.append(target)


def _changes(
    db: Database, report: ImportReport, tag_names: set[str], org_names: set[str]
) -> Changes:
    tags: set[int] = set()
    orgs = set(report.organizations_created) | set(report.organizations_merged)
    with db.read() as con:
        for names, table, found in ((tag_names, "tag", tags), (org_names, "organization", orgs)):
            listed = sorted(names)
            for chunk, marks in in_chunks(listed):
                found.update(
                    r[0]
                    for r in con.execute(f"SELECT id FROM {table} WHERE name IN ({marks})", chunk)
                )
    return Changes(
        contacts=frozenset(report.created) | frozenset(report.merged),
        organizations=frozenset(orgs),
        tags=frozenset(tags),
    )
