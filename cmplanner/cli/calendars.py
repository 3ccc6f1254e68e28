"""`cmplanner events export|import|invite|cancel|rsvp|publish`: calendars and invitations.

The arguments are declared here, in one place; the commands run in ics.py, invitations.py and
caldav.py, each module imported only when one of its commands runs."""

from __future__ import annotations

import argparse
from typing import Any

from cmplanner.cli.common import day, input_path, later, output_file, output_folder, record_id
from cmplanner.i18n import _


def _mail_target(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--out", type=output_folder, metavar="DIR", help=_("write one .eml file per guest here")
    )
    target.add_argument(
        "--send", action="store_true", help=_("send by e-mail (SMTP settings of Preferences)")
    )


def register(esub: Any) -> None:
    """Add the calendar commands to the `events` group."""
    export = esub.add_parser("export", help=_("write events to an iCalendar (.ics) file"))
    export.add_argument("file", type=output_file, metavar="FILE.ics")
    export.add_argument("--from", dest="start", type=day, metavar="DATE", help=_("first day"))
    export.add_argument("--to", dest="end", type=day, metavar="DATE", help=_("last day"))
    export.add_argument("--community", help=_("only this community's events"))
    export.add_argument("--event", type=record_id, metavar="ID", help=_("only this event"))
    export.set_defaults(handler=later("cmplanner.cli.ics", "cmd_export"))

    imported = esub.add_parser("import", help=_("read events from an iCalendar (.ics) file"))
    imported.add_argument("file", type=input_path, metavar="FILE.ics")
    imported.add_argument(
        "--skip-invalid",
        action="store_true",
        help=_("import the readable events, list the others (line and reason)"),
    )
    imported.set_defaults(handler=later("cmplanner.cli.ics", "cmd_import"))

    invite = esub.add_parser("invite", help=_("send the invitation (or its update) to guests"))
    invite.add_argument("id", type=record_id, metavar="EVENT_ID")
    _mail_target(invite)
    invite.set_defaults(handler=later("cmplanner.cli.invitations", "cmd_invite"))

    cancel = esub.add_parser("cancel", help=_("cancel an event or one date, and tell the guests"))
    cancel.add_argument("id", type=record_id, metavar="EVENT_ID")
    cancel.add_argument(
        "--occurrence", type=day, metavar="DATE", help=_("for a series: only this date")
    )
    _mail_target(cancel)
    cancel.set_defaults(handler=later("cmplanner.cli.invitations", "cmd_cancel"))

    rsvp = esub.add_parser("rsvp", help=_("read guests' replies (.ics or .eml files, folders)"))
    rsvp.add_argument("files", type=input_path, nargs="+", metavar="FILE")
    rsvp.set_defaults(handler=later("cmplanner.cli.ics", "cmd_rsvp"))

    publish = esub.add_parser("publish", help=_("publish events to the CalDAV calendar"))
    publish.add_argument("--community", help=_("only this community's events"))
    publish.set_defaults(handler=later("cmplanner.cli.caldav", "cmd_publish"))
