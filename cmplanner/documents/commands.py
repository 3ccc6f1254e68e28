"""`cmplanner events brief ID -o FILE.pdf [--page A4|Letter]`."""

from __future__ import annotations

import argparse

from cmplanner.i18n import _


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the event brief. An unknown event, or a file that cannot be written: a message,
    exit code 2, no file written (the PDF is written atomically)."""
    from cmplanner.cli_contacts import _reading
    from cmplanner.documents.base import write_pdf
    from cmplanner.documents.brief import render

    with _reading(args) as db:
        data = render(db, args.id, page=args.page)
    write_pdf(args.output, data)
    print(_("Event brief written to {path}.").format(path=args.output))
    return 0
