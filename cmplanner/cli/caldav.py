"""`cmplanner events publish [--community C]`: publish to the CalDAV calendar of Preferences.
The arguments are declared in calendars.py; this module is loaded only when the command
runs."""

from __future__ import annotations

import argparse
import sys

from cmplanner.cli.common import database_path
from cmplanner.i18n import _
from cmplanner.interop.caldav import publish_from_settings
from cmplanner.storage import Database


def _progress_line(done: int, total: int, title: str) -> None:
    """A progress line on a terminal (rewritten in place); nothing when stderr is a file."""
    if not sys.stderr.isatty():
        return
    line = f"[{done}/{total}] {title}"[:79] if title else ""
    sys.stderr.write("\r" + line.ljust(79) + ("\r" if not title else ""))
    sys.stderr.flush()


def cmd_publish(args: argparse.Namespace) -> int:
    with Database.open(database_path(args)) as db:
        report = publish_from_settings(db, community=args.community, progress=_progress_line)
    print(_("Published to {url}").format(url=report.calendar_url))
    print("  " + _("Created: {count}").format(count=report.created))
    print("  " + _("Updated: {count}").format(count=report.updated))
    print("  " + _("Unchanged: {count}").format(count=report.unchanged))
    print("  " + _("Deleted: {count}").format(count=report.deleted))
    if report.overwritten:
        print(
            _(
                "Edited on the server by someone else, replaced by CM Planner's version: {titles}"
            ).format(titles=", ".join(report.overwritten))
        )
    if report.restored:
        print(
            _("Deleted on the server by someone else, put back: {titles}").format(
                titles=", ".join(report.restored)
            )
        )
    for note in report.held_back:  # on stderr, like the notes of `events list`
        print(note, file=sys.stderr)
    return 0
