"""The sign-in sheet (feuille d'émargement): the event at the top of every page, the guests
by name with their organization and a box to sign, blank rows for walk-ins, and each guest's
short code, which the check-in screen accepts so the ticks can be typed back in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from cmplanner.documents.base import (
    ACCENT,
    FONT,
    FONT_BOLD,
    HEADER_BACKGROUND,
    MUTED,
    RULE,
    ZEBRA,
    DocTemplate,
    build_pdf,
    is_rtl,
    para_text,
    styles,
    time_range_text,
)
from cmplanner.i18n import _, ngettext
from cmplanner.model.names import written_together
from cmplanner.services import events, guest_sheets
from cmplanner.services.event_dates import OccurrenceRead
from cmplanner.storage import Database

ROW_HEIGHT = 13 * mm  # room to sign by hand
WALK_IN_ROWS = 6
# Column widths as shares of the text width: code, name, organization, signature.
COLUMNS = (0.11, 0.32, 0.27, 0.30)


def _style(name: str, **values: Any) -> ParagraphStyle:
    return ParagraphStyle(name, parent=styles().cell, **values)


def _when(
    details: dict[str, Any], date: OccurrenceRead | None, occurrence: dt.datetime | None
) -> str:
    """When, in the reader's words: the event's time, or that of the series' date."""
    start = dt.datetime.fromisoformat(details["start"]).replace(tzinfo=None)
    end = dt.datetime.fromisoformat(details["end"]).replace(tzinfo=None)
    if date is not None:
        start, end = date.start.replace(tzinfo=None), date.end.replace(tzinfo=None)
    elif occurrence is not None:  # a date beyond the coming year: at its original time
        start, end = occurrence, occurrence + (end - start)
    if details["all_day"]:
        return time_range_text(start, end - dt.timedelta(days=1), all_day=True)
    return time_range_text(start, end)


def _header(
    details: dict[str, Any],
    date: OccurrenceRead | None,
    occurrence: dt.datetime | None,
    count: int,
) -> list[Any]:
    """The event, as it opens every page: title, when, where."""
    title = _style("signin-title", fontName=FONT_BOLD, fontSize=15, leading=19, textColor=ACCENT)
    line = _style("signin-line", fontSize=10, leading=13)
    note = _style("signin-note", fontSize=8, leading=10, textColor=MUTED)
    parts: list[Any] = [
        Paragraph(para_text(_("Sign-in sheet")).upper(), note),
        Paragraph(para_text(details["title"]), title),
        Paragraph(para_text(_when(details, date, occurrence)), line),
    ]
    if details["venue"]:
        parts.append(Paragraph(para_text(details["venue"]), line))
    parts.append(
        Paragraph(
            para_text(
                ngettext(
                    "{n} guest expected · please sign next to your name",
                    "{n} guests expected · please sign next to your name",
                    count,
                ).format(n=count)
            ),
            note,
        )
    )
    return parts


def render(
    db: Database,
    event_id: int,
    occurrence: dt.datetime | None = None,
    *,
    page: str = "A4",
    walk_in_rows: int = WALK_IN_ROWS,
) -> bytes:
    """The sign-in sheet of an event (or of one occurrence of a series: its original local
    start; by default today's or the next one) as PDF bytes."""
    details = events.event_details(db, event_id)
    date = guest_sheets.door_occurrence(db, event_id, occurrence) if details["rrule"] else None
    if date is not None and occurrence is None:
        occurrence = date.recurrence_id
    elif date is not None and date.recurrence_id != occurrence:
        date = None
    people = guest_sheets.printed_guests(db, event_id, occurrence)

    def build(doc: DocTemplate) -> list[Flowable]:
        head = _style("signin-head", fontName=FONT_BOLD, fontSize=9)
        # The event spans the first row; with the column titles it repeats on every page.
        data: list[list[Any]] = [
            [_header(details, date, occurrence, len(people)), "", "", ""],
            [
                Paragraph(para_text(_("Code")), head),
                Paragraph(para_text(_("Name")), head),
                Paragraph(para_text(_("Organization")), head),
                Paragraph(para_text(_("Signature")), head),
            ],
            *_guest_rows(people),
        ]
        walk_ins = len(data)
        data.append(
            [Paragraph(para_text(_("Not on the list? Write your name here:")), head), "", "", ""]
        )
        for _row in range(walk_in_rows):
            data.append(["", "", "", Spacer(1, ROW_HEIGHT - 6)])
        result = Table(data, colWidths=[share * doc.width for share in COLUMNS], repeatRows=2)
        result.setStyle(_table_style(walk_ins))
        return [result]

    return build_pdf(
        build, page=page, title=_("Sign-in sheet — {title}").format(title=details["title"])
    )


def _guest_rows(people: list[guest_sheets.PrintedGuest]) -> list[list[Any]]:
    """One row per guest: code, name, organization, and room to sign."""
    code = _style("signin-code", fontName=FONT_BOLD, fontSize=10, alignment=TA_CENTER)
    name = _style("signin-name", fontSize=10.5, leading=13)
    organization = _style("signin-org", fontSize=9, leading=11, textColor=MUTED)
    rows: list[list[Any]] = []
    for guest in people:
        # Family name first, as a register sorted by it; no space inside a Chinese,
        # Japanese or Korean name (王小明), as everywhere else.
        space = "" if written_together(guest.given_name, guest.family_name) else " "
        shown = (
            f"<b>{para_text(guest.family_name)}</b>{space}{para_text(guest.given_name)}"
            if guest.family_name and not is_rtl(guest.name)
            # A right-to-left name is one run, read from the right as it is written.
            else f"<b>{para_text(guest.name)}</b>"
        )
        rows.append(
            [
                Paragraph(guest.code, code),
                Paragraph(shown, name),
                Paragraph(para_text(guest.organization), organization),
                Spacer(1, ROW_HEIGHT - 6),  # the signature box keeps the row tall
            ]
        )
    return rows


def _table_style(walk_ins: int) -> TableStyle:
    """The sheet's rules and shades; the walk-in rows start at row `walk_ins`."""
    return TableStyle(
        [
            ("SPAN", (0, 0), (-1, 0)),
            ("SPAN", (0, walk_ins), (-1, walk_ins)),
            ("NOSPLIT", (0, walk_ins), (-1, -1)),  # the walk-in rows stay under their heading
            ("FONT", (0, 0), (-1, -1), FONT, 9),
            ("VALIGN", (0, 2), (-1, -1), "MIDDLE"),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 8),
            ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
            ("BACKGROUND", (0, 1), (-1, 1), HEADER_BACKGROUND),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
            ("ROWBACKGROUNDS", (0, 2), (-1, walk_ins - 1), [colors.white, ZEBRA]),
            ("BACKGROUND", (0, walk_ins), (-1, walk_ins), HEADER_BACKGROUND),
            ("TOPPADDING", (0, walk_ins), (-1, walk_ins), 5),
            # The signature column is a box of its own.
            ("BOX", (3, 2), (3, -1), 0.8, colors.black),
            ("LINEBEFORE", (3, 1), (3, -1), 0.8, colors.black),
        ]
    )
