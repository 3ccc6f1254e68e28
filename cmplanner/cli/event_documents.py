"""`cmplanner events brief ID -o FILE.pdf [--page A4|Letter]`, `cmplanner events signin ID
-o FILE.pdf` and `cmplanner events badges ID -o FILE.pdf [--layout NAME]`. The arguments are
declared in documents.py; this module is loaded only when one of these commands runs, and each
imports its own document."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cmplanner.cli.common import reading
from cmplanner.documents.base import write_pdf
from cmplanner.i18n import _
from cmplanner.services.events import find_occurrence

if TYPE_CHECKING:
    import datetime as dt

    from cmplanner.storage import Database


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the event brief. An unknown event, or a file that cannot be written: a message,
    exit code 2, no file written (the PDF is written atomically)."""
    # imported on use, not at the top: each command loads its own document only
    from cmplanner.documents.brief import render

    with reading(args) as db:
        data = render(db, args.id, page=args.page)
    write_pdf(args.output, data)
    print(_("Event brief written to {path}.").format(path=args.output))
    return 0


def _occurrence(db: Database, args: argparse.Namespace) -> dt.datetime | None:
    """`--occurrence DATE` of a series as its original local start (None: the default date)."""
    day = getattr(args, "occurrence", None)
    return find_occurrence(db, args.id, day) if day else None


def cmd_signin(args: argparse.Namespace) -> int:
    """Write the sign-in sheet. An unknown event, or a file that cannot be written: a
    message, exit code 2, no file written."""
    # imported on use, not at the top: each command loads its own document only
    from cmplanner.documents import signin

    with reading(args) as db:
        data = signin.render(
            db, args.id, _occurrence(db, args), page=getattr(args, "page", None) or "A4"
        )
    write_pdf(args.output, data)
    print(_("Sign-in sheet written to {path}.").format(path=args.output))
    return 0


def cmd_badges(args: argparse.Namespace) -> int:
    """Write the badges; an unknown layout is refused with the list of layouts."""
    # imported on use, not at the top: each command loads its own document only
    from cmplanner.documents import badges

    badges.layout_named(args.layout)  # before opening anything
    with reading(args) as db:
        data = badges.render(db, args.id, args.layout, occurrence=_occurrence(db, args))
    write_pdf(args.output, data)
    print(_("Badges written to {path}.").format(path=args.output))
    return 0
