"""The `organizations`, `tags` and `venues` groups (`list` too), and `rename`, `merge` and
`delete` for organizations, communities, tags and venues. Merges and deletes back the database
up first: the command line has no Undo."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from cmplanner.cli.common import (
    EXIT_USER_ERROR,
    database_path,
    print_error,
    print_json,
    reading,
    record_id,
    usage,
)
from cmplanner.i18n import _
from cmplanner.model.enums import kind_label
from cmplanner.storage import Database
from cmplanner.storage.backup import create_backup

# The command group of each kind.
GROUPS = {
    "organization": "organizations",
    "community": "communities",
    "tag": "tags",
    "venue": "venues",
}


def add_named_commands(subparsers: Any, kind: str) -> None:
    """Add rename, merge and delete to a group's subcommands."""
    rename = subparsers.add_parser("rename", help=_("give it another name"))
    rename.add_argument("id", type=record_id, metavar="ID")
    rename.add_argument("name", metavar="NAME")
    rename.set_defaults(handler=cmd_rename, kind=kind)

    merge = subparsers.add_parser(
        "merge", help=_("move everything that uses the first to the second, then delete the first")
    )
    merge.add_argument("source", type=record_id, metavar="ID")
    merge.add_argument("target", type=record_id, metavar="INTO_ID")
    merge.set_defaults(handler=cmd_merge, kind=kind)

    delete = subparsers.add_parser("delete", help=_("delete it (what uses it stays, without it)"))
    delete.add_argument("id", type=record_id, metavar="ID")
    delete.set_defaults(handler=cmd_delete, kind=kind)


def register(sub: Any) -> None:
    """The `organizations`, `tags` and `venues` groups."""
    orgs = sub.add_parser("organizations", help=_("organizations"))
    orgs.set_defaults(handler=lambda args: usage(orgs))
    osub = orgs.add_subparsers(title=_("commands"), metavar="COMMAND")
    org_list = osub.add_parser("list", help=_("list organizations"))
    org_list.add_argument("--search", default="", metavar="TERM")
    org_list.add_argument("--json", action="store_true", help=_("print JSON"))
    org_list.set_defaults(handler=cmd_organizations)
    add_named_commands(osub, "organization")

    for kind, text in (("tag", _("the contacts' tags")), ("venue", _("the events' venues"))):
        group = sub.add_parser(GROUPS[kind], help=text)
        group.set_defaults(handler=lambda args, group=group: usage(group))
        subparsers = group.add_subparsers(title=_("commands"), metavar="COMMAND")
        listing = subparsers.add_parser("list", help=_("list them, with what uses each"))
        listing.add_argument("--json", action="store_true", help=_("print JSON"))
        listing.set_defaults(handler=cmd_list, kind=kind)
        add_named_commands(subparsers, kind)


# --- the commands: each imports the services it uses when it runs, for start-up time --------


def cmd_list(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.named_records import records

    with reading(args) as db:
        found = records(db, args.kind)
    if args.json:
        print_json([{"id": r.id, "name": r.name, **asdict(r.usage)} for r in found])
        return 0
    for r in found:
        print(f"{r.id:>6}  {r.name[:40]:<40}  {r.usage.text()}")
    return 0


def cmd_rename(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services import named_records

    with Database.open(database_path(args)) as db:
        old = _name(db, args.kind, args.id)
        try:
            named_records.rename(db, args.kind, args.id, args.name)
        except named_records.NameTaken as taken:
            print_error(str(taken))
            print(
                _("To merge them: cmplanner {group} merge {id} {into}").format(
                    group=GROUPS[args.kind], id=args.id, into=taken.existing_id
                ),
                file=sys.stderr,
            )
            return EXIT_USER_ERROR
    print(_("Renamed “{old}” to “{new}”.").format(old=old, new=" ".join(args.name.split())))
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services import named_records

    with Database.open(database_path(args)) as db:
        source, target = _name(db, args.kind, args.source), _name(db, args.kind, args.target)
        create_backup(db.path, reason="before-merge")
        named_records.merge(db, args.kind, args.source, args.target)
    print(_("“{source}” was merged into “{target}”.").format(source=source, target=target))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services import named_records

    with Database.open(database_path(args)) as db:
        name = _name(db, args.kind, args.id)
        create_backup(db.path, reason="before-delete")
        named_records.delete(db, args.kind, args.id)
    print(_("Deleted “{name}”.").format(name=name))
    return 0


def cmd_organizations(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.browse import ORGANIZATIONS

    with reading(args) as db:
        ids = ORGANIZATIONS.ids(db, "name", text=args.search)
        rows = ORGANIZATIONS.rows(db, ids)
    records = [
        {
            "id": i,
            "name": rows[i][0],
            "kind": rows[i][1],
            "city": rows[i][2],
            "website": rows[i][3],
            "people": rows[i][4],
        }
        for i in ids
    ]
    if args.json:
        print_json(records)
        return 0
    for r in records:
        print(f"{r['id']:>6}  {r['name'][:40]:<40}  {kind_label(r['kind']):<14}  {r['city']}")
    return 0


def _name(db: Any, kind: str, record_id: int) -> str:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.named_records import name_of

    return name_of(db, kind, record_id)
