"""`cmplanner events export FILE.ics [--from DATE] [--to DATE] [--community C] [--event ID]`."""

from __future__ import annotations

import argparse
import sys

from cmplanner.i18n import ngettext


def cmd_export(args: argparse.Namespace) -> int:
    """Write the chosen events to an .ics file (METHOD:PUBLISH), atomically. Nothing to
    write: a message, exit code 1, no file written; an unknown community or event is refused
    (exit code 2) as every error is."""
    from cmplanner import clock
    from cmplanner.cli_contacts import _reading
    from cmplanner.interop.ics_export import NothingToExport, day_range, export_file

    start, end = day_range(args.start, args.end, clock.local_zone_name())
    try:
        with _reading(args) as db:
            count = export_file(
                db,
                args.file,
                event_ids=[args.event] if args.event is not None else None,
                start=start,
                end=end,
                community=args.community,
            )
    except NothingToExport as exc:
        print(f"cmplanner: {exc}", file=sys.stderr)
        return 1
    print(
        ngettext(
            "{count} event written to {path}.", "{count} events written to {path}.", count
        ).format(count=count, path=args.file)
    )
    return 0
