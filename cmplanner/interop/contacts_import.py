"""Importing contacts: parse a file, plan against the book, then write it all or nothing.

The API the CLI and the import wizard share (keep it stable):

1. ``parsed = parse_bytes(data, format="auto", region=…)`` (or ``parse_file(path, …)``):
   reads vCard 2.1/3.0/4.0, Google CSV, Outlook CSV or any CSV (``mapping=`` overrides the
   guessed column mapping of a generic CSV). Never writes. Returns a `ParsedFile` whose
   ``items`` are `ImportItem`s: the card/row number, its first line in the file, a
   normalised `ContactData` (or `OrganizationData` for ``KIND:org``), warnings, problems.
   A file that is not contacts at all (binary, random text, empty) raises `ImportRefused`.
2. ``plans = plan_import(db, parsed.items, merge="auto")``: for each item the likely
   duplicates in the book (`Match`, best first) and a suggested decision: ``("merge", id)``
   only when it is the same card — the same UID, or the same personal e-mail and a
   compatible name (services/duplicates.py says which) —, else ``"create"``; a shared phone,
   a generic address (contact@…) or the same name only suggest, with a warning naming the
   contact. ``merge="never"`` plans ``"create"`` for everyone. Read-only.
3. ``report = apply_import(db, items, decisions, skip_invalid=False, progress=cb)``: a backup
   ("before-import"), then ONE transaction. ``decisions[i]`` is ``"create"``, ``"skip"`` or
   ``("merge", id)``. Any invalid item refuses the whole file (`ImportRefused` naming the
   card/row, line and field) unless ``skip_invalid``; then the report lists what was
   skipped. ``progress(done, total)`` is called from the calling thread as items are
   written. Returns the `Changes` in `ImportReport.changes` (the caller publishes them).
   ``preview(items, decisions, skip_invalid)`` says what it would do (the dry run), counted
   and worded as the report will be.
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

from cmplanner.bus import Changes
from cmplanner.errors import CMPlannerError, ValidationError, explained
from cmplanner.i18n import N_, _, labelled, ngettext
from cmplanner.interop import without_controls
from cmplanner.memory import bulk_allocation
from cmplanner.services.contact_data import ContactData, FieldProblem, OrganizationData
from cmplanner.services.duplicates import IDENTITY_REASONS
from cmplanner.storage import Database
from cmplanner.storage.sql import get_or_raise, in_chunks

FORMATS = ("auto", "vcard", "google", "outlook", "csv")
MERGE_MODES = ("auto", "never")  # plan_import's `merge`
Format = Literal["auto", "vcard", "google", "outlook", "csv"]
Decision = str | tuple[str, int]  # "create" | "skip" | ("merge", id)
Progress = Callable[[int, int], None]

SAME_UID = N_("same card (UID)")
SAME_ORGANIZATION = N_("same organization name")
# What makes an import merge a card into an existing record: the same card, never a look-alike.
_MERGE_REASONS = frozenset({SAME_UID, SAME_ORGANIZATION, *IDENTITY_REASONS})
_SHOWN_PROBLEMS = 5
_PROGRESS_EVERY = 100  # items between two progress calls (and bulk inserts)


class ImportRefused(ValidationError):
    """The file cannot be imported as it is; the message says where and why.

    `line` is the file's line at fault when there is one, `reason` the message on one line
    (the CLI prints "FILE:LINE: reason"); `path` is filled in by `parse_file`."""

    def __init__(self, message: str, line: int | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.reason = reason if reason is not None else " ".join(message.split())
        self.path: str | None = None

    def one_line(self) -> str:
        """ "contacts.vcf:12: reason" (the file and line when known)."""
        place = ":".join(str(p) for p in (self.path, self.line) if p is not None)
        return labelled(place, self.reason) if place else self.reason

    def as_json(self) -> dict[str, Any]:
        return {"file": self.path, "line": self.line, "reason": self.reason}


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

    def entry(self) -> str:
        """ "card 3", "row 12": which entry, for a message that gives its line apart."""
        if self.unit == "row":
            return _("row {number}").format(number=self.number)
        return _("card {number}").format(number=self.number)

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
    "notes": N_("notes"),
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
    return without_controls(text)


def detect_format(text: str) -> str:
    """vcard | google | outlook | csv, from the content; refuses what is none of them."""
    from cmplanner.interop import csv_contacts
    from cmplanner.interop.vcard import is_card_start, unix_lines

    # Line by line, as the cards are read (a regular expression over the text took
    # quadratic time on a file of blank lines: 30 s for 100 kB).
    if any(map(is_card_start, unix_lines(text[:100000]).split("\n"))):
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
            parsed = ParsedFile("vcard", vcard.parse_vcards(text, region))
        else:
            parsed = csv_contacts.parse_csv_text(text, kind, region, mapping)
    for item in parsed.items:  # a value quoted with its line breaks (a CSV cell): one line
        item.warnings = [_one_line(w) for w in item.warnings]
        item.problems = [
            dataclasses.replace(p, message=_one_line(p.message)) for p in item.problems
        ]
    return parsed


def _one_line(message: str) -> str:
    return " ".join(message.split()) if "\n" in message or "\r" in message else message


def parse_file(
    path: Path | str,
    format: str = "auto",
    region: str = "FR",
    mapping: Mapping[int, str] | None = None,
) -> ParsedFile:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            why = _("there is no such file")
        elif isinstance(exc, IsADirectoryError):
            why = _("this is a folder, not a file")
        elif isinstance(exc, PermissionError):
            why = _("you are not allowed to read this file")
        else:
            why = str(exc.strerror or exc)
        refused = ImportRefused(
            _("Cannot read {path}: {error}").format(path=path, error=why),
            reason=_("cannot read the file: {error}").format(error=why),
        )
        refused.path = str(path)
        raise refused from exc
    try:
        return parse_bytes(data, format, region, mapping)
    except ImportRefused as exc:
        exc.path = str(path)
        raise


# --- planning --------------------------------------------------------------------------------


def plan_import(
    db: Database, items: Sequence[ImportItem], merge: str = "auto"
) -> list[PlannedItem]:
    """Likely duplicates of each item in the book, and the suggested decision: a merge only
    into the same card (`_MERGE_REASONS`; never with ``merge="never"``). A card that only
    looks like one of the book, or like an earlier card of the same file, gets a warning
    naming it (both are kept: the person decides, then merges them from Find duplicates)."""
    from cmplanner.services.duplicates import BookMatcher, FileMatcher
    from cmplanner.services.preferences import phone_region

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
    from cmplanner.storage.backup import create_backup

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
    import sys

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
    from sqlmodel import select

    from cmplanner.model import Organization
    from cmplanner.services.contacts import add_to_card

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
