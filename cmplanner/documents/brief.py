"""The event brief (fiche événement): everything the CM takes along, on A4 or Letter.

Title, kind, status, community; when and where; objective; programme; the core team on site
with their phones; partners and what was promised to them; the budget; the guest list with a
tick column (e-mails and phones only when the "documents.guest_contacts" setting is on); the
checklist; open commitments. For a series: the brief of its next date, said on the page."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cmplanner import clock
from cmplanner.documents.base import (
    build_pdf,
    date_text,
    paragraph,
    section,
    styles,
    table,
    time_range_text,
)
from cmplanner.formats import day_text, money_text
from cmplanner.i18n import _, ngettext
from cmplanner.model.enums import kind_label
from cmplanner.services import preferences
from cmplanner.services.commitments import event_commitments
from cmplanner.services.contact_records import contact_records
from cmplanner.services.event_dates import occurrences_between
from cmplanner.services.event_extras import read_extras, totals
from cmplanner.services.events import event_details
from cmplanner.services.tasks import checklist
from cmplanner.storage import Database

if TYPE_CHECKING:
    from cmplanner.services.commitments import CommitmentRead
    from cmplanner.services.event_extras import EventExtras
    from cmplanner.services.tasks import TaskRead

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
    return kind_label(value) if value else ""


def _place(db: Database, event_id: int) -> Place | None:
    with db.read() as con:
        venue = con.execute(
            "SELECT v.name, v.street, v.postal_code, v.city, v.country, v.access_notes,"
            " v.capacity FROM event e JOIN venue v ON v.id = e.venue_id WHERE e.id = ?",
            (event_id,),
        ).fetchone()
    if venue is None:
        return None
    name, street, postal_code, city_name, country, access_notes, capacity = venue
    city = " ".join(part for part in (postal_code, city_name) if part)
    address = ", ".join(part for part in (street, city, country) if part)
    return Place(name, address, access_notes, capacity)


def _series_date(
    db: Database, event_id: int, occurrence: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime, dt.datetime] | None:
    """The date of the series the brief is for: `occurrence` (its original local start), else
    its next one that is not cancelled; (original start, local start, local end), if any."""
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
    # imported on use, not at the top: keeps it off the start-up path
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
    brief = _gather(db, event_id, occurrence)
    return build_pdf(
        lambda doc: _Pages(brief, float(doc.width)).story(),
        page=page,
        title=brief.details["title"],
    )


@dataclass(frozen=True)
class _Brief:
    """What the brief prints, read through the services."""

    details: dict[str, Any]
    place: Place | None
    extras: EventExtras
    guests: list[dict[str, Any]]
    commitments: list[CommitmentRead]
    show_contacts: bool
    series: bool
    occurrence: dt.datetime | None  # the date asked for, if any
    next_date: tuple[dt.datetime, dt.datetime] | None  # the series' date printed: start, end
    tasks: list[TaskRead]
    people: dict[int, dict[str, Any]]  # the team's and the guests' contact records


def _gather(db: Database, event_id: int, occurrence: dt.datetime | None) -> _Brief:
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
    return _Brief(
        details,
        place,
        extras,
        guests,
        commitments,
        show_contacts,
        series,
        occurrence,
        next_date,
        tasks,
        people,
    )


class _Pages:
    """The brief's flowables, one method per section of the page."""

    def __init__(self, brief: _Brief, width: float) -> None:
        self.brief = brief
        self.details = brief.details
        self.width = width
        self.st = styles()

    def story(self) -> list[Any]:
        story = self.heading()
        story.append(self.facts())
        story += self.about()
        story += self.team()
        story += self.partners()
        story += self.budget()
        story += _guest_section(self.brief.guests)
        if self.brief.guests:
            brief = self.brief
            story.append(_guest_table(brief.guests, brief.people, brief.show_contacts, self.width))
        story += self.checklist()
        story += self.commitments()
        return story

    def heading(self) -> list[Any]:
        details = self.details
        subtitle = " · ".join(
            part
            for part in (
                _label(details["kind"]),
                _label(details["status"]),
                details["community"],
            )
            if part
        )
        return [paragraph(details["title"], self.st.title), paragraph(subtitle, self.st.subtitle)]

    def facts(self) -> Any:
        """When, where, online, capacity."""
        details, place = self.details, self.brief.place
        facts = self.when()
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
        return _facts(facts, self.width)

    def when(self) -> list[tuple[str, str]]:
        details, next_date = self.details, self.brief.next_date
        start = dt.datetime.fromisoformat(details["start"])
        end = dt.datetime.fromisoformat(details["end"])
        if self.brief.series and next_date is not None:
            return [
                (_("When"), _when(details, *next_date)),
                (
                    _("Series"),
                    (
                        _("This brief is for the next date of the series: {date}.")
                        if self.brief.occurrence is None
                        else _("This brief is for one date of the series: {date}.")
                    ).format(date=date_text(next_date[0].date())),
                ),
            ]
        if self.brief.series:
            return [
                (_("When"), _when(details, start, end)),
                (_("Series"), _("The series has no date to come.")),
            ]
        return [(_("When"), _when(details, start, end))]

    def about(self) -> list[Any]:
        """The objective and the programme."""
        story: list[Any] = []
        if self.details["objective"]:
            story += [*section(_("Objective")), paragraph(self.details["objective"])]
        if self.details["description"]:
            story += [*section(_("Programme")), paragraph(self.details["description"])]
        return story

    def team(self) -> list[Any]:
        team, people = self.brief.extras.team, self.brief.people
        story = section(_("Team on site"))
        if not team:
            return [*story, paragraph(_("No one yet."), self.st.small)]
        rows = [
            [m.name, m.role, ", ".join(people.get(m.contact_id, {}).get("phones", [])) or "—"]
            for m in team
        ]
        return [
            *story,
            table(rows, [_("Name"), _("Role"), _("Phone")], _widths(self.width, 0.4, 0.3, 0.3)),
        ]

    def partners(self) -> list[Any]:
        partners = self.brief.extras.partners
        if not partners:
            return []
        rows = [[p.name, p.obligations or "—"] for p in partners]
        return [
            *section(_("Partners")),
            table(rows, [_("Organization"), _("Obligations")], _widths(self.width, 0.35, 0.65)),
        ]

    def budget(self) -> list[Any]:
        if not self.brief.extras.budget:
            return []
        sums = totals(self.brief.extras.budget)
        return [
            *section(_("Budget")),
            table(
                [
                    [
                        money_text(sums.planned_cents),
                        money_text(sums.paid_cents),
                        money_text(sums.left_cents),
                    ]
                ],
                [_("Planned"), _("Paid"), _("Left to pay")],
                _widths(self.width, 1 / 3, 1 / 3, 1 / 3),
                zebra=False,
            ),
        ]

    def checklist(self) -> list[Any]:
        tasks = self.brief.tasks
        story = section(_("Checklist"))
        if not tasks:
            return [*story, paragraph(_("No tasks."), self.st.small)]
        rows = [
            [
                TICKED if t.done else BOX,
                t.title,
                date_short(t.due) if t.due else "—",
                t.assignee or "—",
            ]
            for t in tasks
        ]
        return [
            *story,
            table(
                rows,
                ["", _("Task"), _("Due"), _("Owner")],
                _widths(self.width, 0.05, 0.55, 0.15, 0.25),
            ),
        ]

    def commitments(self) -> list[Any]:
        commitments = self.brief.commitments
        if not commitments:
            return []
        rows = [
            [
                c.description,
                c.contact or c.community or c.event,
                date_short(c.due_date) if c.due_date else "—",
            ]
            for c in commitments
        ]
        return [
            *section(_("Open commitments")),
            table(
                rows, [_("Commitment"), _("To"), _("Due")], _widths(self.width, 0.55, 0.28, 0.17)
            ),
        ]


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
