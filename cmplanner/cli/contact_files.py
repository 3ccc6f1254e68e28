"""`cmplanner contacts import FILE` and `cmplanner contacts export FILE`: vCard and CSV files."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cmplanner.cli.common import (
    EXIT_USER_ERROR,
    database_path,
    input_path,
    output_file,
    print_error,
    record_id,
)
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _, labelled, ngettext
from cmplanner.storage import Database, FileState, inspect_file

# The same as interop.contacts.parse.FORMATS and plan.MERGE_MODES (a test checks): building the
# parser, which every command and `--help` do, must not import the importers.
FORMATS = ("auto", "vcard", "google", "outlook", "csv")
# The same as interop.contacts.export.DIALECTS (a test checks), for the same reason.
CSV_DIALECTS = ("spreadsheet", "google", "outlook")
MERGE_MODES = ("auto", "never")


def register(contacts_sub: Any) -> None:
    """Add `import` and `export` to the `contacts` group's sub-parsers."""
    imp = contacts_sub.add_parser("import", help=_("import contacts from a vCard or CSV file"))
    imp.add_argument("file", type=input_path, help=_("the .vcf or .csv file"))
    imp.add_argument("--format", choices=FORMATS, default="auto", help=_("the file's format"))
    imp.add_argument(
        "--dry-run", action="store_true", help=_("show what would be imported, write nothing")
    )
    imp.add_argument(
        "--skip-invalid", action="store_true", help=_("import the readable entries, skip the rest")
    )
    imp.add_argument(
        "--merge",
        choices=MERGE_MODES,
        default="auto",
        help=_(
            "auto: merge a card into the same card of the book (same UID, or same e-mail and a"
            " compatible name); never: create everyone, only suggest duplicates"
        ),
    )
    imp.add_argument("--json", action="store_true", help=_("print JSON"))
    imp.set_defaults(handler=cmd_import)

    exp = contacts_sub.add_parser("export", help=_("export contacts to a vCard or CSV file"))
    exp.add_argument("file", type=output_file, help=_("the file to write"))
    exp.add_argument("--format", choices=("vcard", "csv"), help=_("default: from the extension"))
    exp.add_argument("--vcard-version", choices=("4.0", "3.0"), default="4.0")
    exp.add_argument(
        "--dialect",
        choices=CSV_DIALECTS,
        help=_(
            "CSV for a spreadsheet (formulas guarded, BOM), for Google Contacts or for Outlook"
            " (default: spreadsheet; implies --format csv)"
        ),
    )
    exp.add_argument(
        "--bom",
        action=argparse.BooleanOptionalAction,
        help=_(
            "start the CSV with a BOM, or not (default: with one for spreadsheet and Outlook,"
            " without for Google)"
        ),
    )
    exp.add_argument("--search", default="", metavar="TERM", help=_("only contacts matching"))
    exp.add_argument("--tag", help=_("only contacts with this tag"))
    exp.add_argument("--community", help=_("only members of this community"))
    exp.add_argument("--ids", help=_("only these contacts (1,2,3)"))
    exp.add_argument(
        "--organizations",
        action="store_true",
        help=_(
            "vCard: add organization cards (every organization when all contacts are"
            " exported, else the contacts' own)"
        ),
    )
    exp.add_argument("--json", action="store_true", help=_("print JSON"))
    exp.set_defaults(handler=cmd_export)


# --- the commands: each imports the importer or exporter when it runs, for start-up time ----


def cmd_import(args: argparse.Namespace) -> int:
    """A refused file is one line on stderr ("FILE:LINE: reason"), or with --json an
    ``{"error": …}`` object on stdout; exit code 2 either way."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.interop.contacts.items import ImportRefused

    try:
        return _import(args)
    except CMPlannerError as exc:
        if not isinstance(exc, ImportRefused):  # the database, not the file: said as it is
            if not getattr(args, "json", False):
                raise
            exc = ImportRefused(str(exc))
        if exc.path is None:
            exc.path = str(args.file)
        if getattr(args, "json", False):
            print(json.dumps({"error": exc.as_json()}, ensure_ascii=False))
        else:
            print_error(exc.one_line())
        return EXIT_USER_ERROR


def _import(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.interop.contacts.items import ImportRefused

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.interop.contacts.parse import parse_file

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.interop.contacts.plan import plan_import

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.interop.contacts.write import apply_import, preview

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.preferences import phone_region

    path = database_path(args)
    merge = getattr(args, "merge", "auto")
    skip_invalid = getattr(args, "skip_invalid", False)
    if args.dry_run:
        # A dry run writes nothing, not even a new database: plan against a read-only one,
        # or against an empty scratch one when the database does not exist yet.
        with _planning_database(path) as db:
            parsed = parse_file(args.file, args.format, phone_region(db))
            plans = plan_import(db, parsed.items, merge)
        try:
            outcome = preview(parsed.items, [p.decision for p in plans], skip_invalid)
        except ImportRefused:
            if not getattr(args, "json", False):  # what was read, then why it is refused
                _print_plan(args, parsed.format, plans, parsed.ignored_columns, None)
            raise
        return _print_plan(args, parsed.format, plans, parsed.ignored_columns, outcome)
    with Database.open(path) as db:
        parsed = parse_file(args.file, args.format, phone_region(db))
        plans = plan_import(db, parsed.items, merge)
        decisions = [p.decision for p in plans]
        report = apply_import(db, parsed.items, decisions, skip_invalid=skip_invalid)
    if getattr(args, "json", False):
        print(json.dumps({"format": parsed.format, **report.as_json()}, ensure_ascii=False))
        return 0
    if parsed.ignored_columns:
        print(_("Columns ignored: {columns}").format(columns=", ".join(parsed.ignored_columns)))
    for plan in plans:
        if isinstance(plan.decision, tuple):
            print("  " + labelled(plan.item.where(), _merge_text(plan)))
    print(report.summary())
    for where, warning in report.warnings:
        print("  " + labelled(where, warning))
    if report.backup:
        print(_("Backup before the import: {path}").format(path=report.backup))
    return 0


def _merge_text(plan: Any, done: bool = True) -> str:
    """ "Anne Martin merged into #12 Anne Martin (same e-mail)", or (a dry run, `done`
    false) "merge Anne Martin into #12 Anne Martin (same e-mail)"."""
    target = next(m for m in plan.matches if m.record_id == plan.decision[1])
    text = (
        _("{name} merged into #{id} {existing} ({why})")
        if done
        else _("merge {name} into #{id} {existing} ({why})")
    )
    return text.format(
        name=plan.item.name, id=target.record_id, existing=target.name, why=_(target.reason)
    )


@contextlib.contextmanager
def _planning_database(path: Path) -> Iterator[Any]:
    # imported on use, not at the top: every command builds this parser, only this one plans
    import tempfile

    if inspect_file(path.resolve()).state is FileState.MISSING:
        with (
            tempfile.TemporaryDirectory() as scratch,
            Database.open(Path(scratch) / "plan.cmplanner", backup=False) as db,
        ):
            yield db
        return
    with Database.open(path, writer=False) as db:
        yield db


def _print_plan(
    args: argparse.Namespace, fmt: str, plans: list[Any], ignored: Any, outcome: Any
) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.interop.contacts.plan import PlannedItem

    rows: list[dict[str, Any]] = []
    counts = {"create": 0, "merge": 0, "skip": 0, "invalid": 0}
    for plan in plans:
        assert isinstance(plan, PlannedItem)
        item = plan.item
        action = plan.decision if isinstance(plan.decision, str) else "merge"
        if not item.valid:
            action = "invalid"
        counts[action] += 1
        target = plan.decision[1] if isinstance(plan.decision, tuple) else None
        into = next((m for m in plan.matches if m.record_id == target), None)
        rows.append(
            {
                "where": item.where(),
                "name": item.name,
                "organization": item.is_organization,
                "action": action,
                "merge_into": target,
                "merge_into_name": into.name if into else None,
                "merge_reason": _(into.reason) if into else None,
                "matches": [
                    {"id": m.record_id, "reason": _(m.reason), "name": m.name} for m in plan.matches
                ],
                "problems": item.problem_text(),
                "warnings": item.warnings,
            }
        )
    if getattr(args, "json", False):
        out = {"format": fmt, "dry_run": True, "ignored_columns": list(ignored), **counts}
        out["counts"] = outcome.counts()
        out["summary"] = outcome.summary()
        print(json.dumps({**out, "items": rows}, ensure_ascii=False))
        return 0
    words = {
        "create": _("create"),
        "merge": _("merge"),
        "skip": _("skip"),
        "invalid": _("invalid"),
    }
    for row, plan in zip(rows, plans, strict=True):
        if row["merge_into"] is not None:
            line = labelled(row["where"], _merge_text(plan, done=False))
        else:
            line = labelled(row["where"], f"{words[row['action']]} {row['name']}")
        if row["problems"]:
            line += f" ({row['problems']})"
        print(line)
        for warning in row["warnings"]:
            print(f"    {warning}")
    if ignored:
        print(_("Columns ignored: {columns}").format(columns=", ".join(ignored)))
    if outcome is not None:
        print(
            _("Dry run ({format}): {summary} Nothing was written.").format(
                format=fmt, summary=outcome.summary()
            )
        )
    return 0


def _ids(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return [record_id(part) for part in text.replace(" ", "").split(",") if part]
    except argparse.ArgumentTypeError as exc:
        raise CMPlannerError(_("--ids takes numbers separated by commas, like 1,2,3.")) from exc


def cmd_export(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.interop.contacts.export import (
        contact_ids,
        export_csv,
        export_vcard,
        organization_ids,
    )

    path = Path(args.file).expanduser()
    dialect = getattr(args, "dialect", None)
    fmt = args.format or ("csv" if dialect or path.suffix.lower() == ".csv" else "vcard")
    if fmt != "csv" and dialect:
        raise CMPlannerError(_("--dialect is for a CSV export, not a vCard one."))
    if fmt == "csv" and args.organizations:
        raise CMPlannerError(_("Organizations can be exported to a vCard file only, not to CSV."))
    organizations: list[int] = []
    with Database.open(database_path(args)) as db:
        ids = contact_ids(
            db,
            search=args.search or "",
            tag=args.tag,
            community=args.community,
            ids=_ids(args.ids),
        )
        everyone = not (args.search or args.tag or args.community or args.ids)
        if args.organizations:
            organizations = organization_ids(db, None if everyone else ids)
        if fmt == "csv":
            count = export_csv(db, ids, path, bom=args.bom, dialect=dialect or "spreadsheet")
        else:
            count = export_vcard(db, ids, path, args.vcard_version, organizations)
    if getattr(args, "json", False):
        print(
            json.dumps(
                {
                    "file": str(path),
                    "format": fmt,
                    "dialect": (dialect or "spreadsheet") if fmt == "csv" else None,
                    "count": count,
                    "organizations": len(organizations),
                }
            )
        )
    else:
        said = ngettext(
            "Exported {n} contact to {path}", "Exported {n} contacts to {path}", count
        ).format(n=count, path=path)
        if organizations:
            said += " " + ngettext(
                "(and {n} organization)", "(and {n} organizations)", len(organizations)
            ).format(n=len(organizations))
        print(said)
    return 0
