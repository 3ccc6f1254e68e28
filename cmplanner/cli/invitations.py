"""`cmplanner events invite ID (--out DIR | --send)` and
`cmplanner events cancel ID [--occurrence DATE] (--out DIR | --send)`.

One line per guest (sent, written, or why not); the exit code is 1 when any failed. The
arguments are declared in calendars.py; this module is loaded only when one of these commands
runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cmplanner.cli.common import database_path
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _, ngettext
from cmplanner.interop.mail import imip, itip
from cmplanner.interop.mail.imip import Mailing, MailReport
from cmplanner.storage import Database


def _deliver(db: Database, mailing: Mailing, args: argparse.Namespace) -> MailReport:
    if args.send:
        return imip.send(db, mailing)
    return imip.write_eml(db, mailing, Path(args.out))


def _print_report(report: MailReport, sent: bool) -> int:
    for r in report.results:
        who = f"{r.name} <{r.email}>"
        if not r.ok:
            print(_("FAILED  {who}: {reason}").format(who=who, reason=r.error), file=sys.stderr)
        elif sent:
            print(_("sent    {who}").format(who=who))
        else:
            print(_("written {who}: {path}").format(who=who, path=r.path))
    done = len(report.results) - len(report.failed)
    if sent:
        summary = ngettext("{count} message sent", "{count} messages sent", done)
    else:
        summary = ngettext("{count} message written", "{count} messages written", done)
    parts = [summary.format(count=done)]
    if report.failed:
        parts.append(_("{count} failed").format(count=len(report.failed)))
    if report.without_email:
        parts.append(
            ngettext(
                "{count} guest without an e-mail address skipped",
                "{count} guests without an e-mail address skipped",
                report.without_email,
            ).format(count=report.without_email)
        )
    if report.waitlisted:
        parts.append(
            ngettext(
                "{count} guest on the waiting list not invited",
                "{count} guests on the waiting list not invited",
                report.waitlisted,
            ).format(count=report.waitlisted)
        )
    print("; ".join(parts) + ".")
    return 1 if report.failed else 0


def _check_target(args: argparse.Namespace) -> None:
    if args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        raise CMPlannerError(_("{path} is a file, not a folder.").format(path=args.out))


def _check_mail_server(db: Database, args: argparse.Namespace) -> None:
    """With --send, a missing SMTP server is said before anything is tried."""
    if args.send:
        # Imported here: smtplib and ssl load only when the messages are sent.
        from cmplanner.interop.mail.smtp import load_settings

        load_settings(db)


def cmd_invite(args: argparse.Namespace) -> int:
    _check_target(args)
    with Database.open(database_path(args)) as db:
        mailing = imip.invitations(db, args.id)
        _check_mail_server(db, args)
        if not mailing.outgoing:
            print(_("“{title}” has no guest to write to.").format(title=mailing.title))
        report = _deliver(db, mailing, args)
    return _print_report(report, args.send)


def cmd_cancel(args: argparse.Namespace) -> int:
    _check_target(args)
    day = args.occurrence
    with Database.open(database_path(args)) as db:
        itip.organizer(db)  # no identity: nothing is cancelled
        _check_mail_server(db, args)
        if day is not None:
            occurrence, _changes = itip.cancel_occurrence(db, args.id, day)
            print(
                _("The occurrence of {day} is cancelled.").format(day=day.isoformat()),
            )
        else:
            occurrence = None
            itip.cancel_event(db, args.id)
            print(_("Event {id} is cancelled.").format(id=args.id))
        mailing = imip.cancellation(db, args.id, occurrence)
        report = _deliver(db, mailing, args)
    return _print_report(report, args.send)
