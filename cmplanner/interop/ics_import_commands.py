"""`cmplanner events import FILE.ics` and `cmplanner events rsvp FILE…`."""

from __future__ import annotations

import argparse

from cmplanner.i18n import _, labelled


def cmd_import(args: argparse.Namespace) -> int:
    """Import a calendar: a backup first, then one transaction; a malformed file is refused
    with its line number and nothing is written (exit 2).

    With --skip-invalid, the events that can be read are imported and the others listed on
    stderr (line and reason): exit 0 when the file had any event to import, even with some
    skipped (as `contacts import --skip-invalid`); exit 2 when every event was skipped."""
    import sys

    from cmplanner.cli import _database_path
    from cmplanner.interop.ics_import import (
        IcsRefused,
        apply_import,
        parse_file,
        parse_options,
        plan_import,
    )
    from cmplanner.storage import Database

    skip = bool(getattr(args, "skip_invalid", False))
    with Database.open(_database_path(args)) as db:
        try:
            parsed = parse_file(args.file, skip_invalid=skip, **parse_options(db))
        except IcsRefused as exc:
            if exc.line is None or skip:
                raise
            print(f"cmplanner: {exc}", file=sys.stderr)
            print(
                _("“events import --skip-invalid” imports the events that can be read."),
                file=sys.stderr,
            )
            return 2
        if skip and parsed.skipped and not parsed.events and not parsed.occurrence_messages:
            for item in parsed.skipped:
                print(f"  {item.text()}", file=sys.stderr)
            print(
                "cmplanner: " + _("Nothing was imported: no event of the file can be read."),
                file=sys.stderr,
            )
            return 2
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
    import sys
    from pathlib import Path

    from cmplanner.cli import _database_path
    from cmplanner.errors import ValidationError
    from cmplanner.interop.ics_replies import apply_replies
    from cmplanner.model.enums import Rsvp
    from cmplanner.storage import Database

    for name in args.files:
        if not Path(name).expanduser().exists():
            raise ValidationError(
                _("{path}: no such file or folder; no reply was read.").format(path=name)
            )
    with Database.open(_database_path(args)) as db:
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
