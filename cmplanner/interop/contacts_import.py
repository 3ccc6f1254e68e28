"""Importing contacts: parse a file, plan against the book, then write it all or nothing.

The API the CLI and the import wizard share (keep it stable):

1. ``parsed = parse_bytes(data, format="auto", region=…)`` (or ``parse_file(path, …)``):
   reads vCard 2.1/3.0/4.0, Google CSV, Outlook CSV or any CSV (``mapping=`` overrides the
   guessed column mapping of a generic CSV). Never writes. Returns a `ParsedFile` whose
   ``items`` are `ImportItem`s: the card/row number, its first line in the file, a
   normalised `ContactData` (or `OrganizationData` for ``KIND:org``), warnings, problems.
   A file that is not contacts at all (binary, random text, empty) raises `ImportRefused`.
2. ``plans = plan_import(db, parsed.items)``: for each item the likely duplicates in the book
   (`Match`) and a suggested decision: ``("merge", id)`` when the UID, an e-mail or a phone
   is the same, else ``"create"``. Read-only.
3. ``report = apply_import(db, items, decisions, skip_invalid=False, progress=cb)``: a backup
   ("before-import"), then ONE transaction. ``decisions[i]`` is ``"create"``, ``"skip"`` or
   ``("merge", id)``. Any invalid item refuses the whole file (`ImportRefused` naming the
   card/row, line and field) unless ``skip_invalid``; then the report lists what was
   skipped. ``progress(done, total)`` is called from the calling thread as items are
   written. Publishes and returns the `Changes` in `ImportReport.changes`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cmplanner.bus import Changes, bus
from cmplanner.errors import CMPlannerError, ValidationError
from cmplanner.i18n import N_, _, labelled, ngettext
from cmplanner.memory import bulk_allocation
from cmplanner.services.contact_data import ContactData, FieldProblem, OrganizationData
from cmplanner.services.duplicates import SAME_EMAIL, SAME_PHONE
from cmplanner.storage import Database

FORMATS = ("auto", "vcard", "google", "outlook", "csv")
Format = Literal["auto", "vcard", "google", "outlook", "csv"]
Decision = str | tuple[str, int]  # "create" | "skip" | ("merge", id)
Progress = Callable[[int, int], None]

SAME_UID = N_("same card (UID)")
SAME_ORGANIZATION = N_("same organization name")
_MERGE_REASONS = (SAME_UID, SAME_EMAIL, SAME_PHONE, SAME_ORGANIZATION)
_SHOWN_PROBLEMS = 5
_PROGRESS_EVERY = 100  # items between two progress calls (and bulk inserts)


class ImportRefused(ValidationError):
    """The file cannot be imported as it is; the message says where and why."""


@dataclass
class ImportItem:
    """One card or row of the file, parsed and checked, not yet written."""

    number: int  # 1-based card or row number
    line: int  # the line of the file where it starts
    data: ContactData | OrganizationData | None  # None when it could not be read at all
    warnings: list[str] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)
    unit: Literal["card", "row"] = "card"

    @property
    def valid(self) -> bool:
        return self.data is not None and not self.problems

    @property
    def is_organization(self) -> bool:
        return isinstance(self.data, OrganizationData)

    @property
    def name(self) -> str:
        if isinstance(self.data, OrganizationData):
            return self.data.name
        return self.data.display_name if self.data else ""

    def where(self) -> str:
        if self.unit == "row":
            return _("row {number}, line {line}").format(number=self.number, line=self.line)
        return _("card {number}, line {line}").format(number=self.number, line=self.line)

    def problem_text(self) -> str:
        return "; ".join(labelled(field_label(p.field), p.message) for p in self.problems)


@dataclass(frozen=True)
class ParsedFile:
    format: str  # the format read: vcard | google | outlook | csv
    items: list[ImportItem]
    columns: tuple[str, ...] = ()  # a CSV's headers
    mapping: dict[int, str] = field(default_factory=dict)  # a CSV's column → field
    ignored_columns: tuple[str, ...] = ()


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

    def summary(self) -> str:
        parts = [
            ngettext("Imported {n} contact", "Imported {n} contacts", len(self.created)).format(
                n=len(self.created)
            ),
            _("merged {n}").format(n=len(self.merged)),
        ]
        if self.organizations_created or self.organizations_merged:
            parts.append(
                ngettext(
                    "{n} organization created",
                    "{n} organizations created",
                    len(self.organizations_created),
                ).format(n=len(self.organizations_created))
            )
        text = ", ".join(parts)
        if self.skipped:
            shown = "; ".join(labelled(where, why) for where, why in self.skipped[:_SHOWN_PROBLEMS])
            more = len(self.skipped) - _SHOWN_PROBLEMS
            if more > 0:
                shown += "; " + _("and {n} more").format(n=more)
            text += ", " + _("skipped {n} ({details})").format(n=len(self.skipped), details=shown)
        return text + "."

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "merged": self.merged,
            "organizations_created": self.organizations_created,
            "organizations_merged": self.organizations_merged,
            "skipped": [{"where": w, "reason": r} for w, r in self.skipped],
            "warnings": [{"where": w, "warning": m} for w, m in self.warnings],
            "backup": str(self.backup) if self.backup else None,
        }


_FIELD_LABELS = {
    "given_name": N_("name"),
    "family_name": N_("last name"),
    "nickname": N_("nickname"),
    "emails": N_("e-mail"),
    "email": N_("e-mail"),
    "phones": N_("phone"),
    "phone": N_("phone"),
    "name": N_("name"),
    "cadence_days": N_("cadence"),
    "card": N_("card"),
    "row": N_("row"),
    "kind": N_("kind"),
}


def field_label(name: str) -> str:
    """ "emails[1]" → "e-mail 2", for a person reading an error."""
    m = re.fullmatch(r"(\w+)\[(\d+)\]", name)
    base = m.group(1) if m else name
    label = _(_FIELD_LABELS[base]) if base in _FIELD_LABELS else base
    return f"{label} {int(m.group(2)) + 1}" if m else label


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


# --- reading bytes ---------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """The text of a contacts file: BOM removed, UTF-8/UTF-16 or else Windows-1252; refuses
    empty and binary files."""
    if not data.strip():
        raise ImportRefused(_("The file is empty."))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise ImportRefused(_("The file is not readable text.")) from exc
    if b"\x00" in data:
        raise ImportRefused(_("This is a binary file, not contacts (vCard or CSV)."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return _check_text(text)


def _check_text(text: str) -> str:
    sample = text[:20000]
    control = sum(
        1 for ch in sample if unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\r\n\f"
    )
    if control > max(2, len(sample) // 200):
        raise ImportRefused(_("This is a binary file, not contacts (vCard or CSV)."))
    if not text.strip():
        raise ImportRefused(_("The file is empty."))
    return text


def detect_format(text: str) -> str:
    """vcard | google | outlook | csv, from the content; refuses what is none of them."""
    from cmplanner.interop import csv_contacts

    if re.search(r"^\s*BEGIN\s*:\s*VCARD\s*$", text[:100000], re.IGNORECASE | re.MULTILINE):
        return "vcard"
    kind = csv_contacts.detect_kind(text)
    if kind is None:
        raise ImportRefused(
            _("This file is neither a vCard nor a CSV file with recognisable contact columns.")
        )
    return kind


def parse_bytes(
    data: bytes,
    format: str = "auto",
    region: str = "FR",
    mapping: Mapping[int, str] | None = None,
) -> ParsedFile:
    """Read a contacts file into items (nothing is written)."""
    from cmplanner.interop import csv_contacts, vcard

    if format not in FORMATS:
        raise ImportRefused(_("Unknown import format “{format}”.").format(format=format))
    text = decode_text(data)
    kind = detect_format(text) if format == "auto" else format
    with bulk_allocation():
        if kind == "vcard":
            return ParsedFile("vcard", vcard.parse_vcards(text, region))
        return csv_contacts.parse_csv_text(text, kind, region, mapping)


def parse_file(
    path: Path | str,
    format: str = "auto",
    region: str = "FR",
    mapping: Mapping[int, str] | None = None,
) -> ParsedFile:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportRefused(
            _("Cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    return parse_bytes(data, format, region, mapping)


# --- planning --------------------------------------------------------------------------------


def plan_import(db: Database, items: Sequence[ImportItem]) -> list[PlannedItem]:
    """Likely duplicates of each item in the book, and the suggested decision. A card that
    looks like an earlier card of the same file gets a warning naming it (both are imported:
    the person decides, then merges them from Find duplicates)."""
    from cmplanner.services.duplicates import BookMatcher, FileMatcher
    from cmplanner.services.preferences import phone_region

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
            decision: Decision = "create"
            if found and found[0].reason in _MERGE_REASONS:
                decision = ("merge", found[0].record_id)
            plans.append(PlannedItem(item, tuple(found), decision))
    return plans


def _contacts_by_uid(con: Any, uids: Sequence[str]) -> dict[str, list[int]]:
    wanted = list(dict.fromkeys(uids))
    found: dict[str, list[int]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for cid, uid in con.execute(f"SELECT id, uid FROM contact WHERE uid IN ({marks})", chunk):
            found.setdefault(uid, []).append(cid)
    return found


# --- writing ---------------------------------------------------------------------------------


def _decision(raw: Decision) -> tuple[str, int | None]:
    if isinstance(raw, tuple) and len(raw) == 2 and raw[0] == "merge":
        return "merge", int(raw[1])
    if raw in ("create", "skip"):
        return str(raw), None
    raise ValueError(f"bad import decision {raw!r}")


def apply_import(
    db: Database,
    items: Sequence[ImportItem],
    decisions: Sequence[Decision] | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write the items: a backup first, then one transaction (all or nothing)."""
    from cmplanner.storage.backup import create_backup

    chosen = list(decisions) if decisions is not None else ["create"] * len(items)
    if len(chosen) != len(items):
        raise ValueError("one decision per item")
    steps = [(item, *_decision(raw)) for item, raw in zip(items, chosen, strict=True)]
    invalid = [item for item in items if not item.valid]
    if invalid and not skip_invalid:
        raise ImportRefused(refusal_message(invalid))
    report = ImportReport()
    todo = []
    for item, action, target in steps:
        if not item.valid:
            report.skipped.append((item.where(), item.problem_text()))
        elif action == "skip":
            report.skipped.append((item.where(), _("skipped by choice")))
        else:
            todo.append((item, action, target))
            report.warnings += [(item.where(), w) for w in item.warnings]
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
    from cmplanner.interop.contacts_bulk import ContactWriter, plain_transaction

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
                    raise _not_written(pending, exc) from exc
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
                        raise _not_written([item], exc) from exc
                if done % every == 0 or done == total:
                    write_pending()
                    if progress:
                        progress(done, total)
    except CMPlannerError:
        raise
    except _database_errors() as exc:
        raise ImportRefused(
            _("The file was not imported: the database refused it ({error}).").format(
                error=type(exc).__name__
            )
        ) from exc
    report.changes = _changes(db, report, tag_names, org_names)
    bus.publish(report.changes)
    return report


def _database_errors() -> tuple[type[Exception], ...]:
    """sqlite3's errors, and SQLAlchemy's when it is loaded (an import of new contacts
    only never loads it)."""
    import sys

    found: tuple[type[Exception], ...] = (sqlite3.Error,)
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None:
        found += (sqlalchemy_exc.SQLAlchemyError,)
    return found


def _not_written(items: Sequence[ImportItem], exc: Exception) -> ImportRefused:
    where = items[0].where() if len(items) == 1 else f"{items[0].where()} – {items[-1].where()}"
    return ImportRefused(
        _("The file was not imported: {where} could not be written ({error}).").format(
            where=where, error=type(exc).__name__
        )
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
    from sqlmodel import select

    from cmplanner.errors import NotFound
    from cmplanner.model import Organization
    from cmplanner.services.contacts import add_to_card

    data = item.data
    if isinstance(data, OrganizationData):
        if action == "merge" and target is not None:
            org = session.get(Organization, target)
            if org is None:
                raise NotFound(_("Organization {id} does not exist.").format(id=target))
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
            report.organizations_merged.append(int(org.id))
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
    # A new contact goes to the bulk writer (contacts_bulk); here only a merge.
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
            for start in range(0, len(listed), 500):
                chunk = listed[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(
                    r[0]
                    for r in con.execute(f"SELECT id FROM {table} WHERE name IN ({marks})", chunk)
                )
    return Changes(
        contacts=frozenset(report.created) | frozenset(report.merged),
        organizations=frozenset(orgs),
        tags=frozenset(tags),
    )
