"""`cmplanner demo|info|backup|restore`: the database as a whole. The arguments are declared
in main.py; this module is loaded only when one of these commands runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from cmplanner.cli.common import database_path
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _, labelled
from cmplanner.storage import Database, inspect_file
from cmplanner.storage.backup import create_backup, latest_backup, list_backups
from cmplanner.storage.database import head_revision, restore_into


def cmd_demo(args: argparse.Namespace) -> int:
    # Imported here: the demo data loads SQLModel and the services, which the others do not.
    from cmplanner.demo import create_demo_database

    path = database_path(args)
    create_demo_database(path, force=args.force)
    print(_("Demo data written to {path}").format(path=path))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    # Imported here: the services load only for the command that counts records.
    from cmplanner.services.stats import LABELS, record_counts

    path = database_path(args).resolve()
    with Database.open(path, writer=False) as db:
        revision = db.revision()
        counts = record_counts(db)
    last = latest_backup(path)
    print(_("Database: {path}").format(path=path))
    print(_("Schema revision: {revision}").format(revision=revision))
    if revision != head_revision():
        print(
            _("  (upgraded to {head} the next time CM Planner opens it)").format(
                head=head_revision()
            )
        )
    for name, count in counts.items():
        label = _(LABELS[name])
        print("  " + labelled(label, count))
    if last is None:
        print(_("Latest backup: none"))
    else:
        print(
            _("Latest backup: {when} ({path})").format(
                when=last.created.astimezone().strftime("%Y-%m-%d %H:%M"), path=last.path
            )
        )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    path = database_path(args).resolve()
    if args.list:
        backups = list_backups(path)
        if not backups:
            print(_("No backups of {path} yet.").format(path=path))
        for b in backups:
            when = b.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            print(f"{when}  {b.reason:<18} {b.size / 1024:>8.0f} KiB  {b.path}")
        return 0
    info = inspect_file(path)  # refuses garbage and newer files before reading anything
    if info.revision is None:
        raise CMPlannerError(_("There is no database at {path}.").format(path=path))
    target = create_backup(path, reason="manual")
    print(_("Backup written to {path}").format(path=target))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = database_path(args).resolve()
    source = Path(args.file).expanduser()
    if not source.is_file():
        raise CMPlannerError(_("No backup file at {path}.").format(path=source))
    inspect_file(source.resolve())  # a file that is not ours is refused before anything opens
    with Database.open(path) as db:
        safety = restore_into(db, source)
    print(_("Restored {source} into {path}.").format(source=source, path=path))
    print(_("The previous content was backed up to {path}").format(path=safety))
    return 0
