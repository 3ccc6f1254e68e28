"""Name badges on A4 sheets: a grid of badges with crop marks around it, each with a colour
band for the guest's role, the name large (shrunk until it fits) and the organization."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from cmplanner.documents.base import (
    FONT,
    FONT_BOLD,
    MUTED,
    RULE,
    para_text,
    register_fonts,
)
from cmplanner.errors import ValidationError
from cmplanner.i18n import _
from cmplanner.model.enums import GuestRole
from cmplanner.services import events, guest_sheets
from cmplanner.storage import Database


@dataclass(frozen=True)
class Layout:
    """Badges of `width` × `height` points, `columns` × `rows` on an A4 sheet, centred."""

    columns: int
    rows: int
    width: float
    height: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    "8-up": Layout(2, 4, 90 * mm, 55 * mm),  # business-card size
    "6-up": Layout(2, 3, 95 * mm, 80 * mm),  # the usual badge-holder insert
    "4-up": Layout(2, 2, 100 * mm, 140 * mm),  # A6-like, for a lanyard
}
DEFAULT_LAYOUT = "8-up"

# One colour per role; they stay distinct in greyscale too (light to dark).
ROLE_COLOURS = {
    GuestRole.GUEST: colors.HexColor("#2f6db5"),
    GuestRole.SPEAKER: colors.HexColor("#c0392b"),
    GuestRole.PARTNER: colors.HexColor("#7d3c98"),
    GuestRole.VOLUNTEER: colors.HexColor("#1e8449"),
    GuestRole.STAFF: colors.HexColor("#2c3e50"),
    GuestRole.PRESS: colors.HexColor("#d35400"),
}
CROP_MARK = 5 * mm
CROP_GAP = 2 * mm


def layout_named(name: str | None) -> Layout:
    """The layout called `name` (None: the default); an unknown name says which exist."""
    chosen = name or DEFAULT_LAYOUT
    if chosen not in LAYOUTS:
        raise ValidationError(
            _("Unknown badge layout “{name}”: use one of {layouts}.").format(
                name=chosen, layouts=", ".join(LAYOUTS)
            )
        )
    return LAYOUTS[chosen]


def _colour(role: str) -> colors.Color:
    return ROLE_COLOURS.get(role, ROLE_COLOURS[GuestRole.GUEST])  # type: ignore[call-overload]


def _role_label(role: str) -> str:
    return GuestRole(role).label if role in set(GuestRole) else role


def _fitted(text: str, width: float, height: float, largest: float, smallest: float) -> Paragraph:
    """`text` as a centred bold Paragraph within `width` × `height`: on one line at the
    largest size that fits, unless that is much smaller than the box allows; then on up to
    three lines at the largest size that fits."""
    markup = para_text(text)

    def at(size: float) -> tuple[Paragraph, int, float]:
        style = ParagraphStyle(
            f"badge-{size}",
            fontName=FONT_BOLD,
            fontSize=size,
            leading=size * 1.15,
            alignment=TA_CENTER,
            splitLongWords=0,
        )
        paragraph = Paragraph(markup, style)
        _w, h = paragraph.wrap(width, height)
        found = getattr(paragraph.blPara, "lines", [])
        if any(_extra(line) < -0.01 for line in found):  # a word wider than the badge
            return paragraph, 99, float(h)
        return paragraph, len(found) or 1, float(h)

    sizes = [largest - step for step in range(int(largest - smallest) + 1)]
    for size in sizes:
        if size < largest * 0.55:
            break
        paragraph, lines, h = at(size)
        if lines == 1 and h <= height:
            return paragraph
    for size in sizes:
        paragraph, lines, h = at(size)
        if lines <= 3 and h <= height:
            return paragraph
    return paragraph


def _extra(line: object) -> float:
    """The room left on a wrapped line of a Paragraph (negative: it overflows)."""
    if isinstance(line, tuple):
        return float(line[0])
    return float(getattr(line, "extraSpace", 0.0))


def _draw_paragraph(
    canvas: Canvas, paragraph: Paragraph, x: float, top: float, width: float, height: float
) -> float:
    """Draw `paragraph` with its top at `top`; returns its height."""
    _w, h = paragraph.wrap(width, height)
    paragraph.drawOn(canvas, x, top - h)
    return float(h)


def _badge(
    canvas: Canvas, guest: guest_sheets.PrintedGuest, x: float, y: float, layout: Layout, event: str
) -> None:
    """One badge with its bottom-left corner at (x, y)."""
    w, h = layout.width, layout.height
    pad = 5 * mm
    band = max(7 * mm, h * 0.16)
    colour = _colour(guest.role)
    # The colour band at the top, the role written in it.
    canvas.setFillColor(colour)
    canvas.rect(x, y + h - band, w, band, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(FONT_BOLD, min(14.0, band * 0.4))
    canvas.drawCentredString(x + w / 2, y + h - band * 0.62, _role_label(guest.role).upper())
    # A thin outline, to cut along if the crop marks are not used.
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.25)
    canvas.rect(x, y, w, h, stroke=1, fill=0)

    inner = w - 2 * pad
    event_size = max(7.0, min(11.0, h / mm * 0.08))  # 7 pt on small badges, 11 on A6-like
    footer = event_size + 2
    body_top = y + h - band - 3 * mm
    body_bottom = y + pad + footer
    room = body_top - body_bottom
    largest = min(48.0, h / mm * 0.5)  # 27 pt at 55 mm high, 48 on the A6-like badge
    organization = _one_line(
        guest.organization,
        ParagraphStyle(
            "badge-org",
            fontName=FONT,
            fontSize=min(12.0, largest * 0.45),
            leading=min(12.0, largest * 0.45) * 1.2,
            alignment=TA_CENTER,
            textColor=MUTED,
        ),
        inner,
        lines=2 if h >= 70 * mm else 1,
    )
    _w, org_h = organization.wrap(inner, room) if guest.organization else (0, 0)
    gap = 2 * mm if guest.organization else 0
    name = _fitted(guest.name, inner, min(room * 0.62, room - org_h - gap), largest, 8.0)
    _w, name_h = name.wrap(inner, room)
    block = name_h + gap + org_h
    top = body_bottom + (room + block) / 2  # the name and organization centred together
    top -= _draw_paragraph(canvas, name, x + pad, top, inner, room)
    if guest.organization:
        _draw_paragraph(canvas, organization, x + pad, top - gap, inner, room)
    # The event, small, on one line along the bottom.
    style = ParagraphStyle(
        "badge-event",
        fontName=FONT,
        fontSize=event_size,
        leading=event_size * 1.2,
        alignment=TA_CENTER,
        textColor=MUTED,
    )
    _draw_paragraph(
        canvas, _one_line(event, style, inner), x + pad, y + pad + footer - 1, inner, 20
    )


def _one_line(text: str, style: ParagraphStyle, width: float, lines: int = 1) -> Paragraph:
    """`text` cut short with "…" until it holds on one line (or `lines`)."""
    shown = text
    while True:
        paragraph = Paragraph(para_text(shown if shown == text else shown + "…"), style)
        _w, h = paragraph.wrap(width, 1000)
        if h <= lines * style.leading + 0.1 or len(shown) <= 1:
            return paragraph
        shown = shown[: max(1, int(len(shown) * 0.9))].rstrip()


def _crop_marks(canvas: Canvas, layout: Layout, left: float, bottom: float) -> None:
    """Short lines outside the grid, on the line of every cut."""
    right = left + layout.columns * layout.width
    top = bottom + layout.rows * layout.height
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.3)
    for column in range(layout.columns + 1):
        cx = left + column * layout.width
        canvas.line(cx, top + CROP_GAP, cx, top + CROP_GAP + CROP_MARK)
        canvas.line(cx, bottom - CROP_GAP, cx, bottom - CROP_GAP - CROP_MARK)
    for row in range(layout.rows + 1):
        cy = bottom + row * layout.height
        canvas.line(left - CROP_GAP, cy, left - CROP_GAP - CROP_MARK, cy)
        canvas.line(right + CROP_GAP, cy, right + CROP_GAP + CROP_MARK, cy)


def _legend(canvas: Canvas, roles: Sequence[str], page_width: float, y: float) -> None:
    """The colours of the roles on this sheet, centred under the grid."""
    size = 7.5
    entries = [(_colour(r), _role_label(r)) for r in roles]
    swatch = 3 * mm
    widths = [
        swatch + 1.5 * mm + canvas.stringWidth(label, FONT, size) + 5 * mm for _c, label in entries
    ]
    x = (page_width - sum(widths)) / 2
    canvas.setFont(FONT, size)
    for (colour, label), width in zip(entries, widths, strict=True):
        canvas.setFillColor(colour)
        canvas.rect(x, y - 0.5 * mm, swatch, swatch, stroke=0, fill=1)
        canvas.setFillColor(MUTED)
        canvas.drawString(x + swatch + 1.5 * mm, y, label)
        x += width


def render(
    db: Database,
    event_id: int,
    layout: str | None = DEFAULT_LAYOUT,
    *,
    occurrence: dt.datetime | None = None,
) -> bytes:
    """Badges for the event's expected guests (sorted by name), as PDF bytes."""
    grid = layout_named(layout)
    details = events.event_details(db, event_id)
    people = guest_sheets.printed_guests(db, event_id, occurrence)
    if not people:
        raise ValidationError(
            _("“{title}” has no guests to print badges for.").format(title=details["title"])
        )
    register_fonts()
    buffer = io.BytesIO()
    page_width, page_height = A4
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Badges — {title}").format(title=details["title"]))
    canvas.setCreator("CM Planner")
    left = (page_width - grid.columns * grid.width) / 2
    bottom = (page_height - grid.rows * grid.height) / 2
    for first in range(0, len(people), grid.per_page):
        sheet = people[first : first + grid.per_page]
        for index, guest in enumerate(sheet):
            column, row = index % grid.columns, index // grid.columns
            x = left + column * grid.width
            y = bottom + (grid.rows - 1 - row) * grid.height
            _badge(canvas, guest, x, y, grid, details["title"])
        _crop_marks(canvas, grid, left, bottom)
        roles = [r for r in GuestRole if any(g.role == r for g in sheet)]
        if bottom > CROP_GAP + CROP_MARK + 8 * mm:
            _legend(canvas, roles, page_width, (bottom - CROP_GAP - CROP_MARK) / 2)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
