"""`cmplanner communities dossier ID -o FILE.pdf` and `communities handover ID -o DIR`
(a DIR ending in .zip writes the pack as one .zip file)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _, ngettext


def cmd_dossier(args: argparse.Namespace) -> int:
    """Write the handover dossier; an unknown community or an unwritable file: a message,
    exit code 1, nothing written."""
    from cmplanner.cli_contacts import _reading
    from cmplanner.documents import dossier
    from cmplanner.documents.base import write_pdf

    try:
        with _reading(args) as db:
            data = dossier.render(db, args.id)
        write_pdf(args.output, data)
    except CMPlannerError as exc:
        print(f"cmplanner: {exc}", file=sys.stderr)
        return 1
    print(_("Handover dossier written to {path}.").format(path=args.output))
    return 0


def cmd_handover(args: argparse.Namespace) -> int:
    """Write the handover pack into a new (or empty) folder, or a .zip file."""
    from cmplanner.cli_contacts import _reading
    from cmplanner.documents import handover

    target = Path(args.output)
    try:
        with _reading(args) as db:
            if target.suffix.lower() == ".zip":
                written = [handover.write_zip(db, args.id, target)]
            else:
                written = handover.write_pack(db, args.id, target)
    except CMPlannerError as exc:
        print(f"cmplanner: {exc}", file=sys.stderr)
        return 1
    n = len(written)
    print(
        ngettext(
            "Handover pack written to {path} ({n} file).",
            "Handover pack written to {path} ({n} files).",
            n,
        ).format(path=target, n=n)
    )
    for path in written:
        print(f"  {path.name}")
    return 0
