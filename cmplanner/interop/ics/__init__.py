"""Calendars (.ics) in and out. Importing, shaped like contacts import, is three steps the CLI
and the GUI share:

1. ``parsed = parse_bytes(data)`` (or ``parse_file(path)``) in `parse`: pure, no database;
   a malformed file raises `IcsRefused` naming the line; nothing is written.
2. ``plan = plan_import(db, parsed)`` in `plan`: what would change for each event. Read-only.
3. ``report = apply_import(db, plan)`` in `write`: a backup, then one transaction.

`export` writes a METHOD:PUBLISH calendar; `replies` reads guests' METHOD:REPLY answers.
"""
