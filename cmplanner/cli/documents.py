"""`cmplanner events brief|signin|badges`: the printable documents of an event (PDF).

The arguments are declared here; the commands run in event_documents.py, a module imported
only when one of them runs."""

from __future__ import annotations

import argparse
from typing import Any

from cmplanner.cli.common import day, later, paper_size, pdf_output, record_id
from cmplanner.i18n import _

# Named here so `--help` lists them without importing reportlab; a test checks they match
# cmplanner.documents.badges.LAYOUTS.
BADGE_LAYOUTS = ("8-up", "6-up", "4-up")


def _occurrence(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--occurrence",
        type=day,
        metavar="DATE",
        help=_("for a series: the date (YYYY-MM-DD) to print for (today's or the next one)"),
    )


def register(esub: Any) -> None:
    """Add the document commands to the `events` group."""
    brief = esub.add_parser("brief", help=_("print the event brief (PDF) to take along"))
    brief.add_argument("id", type=record_id, metavar="EVENT_ID")
    pdf_output(brief)
    paper_size(brief)
    brief.set_defaults(handler=later("cmplanner.cli.event_documents", "cmd_brief"))

    signin = esub.add_parser("signin", help=_("print the sign-in sheet (PDF)"))
    signin.add_argument("id", type=record_id, metavar="EVENT_ID")
    pdf_output(signin)
    paper_size(signin)
    _occurrence(signin)
    signin.set_defaults(handler=later("cmplanner.cli.event_documents", "cmd_signin"))

    badges = esub.add_parser("badges", help=_("print name badges for the guests (PDF)"))
    badges.add_argument("id", type=record_id, metavar="EVENT_ID")
    pdf_output(badges)
    badges.add_argument(
        "--layout",
        metavar="NAME",
        help=_("badge layout: {layouts} (default {default})").format(
            layouts=", ".join(BADGE_LAYOUTS), default=BADGE_LAYOUTS[0]
        ),
    )
    _occurrence(badges)
    badges.set_defaults(handler=later("cmplanner.cli.event_documents", "cmd_badges"))
