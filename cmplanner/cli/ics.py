"""`cmplanner events export FILE.ics [--from DATE] [--to DATE] [--community C] [--event ID]`,
`cmplanner events import FILE.ics` and `cmplanner events rsvp FILE…`. The arguments are
declared in calendars.py; this module is loaded only when one of these commands runs, and each
imports its own part of cmplanner.interop."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cmplanner import clock
from cmplanner.cli.common import EXIT_USER_ERROR, database_path, print_error, reading
from cmplanner.errors import ValidationError
from cmplanner.i18n import _, labelled, ngettext
from cmplanner.interop.ics.export import NothingToExport, day_range, export_file
from cmplanner.interop.ics.parse import IcsRefused, parse_file
from cmplanner.interop.ics.plan import parse_options, plan_import
from cmplanner.interop.ics.replies import apply_replies
from cmplanner.interop.ics.write import apply_import
from cmplanner.model.enums import Rsvp
from cmplanner.storage import Database


def cmd_export(args: argparse.Namespace) -> int:
    """Write the chosen events to an .ics file (METHOD:PUBLISH), atomically. Nothing to
    write: a message, exit code 1, no file written; an unknown community or event is refused
    (exit code 2) as every error is."""
    start, end = day_range(args.start, args.end, clock.local_zone_name())
    try:
        with reading(args) as db:
            count = export_file(
                db,
                args.file,
                event_ids=[args.event] if args.event is not None else None,
                start=start,
                end=end,
                community=args.community,
            )
    except NothingToExport as exc:
        print_error(str(exc))
        return 1
    print(
        ngettext(
            "{count} event written to {path}.", "{count} events written to {path}.", count
        ).format(count=count, path=args.file)
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a calendar: a backup first, then one transaction; a malformed file is refused
    with its line number and nothing is written (exit 2).

    With --skip-invalid, the events that can be read are imported and the others listed on
    stderr (line and reason): exit 0 when the file had any event to import, even with some
    skipped (as `contacts import --skip-invalid`); exit 2 when every event was skipped."""
    skip = bool(getattr(args, "skip_invalid", False))
    with Database.open(database_path(args)) as db:
        try:
            parsed = parse_file(args.file, skip_invalid=skip, **parse_options(db))
        except IcsRefused as exc:
            if exc.line is None or skip:
                raise
            print_error(str(exc))
            print(
                _("“events import --skip-invalid” imports the events that can be read."),
                file=sys.stderr,
            )
            return EXIT_USER_ERROR
        if skip and parsed.skipped and not parsed.events and not parsed.occurrence_messages:
            for item in parsed.skipped:
                print(f"  {item.text()}", file=sys.stderr)
            print_error(_("Nothing was imported: no event of the file can be read."))
            return EXIT_USER_ERROR
        report = apply_import(db, plan_import(db, parsed))
    print(report.summary())
    for where, warning in report.warnings:
        print("  " + labelled(where, warning))
    if report.skipped:
        print(_("Not imported (not readable):"), file=sys.stderr)
        for item in report.skipped:
            print(f"  {item.text()}", file=sys.stderr)
    if report.contacts_created:
        print(_("New contacts: {names}").format(names=", ".join(report.contacts_created)))
    if report.backup:
        print(_("Backup before the import: {path}").format(path=report.backup))
    return 0


def cmd_rsvp(args: argparse.Namespace) -> int:
    """Read guests' replies, each guest's newest first (DTSTAMP, SEQUENCE); exit 1 when one
    of them could not be used (the others are; what went wrong is on stderr). A reply older
    than the answer recorded is listed, not applied: that is no failure. A file or folder
    named that does not exist is refused before anything is read (exit 2)."""
    for name in args.files:
        if not Path(name).expanduser().exists():
            raise ValidationError(
                _("{path}: no such file or folder; no reply was read.").format(path=name)
            )
    with Database.open(database_path(args)) as db:
        report = apply_replies(db, args.files)
    for a in report.applied:
        when = f" ({a.occurrence:%Y-%m-%d %H:%M})" if a.occurrence else ""
        print(
            _("{title}{when}: {name} — {before} → {after}").format(
                title=a.title,
                when=when,
                name=a.name,
                before=Rsvp(a.before).label,
                after=Rsvp(a.rsvp).label,
            )
        )
    for a in report.delegated:
        print(a.delegation_text())
    for a in report.older:
        print(_("{file}: {problem}").format(file=a.source, problem=a.older_text()))
    for source, why in report.problems:
        print(_("{file}: {problem}").format(file=source, problem=why), file=sys.stderr)
    print(report.summary())
    return 1 if report.problems else 0
