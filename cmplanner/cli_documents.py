"""`cmplanner events brief|signin|badges` and `cmplanner communities dossier|handover`: the
printable documents (PDF).

The arguments are declared here, in one place; each document's work lives with it
(cmplanner/documents/…), imported only when that command runs."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import Any

from cmplanner.cli_values import day, handover_target, output_file, record_id
from cmplanner.i18n import _

Handler = Callable[[argparse.Namespace], int]

PAGE_CHOICES = ("A4", "Letter")
# Named here so `--help` lists them without importing reportlab; a test checks they match
# cmplanner.documents.badges.LAYOUTS.
BADGE_LAYOUTS = ("8-up", "6-up", "4-up")


def _later(module: str, name: str) -> Handler:
    """The handler `name` of `module`, imported when the command runs (not at start-up)."""

    def run(args: argparse.Namespace) -> int:
        handler: Handler = getattr(importlib.import_module(module), name)
        return handler(args)

    return run


def _pdf_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        type=output_file,
        metavar="FILE.pdf",
        help=_("the PDF file to write"),
    )


def _page(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--page", choices=PAGE_CHOICES, default="A4", help=_("paper size (A4)"))


def _occurrence(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--occurrence",
        type=day,
        metavar="DATE",
        help=_("for a series: the date (YYYY-MM-DD) to print for (today's or the next one)"),
    )


def register_events(esub: Any) -> None:
    """Add the document commands to the `events` group."""
    brief = esub.add_parser("brief", help=_("print the event brief (PDF) to take along"))
    brief.add_argument("id", type=record_id, metavar="EVENT_ID")
    _pdf_output(brief)
    _page(brief)
    brief.set_defaults(handler=_later("cmplanner.documents.commands", "cmd_brief"))

    signin = esub.add_parser("signin", help=_("print the sign-in sheet (PDF)"))
    signin.add_argument("id", type=record_id, metavar="EVENT_ID")
    _pdf_output(signin)
    _page(signin)
    _occurrence(signin)
    signin.set_defaults(handler=_later("cmplanner.documents.signin_commands", "cmd_signin"))

    badges = esub.add_parser("badges", help=_("print name badges for the guests (PDF)"))
    badges.add_argument("id", type=record_id, metavar="EVENT_ID")
    _pdf_output(badges)
    badges.add_argument(
        "--layout",
        metavar="NAME",
        help=_("badge layout: {layouts} (default {default})").format(
            layouts=", ".join(BADGE_LAYOUTS), default=BADGE_LAYOUTS[0]
        ),
    )
    _occurrence(badges)
    badges.set_defaults(handler=_later("cmplanner.documents.signin_commands", "cmd_badges"))


def register_communities(csub: Any) -> None:
    """Add the document commands to the `communities` group."""
    dossier = csub.add_parser("dossier", help=_("print the handover dossier of a community (PDF)"))
    dossier.add_argument("id", type=record_id, metavar="COMMUNITY_ID")
    _pdf_output(dossier)
    _page(dossier)
    dossier.set_defaults(handler=_later("cmplanner.documents.dossier_commands", "cmd_dossier"))

    handover = csub.add_parser(
        "handover", help=_("write the handover pack: the dossier, an .ics and a .vcf")
    )
    handover.add_argument("id", type=record_id, metavar="COMMUNITY_ID")
    handover.add_argument(
        "-o",
        "--output",
        required=True,
        type=handover_target,
        metavar="DIR",
        help=_("the folder to write into"),
    )
    handover.set_defaults(handler=_later("cmplanner.documents.dossier_commands", "cmd_handover"))


def register_communities_group(sub: Any) -> None:
    """The `communities` group of the `cmplanner` command, with its document commands."""
    from cmplanner.cli_contacts import _usage

    communities = sub.add_parser("communities", help=_("communities"))
    communities.set_defaults(handler=lambda args: _usage(communities))
    csub = communities.add_subparsers(title=_("commands"), metavar="COMMAND")
    register_communities(csub)
    from cmplanner.cli_names import add_named_commands

    add_named_commands(csub, "community")
