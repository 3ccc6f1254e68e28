"""`cmplanner events …`: the calendar for people and for scripts (`--json` prints JSON).
Reading commands open the database read-only, so they also work while the app has it open.
Times are printed in each event's own time zone, with their UTC offset. The commands on
calendar files and invitations are declared in calendars.py, the printable ones in
documents.py."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from cmplanner import clock
from cmplanner.cli import calendars, documents
from cmplanner.cli.common import database_path, day, print_json, reading, record_id, usage
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import _, labelled, ngettext
from cmplanner.model.names import contact_name_sql, display_name
from cmplanner.storage import Database

if TYPE_CHECKING:
    from cmplanner.services.event_dates import OccurrenceRead

DEFAULT_DAYS = 30


def register(sub: Any) -> None:
    events = sub.add_parser("events", help=_("events and recurring series"))
    events.set_defaults(handler=lambda args: usage(events))
    esub = events.add_subparsers(title=_("commands"), metavar="COMMAND")

    listing = esub.add_parser("list", help=_("list occurrences (series expanded)"))
    listing.add_argument(
        "--from", dest="start", type=day, metavar="DATE", help=_("first day (today)")
    )
    listing.add_argument(
        "--to", dest="end", type=day, metavar="DATE", help=_("last day (in 30 days)")
    )
    listing.add_argument("--community", help=_("only this community's events"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=cmd_list)

    add = esub.add_parser("add", help=_("create an event or a series"))
    add.add_argument("--title", required=True)
    add.add_argument("--start", required=True, metavar="ISO", help=_("local start time"))
    add.add_argument("--end", required=True, metavar="ISO", help=_("local end time"))
    add.add_argument("--tz", metavar="ZONE", help=_("IANA time zone (the system's)"))
    add.add_argument("--all-day", action="store_true", help=_("an all-day event"))
    add.add_argument("--rrule", default="", metavar="RRULE", help=_("e.g. FREQ=WEEKLY;BYDAY=TH"))
    add.add_argument("--venue", metavar="NAME", help=_("created if it does not exist"))
    add.add_argument("--community", metavar="NAME", help=_("created if it does not exist"))
    add.add_argument("--json", action="store_true", help=_("print JSON"))
    add.set_defaults(handler=cmd_add)

    show = esub.add_parser("show", help=_("show one event with its guests and tasks"))
    show.add_argument("id", type=record_id)
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(handler=cmd_show)

    skip = esub.add_parser("skip", help=_("skip one occurrence of a series"))
    skip.add_argument("id", type=record_id, metavar="EVENT_ID")
    skip.add_argument("--occurrence", required=True, type=day, metavar="DATE")
    skip.set_defaults(handler=cmd_skip)

    guest = esub.add_parser("guest", help=_("the guest list"))
    guest.set_defaults(handler=lambda args: usage(guest))
    gsub = guest.add_subparsers(title=_("commands"), metavar="COMMAND")
    guest_add = gsub.add_parser("add", help=_("invite contacts (beyond capacity: waitlist)"))
    guest_add.add_argument("id", type=record_id, metavar="EVENT_ID")
    guest_add.add_argument("contacts", type=record_id, nargs="+", metavar="CONTACT_ID")
    guest_add.add_argument("--role", default="guest", help=_("guest, speaker, partner, …"))
    guest_add.set_defaults(handler=cmd_guest_add)

    attend = esub.add_parser("attend", help=_("check a guest in (their last seen follows)"))
    attend.add_argument("id", type=record_id, metavar="EVENT_ID")
    attend.add_argument("contact", type=record_id, metavar="CONTACT_ID")
    attend.add_argument(
        "--occurrence", type=day, metavar="DATE", help=_("for a series: which date (today)")
    )
    attend.set_defaults(handler=cmd_attend)

    close = esub.add_parser(
        "close", help=_("mark an event done, record its no-shows, add the follow-up tasks")
    )
    close.add_argument("id", type=record_id, metavar="EVENT_ID")
    close.add_argument("--occurrence", type=day, metavar="DATE", help=_("for a series: which date"))
    close.set_defaults(handler=cmd_close)

    calendars.register(esub)
    documents.register(esub)


# --- the commands: each imports the services it uses when it runs, for start-up time --------


def _local_midnight_utc(day: dt.date, zone: str) -> dt.datetime:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.timezones import local_to_utc

    return local_to_utc(dt.datetime.combine(day, dt.time()), zone)


def occurrence_json(o: OccurrenceRead) -> dict[str, Any]:
    return {
        "id": o.event_id,
        "uid": o.uid,
        "title": o.title,
        "kind": o.kind,
        "status": o.status,
        "start": o.start.isoformat(timespec="seconds"),
        "end": o.end.isoformat(timespec="seconds"),
        "timezone": o.timezone,
        "all_day": o.all_day,
        "venue": o.venue,
        "community": o.community,
        "counts": o.counts,
    }


def cmd_list(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.event_dates import occurrences_between

    zone = clock.local_zone_name()
    first: dt.date = args.start or clock.today(zone)
    last: dt.date = args.end or first + dt.timedelta(days=DEFAULT_DAYS)
    if last < first:
        raise CMPlannerError(_("--to is before --from."))
    with reading(args) as db:
        found = occurrences_between(
            db,
            _local_midnight_utc(first, zone),
            _local_midnight_utc(last + dt.timedelta(days=1), zone),
            community=args.community,
        )
    if args.json:
        print_json([occurrence_json(o) for o in found])
    else:
        for o in found:
            when = f"{o.start:%Y-%m-%d}" if o.all_day else f"{o.start:%Y-%m-%d %H:%M}"
            where = f"  @ {o.venue}" if o.venue else ""
            counts = _("{accepted}/{invited} coming").format(**o.counts)
            print(
                f"{o.event_id:>6}  {when:<16}  {o.title[:40]:<40}  {o.status:<9}  {counts}{where}"
            )
    for note in found.notes:  # on stderr: the JSON on stdout stays a list of occurrences
        print(note, file=sys.stderr)
    return 0


def _parse_local(text: str, zone: str, what: str) -> dt.datetime:
    """An ISO date or date-time; one with a UTC offset is turned into wall time in `zone`."""
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.timezones import check_day, utc_to_local

    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CMPlannerError(
            _("--{option}: “{text}” is not an ISO 8601 date or time.").format(
                option=what, text=text
            )
        ) from None
    check_day(value.date())  # before a shift by its offset could leave the calendar
    if value.tzinfo is not None:
        value = utc_to_local(value, zone)
    return value.replace(microsecond=0)


def cmd_add(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import EventCreate

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.events import create_event, event_details, event_from, event_title

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.timezones import zone as check_zone

    tz = args.tz or clock.local_zone_name()
    check_zone(tz)
    start = _parse_local(args.start, tz, "start")
    end = _parse_local(args.end, tz, "end")
    if args.all_day:
        start = dt.datetime.combine(start.date(), dt.time())
        end = dt.datetime.combine(end.date(), dt.time())
    data = EventCreate(
        title=event_title(args.title),
        start_local=start,
        end_local=end,
        timezone=tz,
        all_day=args.all_day,
        rrule=args.rrule,
    )
    event_from(data)  # refused before the database is even opened
    with Database.open(database_path(args)) as db:
        # The venue and the community are made in the event's own transaction: an event
        # refused (or a full disk) leaves none behind.
        read, _changes = create_event(
            db, data, venue=args.venue or "", community=args.community or ""
        )
        record = event_details(db, read.id)
    if args.json:
        print_json(record)
        return 0
    print(_("Event {id} created: {title}").format(id=read.id, title=read.title))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.events import event_details

    with reading(args) as db:
        record = event_details(db, args.id)
    if args.json:
        print_json(record)
        return 0
    print(record["title"])
    lines: list[tuple[str, str]] = [
        (_("Starts"), record["start"]),
        (_("Ends"), record["end"]),
        (_("Time zone"), record["timezone"]),
        (_("Status"), record["status"]),
    ]
    if record["rrule"]:
        lines.append((_("Repeats"), record["rrule"]))
    if record["venue"]:
        lines.append((_("Venue"), record["venue"]))
    if record["community"]:
        lines.append((_("Community"), record["community"]))
    lines.append((_("Guests"), str(len(record["guests"]))))
    for label, value in lines:
        print("  " + labelled(label, value))
    for guest in record["guests"]:
        when = f" [{guest['occurrence']}]" if guest["occurrence"] else ""
        attendance = f", {guest['attendance']}" if guest["attendance"] else ""
        if guest["delegated_to"]:
            attendance += ", " + _("delegated to {address}").format(address=guest["delegated_to"])
        print(f"    {guest['name']} ({guest['role']}, {guest['rsvp']}{attendance}){when}")
    if record["tasks"]:
        print("  " + _("Tasks") + ":")
    for task in record["tasks"]:
        mark = "x" if task["done"] else " "
        print(f"    [{mark}] {task['due'] or '':<10}  {task['title']}")
    return 0


def cmd_skip(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.events import find_occurrence, skip_occurrence

    day: dt.date = args.occurrence
    with Database.open(database_path(args)) as db:
        original = find_occurrence(db, args.id, day)
        skip_occurrence(db, args.id, original)
    print(_("The occurrence of {day} is skipped.").format(day=day.isoformat()))
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.events import close_event, find_occurrence

    with Database.open(database_path(args)) as db:
        original = find_occurrence(db, args.id, args.occurrence) if args.occurrence else None
        changes = close_event(db, args.id, original)
    print(
        ngettext(
            "Event {id} is closed; {count} no-show recorded.",
            "Event {id} is closed; {count} no-shows recorded.",
            len(changes.invitations),
        ).format(id=args.id, count=len(changes.invitations))
    )
    if changes.tasks:
        count = len(changes.tasks)
        print(
            ngettext(
                "{count} follow-up task added.", "{count} follow-up tasks added.", count
            ).format(count=count)
        )
    return 0


def cmd_guest_add(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.guests import add_guests

    with Database.open(database_path(args)) as db:
        changes = add_guests(db, args.id, args.contacts, role=args.role)
        added = sorted(changes.invitations)
        waiting: list[str] = []
        if added:
            marks = ",".join("?" * len(added))
            with db.read() as con:
                waiting = [
                    display_name(*name)
                    for name in con.execute(
                        f"SELECT {contact_name_sql('c')} FROM invitation i"
                        " JOIN contact c ON c.id = i.contact_id"
                        f" WHERE i.id IN ({marks}) AND i.waitlist_position IS NOT NULL"
                        " ORDER BY i.waitlist_position",
                        added,
                    )
                ]
    count = len(added)
    print(ngettext("{count} guest added.", "{count} guests added.", count).format(count=count))
    if waiting:
        print(_("On the waitlist: {names}").format(names=", ".join(waiting)))
    return 0


def cmd_attend(args: argparse.Namespace) -> int:
    # imported on use, not at the top: keeps it off the start-up path
    from sqlmodel import col, select

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.model import Event, Invitation

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.events import find_occurrence

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.services.guests import check_in

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.storage.sql import get_or_raise

    # imported on use, not at the top: keeps it off the start-up path
    from cmplanner.timezones import local_to_utc

    with Database.open(database_path(args)) as db:
        with db.session() as session:
            event = get_or_raise(session, Event, args.id)
            rrule, zone = event.rrule, event.timezone
            start, end = event.start_local, event.end_local
        occurrence = None
        if rrule:
            day = args.occurrence or clock.today(zone)
            occurrence = find_occurrence(db, args.id, day)
            start, end = occurrence, occurrence + (end - start)
        elif args.occurrence:
            raise CMPlannerError(
                _("Event {id} is not a series: leave out --occurrence.").format(id=args.id)
            )
        with db.session() as session:
            rows = session.exec(
                select(Invitation).where(
                    Invitation.event_id == args.id,
                    Invitation.contact_id == args.contact,
                    col(Invitation.occurrence).is_(None) | (Invitation.occurrence == occurrence),
                )
            ).all()
            found = sorted(rows, key=lambda r: r.occurrence is None)
            invitation_id = found[0].id if found else None
        if invitation_id is None:
            raise CMPlannerError(
                _("Contact {contact} is not on the guest list of event {id}.").format(
                    contact=args.contact, id=args.id
                )
            )
        # Recorded after the event: the guest was there when it started.
        now = clock.utc_now()
        when = now if now <= local_to_utc(end, zone) else local_to_utc(start, zone)
        check_in(db, invitation_id, when, occurrence=occurrence)
    print(_("Contact {contact} is checked in.").format(contact=args.contact))
    return 0
