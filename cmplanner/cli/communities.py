"""`cmplanner communities …`: the handover dossier and pack of a community, and `rename`,
`merge` and `delete` (named_records.py).

The arguments are declared here; `dossier` and `handover` run in community_documents.py,
a module imported only when one of them runs."""

from __future__ import annotations

from typing import Any

from cmplanner.cli.common import handover_target, later, paper_size, pdf_output, record_id, usage
from cmplanner.cli.named_records import add_named_commands
from cmplanner.i18n import _


def register(sub: Any) -> None:
    """The `communities` group of the `cmplanner` command."""
    communities = sub.add_parser("communities", help=_("communities"))
    communities.set_defaults(handler=lambda args: usage(communities))
    csub = communities.add_subparsers(title=_("commands"), metavar="COMMAND")

    dossier = csub.add_parser("dossier", help=_("print the handover dossier of a community (PDF)"))
    dossier.add_argument("id", type=record_id, metavar="COMMUNITY_ID")
    pdf_output(dossier)
    paper_size(dossier)
    dossier.set_defaults(handler=later("cmplanner.cli.community_documents", "cmd_dossier"))

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
    handover.set_defaults(handler=later("cmplanner.cli.community_documents", "cmd_handover"))

    add_named_commands(csub, "community")
