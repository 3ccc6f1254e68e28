"""`cmplanner contacts …`: the contact book for people and for scripts (`--json` prints JSON).
Reading commands open the database read-only, so they also work while the app has it open.
`import` and `export` are in contact_files.py."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cmplanner.cli import contact_files
from cmplanner.cli.common import (
    database_path,
    days,
    output_file,
    print_json,
    reading,
    record_id,
    usage,
)
from cmplanner.errors import CMPlannerError, NotFound
from cmplanner.i18n import _, labelled
from cmplanner.model.names import display_name
from cmplanner.storage import Database
from cmplanner.storage.backup import create_backup


def register(sub: Any) -> None:
    contacts = sub.add_parser("contacts", help=_("the contact book"))
    contacts.set_defaults(handler=lambda args: usage(contacts))
    csub = contacts.add_subparsers(title=_("commands"), metavar="COMMAND")

    listing = csub.add_parser("list", help=_("list contacts"))
    listing.add_argument("--search", default="", metavar="TERM", help=_("names, e-mails, phones…"))
    listing.add_argument("--tag", help=_("only contacts with this tag"))
    listing.add_argument("--community", help=_("only members of this community"))
    listing.add_argument("--role", help=_("only this role (with --community: in it)"))
    listing.add_argument("--city", help=_("only contacts living in this city"))
    listing.add_argument("--not-seen", type=days, metavar="DAYS", help=_("not seen for DAYS days"))
    listing.add_argument(
        "--birthday-month",
        metavar="N|this",
        help=_("only birthdays in this month (1-12, or “this” for the current month)"),
    )
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=cmd_list)

    show = csub.add_parser("show", help=_("show one contact"))
    show.add_argument("id", type=record_id)
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(handler=cmd_show)

    merge = csub.add_parser("merge", help=_("merge the second contact into the first"))
    merge.add_argument("keep", type=record_id, metavar="ID1")
    merge.add_argument("other", type=record_id, metavar="ID2")
    merge.set_defaults(handler=cmd_merge)

    dupes = csub.add_parser("duplicates", help=_("list likely duplicates"))
    dupes.add_argument("--json", action="store_true", help=_("print JSON"))
    dupes.set_defaults(handler=cmd_duplicates)

    erase = csub.add_parser("erase", help=_("erase a person and their data everywhere"))
    erase.add_argument("id", type=record_id)
    erase.add_argument("--yes", action="store_true", help=_("confirm: this cannot be undone"))
    erase.add_argument(
        "--purge-backups", action="store_true", help=_("also delete the backups that hold them")
    )
    erase.set_defaults(handler=cmd_erase)

    person = csub.add_parser("export-person", help=_("export everything held about a person"))
    person.add_argument("id", type=record_id)
    person.add_argument("file", type=output_file, help=_("the .zip to write (JSON + vCard)"))
    person.set_defaults(handler=cmd_export_person)

    contact_files.register(csub)


# --- the commands: each imports the services it uses when it runs, for start-up time --------


def cmd_list(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.browse import CONTACTS

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.contact_records import contact_records

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.partial_dates import format_partial_date, month_number

    month = getattr(args, "birthday_month", None)
    if month is not None:
        try:
            month = month_number(month)
        except ValueError as exc:
            raise CMPlannerError(
                _("--birthday-month takes a month from 1 to 12, or “this”.")
            ) from exc
    filters = {
        "tag": args.tag,
        "community": args.community,
        "role": args.role,
        "city": args.city,
        "not_seen_days": args.not_seen,
        "birthday_month": month,
    }
    with reading(args) as db:
        ids = CONTACTS.query_ids(db, "family_name", text=args.search, filters=filters)
        records = contact_records(db, ids)
    if args.json:
        print_json(records)
        return 0
    for r in records:
        org = r["organizations"][0]["name"] if r["organizations"] else ""
        email = r["emails"][0] if r["emails"] else ""
        phone = r["phones"][0] if r["phones"] else ""
        line = f"{r['id']:>6}  {r['display_name'][:32]:<32}  {email[:34]:<34}  {phone:<18}  {org}"
        if month is not None:
            line += f"  {format_partial_date(r['birthday'])}"
        print(line)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps them off the start-up path
    from cmplanner.model.enums import MemberRole, Rsvp
    from cmplanner.services.contact_records import contact_records
    from cmplanner.services.contacts import get_details
    from cmplanner.services.partial_dates import format_partial_date
    from cmplanner.services.vocabulary import tags_text
    from cmplanner.storage.sql import missing

    with reading(args) as db:
        records = contact_records(db, [args.id])
        if not records:
            raise NotFound(missing("contact", args.id))
        details = get_details(db, args.id)
    record = records[0]
    if args.json:
        print_json(
            {
                **record,
                "nickname": details.data.nickname,
                "formatted_name": details.data.formatted_name,
                "addresses": [a.__dict__ for a in details.data.addresses],
                "notes": details.data.notes,
                "cadence_days": details.data.cadence_days,
                "consent": {
                    "date": details.data.consent_date,
                    "source": details.data.consent_source,
                    "scope": details.data.consent_scope,
                },
                "interactions": [i.__dict__ for i in details.interactions],
                "upcoming": [a.__dict__ for a in details.upcoming],
                "past": [a.__dict__ for a in details.past],
            }
        )
        return 0
    data = details.data
    lines: list[tuple[str, str]] = []  # (label, value); labels are plain _() calls (extracted)
    # The whole name with its prefix and suffix, its parts in their language's order.
    whole = display_name(data.given_name, data.family_name, "", data.language)
    whole = whole if data.given_name.strip() or data.family_name.strip() else ""
    full = " ".join(p for p in (data.name_prefix, whole, data.name_suffix) if p)
    if full and full != record["display_name"]:
        lines.append((_("Name"), full))
    if data.nickname:
        lines.append((_("Nickname"), data.nickname))
    if data.birthday:
        lines.append((_("Birthday"), format_partial_date(data.birthday)))
    if data.anniversary:
        lines.append((_("Anniversary"), format_partial_date(data.anniversary)))
    for email in data.emails:
        lines.append((_("E-mail"), email.value + (f" ({email.label})" if email.label else "")))
    for phone in data.phones:
        lines.append((_("Phone"), phone.value + (f" ({phone.label})" if phone.label else "")))
    for a in data.addresses:
        parts = (a.street, a.postal_code, a.city, a.region, a.country)
        lines.append((_("Address"), ", ".join(p for p in parts if p)))
    for org in record["organizations"]:
        unit = f" ({org['department']})" if org["department"] else ""
        role = f" — {org['role']}" if org["role"] else ""
        lines.append((_("Organization"), org["name"] + unit + role))
    if record["tags"]:
        lines.append((_("Tags"), tags_text(record["tags"])))
    for group in record["communities"]:
        lines.append((_("Community"), f"{group['name']} ({MemberRole(group['role']).label})"))
    lines.append((_("Last seen"), record["last_seen"] or _("never")))
    lines.append((_("Interactions"), str(len(details.interactions))))
    for item in details.upcoming:
        when = f"{item.start_local:%Y-%m-%d %H:%M}"
        lines.append((_("Upcoming"), f"{when} {item.title} ({Rsvp(item.rsvp).label})"))
    if data.notes.strip():
        # One line a paragraph of the notes, indented under their label.
        first, *rest = data.notes.strip().splitlines()
        lines.append((_("Notes"), "\n    ".join([first, *rest])))
    print(record["display_name"])
    for label, value in lines:
        print("  " + labelled(label, value))
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.contacts import merge_contacts

    with Database.open(database_path(args)) as db:
        create_backup(db.path, reason="before-merge")
        merge_contacts(db, args.keep, args.other)
    print(_("Contact {other} was merged into {keep}.").format(other=args.other, keep=args.keep))
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.contact_records import contact_records

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.duplicates import find_duplicates

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.preferences import phone_region

    with reading(args) as db:
        pairs = find_duplicates(db, phone_region(db))
        names = {
            r["id"]: r["display_name"]
            for r in contact_records(db, sorted({i for p in pairs for i in (p.first, p.second)}))
        }
    if args.json:
        print_json([{"first": p.first, "second": p.second, "reason": p.reason} for p in pairs])
        return 0
    if not pairs:
        print(_("No likely duplicates."))
    for p in pairs:
        reason = _(p.reason)
        print(f"{p.first:>6} {names[p.first]:<30} {p.second:>6} {names[p.second]:<30} {reason}")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.privacy import erase_contact

    if not args.yes:
        raise CMPlannerError(_("Erasing a person cannot be undone: add --yes to confirm."))
    with Database.open(database_path(args)) as db:
        report = erase_contact(db, args.id, purge_backups=args.purge_backups)
    print(_("{name} was erased.").format(name=report.name or args.id))
    kept = [p for p in report.backups_holding if p not in report.purged]
    for path in report.purged:
        print(_("Deleted backup {path}").format(path=path))
    if kept:
        print(_("These backups still hold them (delete them with --purge-backups):"))
        for path in kept:
            print(f"  {path}")
    return 0


def cmd_export_person(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.interop.contacts.person import export_person

    with reading(args) as db:
        path = export_person(db, args.id, Path(args.file))
    print(_("Written to {path}").format(path=path))
    return 0
