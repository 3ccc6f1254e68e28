"""The event brief (fiche événement): everything the CM takes along, on A4 or Letter.

Title, kind, status, community; when and where; objective; programme; the core team on site
with their phones; partners and what was promised to them; the budget; the guest list with a
tick column (e-mails and phones only when the "documents.guest_contacts" setting is on); the
checklist; open commitments. For a series: the brief of its next date, said on the page."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from cmplanner import clock
from cmplanner.documents.base import (
    DocTemplate,
    build_pdf,
    date_text,
    paragraph,
    section,
    styles,
    table,
    time_range_text,
)
from cmplanner.formats import money_text
from cmplanner.i18n import _, ngettext
from cmplanner.storage import Database

BOX = "\N{BALLOT BOX}"
TICKED = "\N{BALLOT BOX WITH CHECK}"


@dataclass(frozen=True)
class Place:
    name: str
    address: str
    access_notes: str
    capacity: int | None


def _label(value: str) -> str:
    """A stored vocabulary value (role, RSVP, status, kind) in the interface's language."""
    from cmplanner.model.enums import kind_label

    return kind_label(value) if value else ""


def _place(db: Database, event_id: int) -> Place | None:
    from cmplanner.model import Event, Venue

    with db.session() as session:
        event = session.get(Event, event_id)
        venue = session.get(Venue, event.venue_id) if event and event.venue_id else None
        if venue is None:
            return None
        city = " ".join(part for part in (venue.postal_code, venue.city) if part)
        address = ", ".join(part for part in (venue.street, city, venue.country) if part)
        return Place(venue.name, address, venue.access_notes, venue.capacity)


def _series_date(
    db: Database, event_id: int, occurrence: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime, dt.datetime] | None:
    """The date of the series the brief is for: `occurrence` (its original local start), else
    its next one that is not cancelled; (original start, local start, local end), if any."""
    from cmplanner.services.event_dates import occurrences_between

    if occurrence is not None:
        near = dt.datetime.combine(occurrence.date(), dt.time()).replace(tzinfo=dt.UTC)
        begin, end = near - dt.timedelta(days=400), near + dt.timedelta(days=400)
    else:
        begin = clock.now_utc()
        end = begin + dt.timedelta(days=366)
    for found in occurrences_between(db, begin, end):
        if found.event_id != event_id or found.recurrence_id is None:
            continue
        if occurrence is not None and found.recurrence_id == occurrence:
            return found.recurrence_id, found.start, found.end
        if occurrence is None and found.status != "cancelled":
            return found.recurrence_id, found.start, found.end
    return None


def _guest_contacts_allowed(db: Database) -> bool:
    from cmplanner.services import preferences

    value = preferences.get(db, preferences.DOCUMENTS_GUEST_CONTACTS)
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _when(details: dict[str, Any], start: dt.datetime, end: dt.datetime) -> str:
    return time_range_text(
        start.replace(tzinfo=None), end.replace(tzinfo=None), all_day=details["all_day"]
    )


def _facts(rows: list[tuple[str, str]], width: float) -> Any:
    """A two-column "label: value" block without rules."""
    st = styles()
    label_width = width * 0.2
    data = [
        [paragraph(label, st.header_cell), paragraph(value, st.cell)]
        for label, value in rows
        if value
    ]
    from reportlab.platypus import Table, TableStyle

    block = Table(data, colWidths=[label_width, width - label_width])
    block.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return block


def _widths(total: float, *fractions: float) -> list[float]:
    return [total * f for f in fractions]


def render(
    db: Database, event_id: int, *, page: str = "A4", occurrence: dt.datetime | None = None
) -> bytes:
    """The brief of event `event_id` as PDF bytes; for a series, of its date `occurrence`
    (original local start; by default the next one), with that date's checklist. Raises
    NotFound for an unknown event."""
    from cmplanner.services.commitments import event_commitments
    from cmplanner.services.contact_records import contact_records
    from cmplanner.services.event_extras import read_extras, totals
    from cmplanner.services.events import event_details
    from cmplanner.services.tasks import checklist

    details = event_details(db, event_id)
    place = _place(db, event_id)
    extras = read_extras(db, event_id)
    guests = _guests(details)
    commitments = event_commitments(db, event_id)
    show_contacts = _guest_contacts_allowed(db)
    series = bool(details["rrule"])
    chosen = _series_date(db, event_id, occurrence) if series else None
    next_date = chosen[1:] if chosen is not None else None
    tasks = checklist(db, event_id, chosen[0] if chosen is not None else None)
    people = {
        record["id"]: record
        for record in contact_records(
            db,
            sorted(
                {m.contact_id for m in extras.team}
                | {g["contact_id"] for g in guests if g["contact_id"] is not None}
            ),
        )
    }

    def build(doc: DocTemplate) -> list[Any]:
        st = styles()
        width = float(doc.width)
        story: list[Any] = [paragraph(details["title"], st.title)]
        subtitle = " · ".join(
            part
            for part in (
                _label(details["kind"]),
                _label(details["status"]),
                details["community"],
            )
            if part
        )
        story.append(paragraph(subtitle, st.subtitle))

        start = dt.datetime.fromisoformat(details["start"])
        end = dt.datetime.fromisoformat(details["end"])
        facts: list[tuple[str, str]] = []
        if series and next_date is not None:
            facts.append((_("When"), _when(details, *next_date)))
            facts.append(
                (
                    _("Series"),
                    (
                        _("This brief is for the next date of the series: {date}.")
                        if occurrence is None
                        else _("This brief is for one date of the series: {date}.")
                    ).format(date=date_text(next_date[0].date())),
                )
            )
        elif series:
            facts.append((_("When"), _when(details, start, end)))
            facts.append((_("Series"), _("The series has no date to come.")))
        else:
            facts.append((_("When"), _when(details, start, end)))
        if place is not None:
            facts.append((_("Where"), place.name))
            facts.append((_("Address"), place.address))
            facts.append((_("Access"), place.access_notes))
        elif details["in_person"]:
            facts.append((_("Where"), _("No venue chosen yet.")))
        if not details["in_person"] or details["online_url"]:
            facts.append((_("Online"), details["online_url"] or _("yes")))
        capacity = details["capacity"] or (place.capacity if place else None)
        if capacity:
            facts.append((_("Capacity"), str(capacity)))
        story.append(_facts(facts, width))

        if details["objective"]:
            story += [*section(_("Objective")), paragraph(details["objective"])]
        if details["description"]:
            story += [*section(_("Programme")), paragraph(details["description"])]

        story += section(_("Team on site"))
        if extras.team:
            rows = [
                [
                    m.name,
                    m.role,
                    ", ".join(people.get(m.contact_id, {}).get("phones", [])) or "—",
                ]
                for m in extras.team
            ]
            story.append(
                table(rows, [_("Name"), _("Role"), _("Phone")], _widths(width, 0.4, 0.3, 0.3))
            )
        else:
            story.append(paragraph(_("No one yet."), st.small))

        if extras.partners:
            story += section(_("Partners"))
            rows = [[p.name, p.obligations or "—"] for p in extras.partners]
            story.append(
                table(rows, [_("Organization"), _("Obligations")], _widths(width, 0.35, 0.65))
            )

        if extras.budget:
            sums = totals(extras.budget)
            story += section(_("Budget"))
            story.append(
                table(
                    [
                        [
                            money_text(sums.planned_cents),
                            money_text(sums.paid_cents),
                            money_text(sums.left_cents),
                        ]
                    ],
                    [_("Planned"), _("Paid"), _("Left to pay")],
                    _widths(width, 1 / 3, 1 / 3, 1 / 3),
                    zebra=False,
                )
            )

        story += _guest_section(guests)
        if guests:
            story.append(_guest_table(guests, people, show_contacts, width))

        story += section(_("Checklist"))
        if tasks:
            rows = [
                [
                    TICKED if t.done else BOX,
                    t.title,
                    date_short(t.due) if t.due else "—",
                    t.assignee or "—",
                ]
                for t in tasks
            ]
            story.append(
                table(
                    rows,
                    ["", _("Task"), _("Due"), _("Owner")],
                    _widths(width, 0.05, 0.55, 0.15, 0.25),
                )
            )
        else:
            story.append(paragraph(_("No tasks."), st.small))

        if commitments:
            story += section(_("Open commitments"))
            rows = [
                [
                    c.description,
                    c.contact or c.community or c.event,
                    date_short(c.due_date) if c.due_date else "—",
                ]
                for c in commitments
            ]
            story.append(
                table(rows, [_("Commitment"), _("To"), _("Due")], _widths(width, 0.55, 0.28, 0.17))
            )
        return story

    return build_pdf(build, page=page, title=details["title"])


def _guests(details: dict[str, Any]) -> list[dict[str, Any]]:
    """The shared guest list (not per-date rows) from event_details, in reading order."""
    shared = [g for g in details["guests"] if g["occurrence"] is None]
    return sorted(shared, key=lambda g: (_sort_key(g["name"]), g["contact_id"] or 0))


def _sort_key(name: str) -> str:
    """Names in reading order: « Élodie » beside « Elsa », not after « Yanis »."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def date_short(day: dt.date) -> str:
    """A due date in a table: « 3 déc. 2026 », "Dec 3, 2026" (en_US), "3 Dec 2026" (en_GB)."""
    from cmplanner.formats import day_text

    return day_text(day, "medium")


def _guest_section(guests: list[Any]) -> list[Any]:
    accepted = sum(g["rsvp"] == "accepted" for g in guests)
    heading = ngettext("Guests ({count})", "Guests ({count})", len(guests)).format(
        count=len(guests)
    )
    if guests:
        heading += " · " + ngettext("{count} accepted", "{count} accepted", accepted).format(
            count=accepted
        )
    return section(heading)


def guest_table_rows(db: Database, event_id: int) -> list[list[str]]:
    """The guest table's rows as the brief prints them (without contact details): what the
    benchmark gives a bare Platypus document."""
    from cmplanner.services.contact_records import contact_records
    from cmplanner.services.events import event_details

    guests = _guests(event_details(db, event_id))
    ids = sorted({g["contact_id"] for g in guests if g["contact_id"] is not None})
    people = {record["id"]: record for record in contact_records(db, ids)}
    return [[str(v) for v in row] for row in _guest_cells(guests, people, False)]


def _guest_cells(
    guests: list[Any], people: dict[int, dict[str, Any]], show_contacts: bool
) -> list[list[Any]]:
    def organization(contact_id: int | None) -> str:
        if contact_id is None:
            return ""
        return ", ".join(o["name"] for o in people.get(contact_id, {}).get("organizations", []))

    rows: list[list[Any]] = []
    for g in guests:
        rsvp = _label(g["rsvp"]) if g["rsvp"] != "needs-action" else "—"  # no answer yet
        if g["waitlist_position"] is not None:
            rsvp = _("Waitlist {position}").format(position=g["waitlist_position"])
        name = g["name"] if not g["plus_ones"] else "{} (+{})".format(g["name"], g["plus_ones"])
        row: list[Any] = [BOX, name, organization(g["contact_id"]), _label(g["role"]), rsvp]
        if show_contacts:
            record = people.get(g["contact_id"] or -1, {})
            row += [g["email"], ", ".join(record.get("phones", [])[:1])]
        rows.append(row)
    return rows


def _guest_table(
    guests: list[Any], people: dict[int, dict[str, Any]], show_contacts: bool, width: float
) -> Any:
    header = ["", _("Name"), _("Organization"), _("Role"), _("RSVP")]
    if show_contacts:
        header += [_("E-mail"), _("Phone")]
        widths = _widths(width, 0.04, 0.18, 0.18, 0.09, 0.13, 0.2, 0.18)
    else:
        widths = _widths(width, 0.05, 0.34, 0.30, 0.13, 0.18)
    rows = _guest_cells(guests, people, show_contacts)
    return table(rows, header, widths)
