"""`cmplanner communities dossier ID -o FILE.pdf` and `communities handover ID -o DIR`
(a DIR ending in .zip writes the pack as one .zip file). The arguments are declared in
communities.py; this module is loaded only when one of these commands runs, and each imports
its own document."""

from __future__ import annotations

import argparse
from pathlib import Path

from cmplanner.cli.common import reading
from cmplanner.documents.base import write_pdf
from cmplanner.i18n import _, ngettext


def cmd_dossier(args: argparse.Namespace) -> int:
    """Write the handover dossier; an unknown community or an unwritable file: a message,
    exit code 2, nothing written."""
    # imported on use, not at the top: each command loads its own document only
    from cmplanner.documents import dossier

    with reading(args) as db:
        data = dossier.render(db, args.id, page=getattr(args, "page", None) or "A4")
    write_pdf(args.output, data)
    print(_("Handover dossier written to {path}.").format(path=args.output))
    return 0


def cmd_handover(args: argparse.Namespace) -> int:
    """Write the handover pack into a new (or empty) folder, or a .zip file."""
    # imported on use, not at the top: each command loads its own document only
    from cmplanner.documents import handover

    target = Path(args.output)
    with reading(args) as db:
        if target.suffix.lower() == ".zip":
            written = [handover.write_zip(db, args.id, target)]
        else:
            written = handover.write_pack(db, args.id, target)
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
