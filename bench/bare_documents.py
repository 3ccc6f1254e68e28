"""The baselines of bench/documents.py: each document's core, written as a bare script would.

    python bench/bare_documents.py brief|signin|badges|dossier DB ID OUT.pdf

Only sqlite3 and reportlab; the database is read with plain SQL (read-only), the PDF written to
OUT. Every document registers the TrueType faces CM Planner's version of it embeds (DejaVu
Sans, and its bold; the oblique too for the dossier) from resources/fonts, lays out on A4 with
the same margins and writes a page number at the foot of each page.

brief    the brief's guest table: every guest of event ID (the shared list), name, first
         organization, role and answer read in one query, sorted by name with accents and
         case ignored; a tick column; DejaVu 9 pt, rows 16 pt high as ours declares them,
         zebra rows, the header repeated on each page.
signin   the sign-in sheet: the guests expected (not declined), sorted by family then given
         name, each row a code, the name with the family name in bold, the organization and a
         13 mm high signature box, all Paragraphs as ours; a title block and column titles
         repeated on each page.
badges   8 badges a page on a canvas: a coloured band with the role, the name in bold (one
         size, no fitting search), the organization and the event's title; crop marks.
dossier  the community's members in its core team, its ambassadors and its partners' people
         (name, role, first e-mail, first phone), its events (title, start), the open tasks of
         those events and the open commitments to it or them: a heading and a table each.
"""

from __future__ import annotations

import sqlite3
import sys
import unicodedata
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"
MARGIN = 16 * mm
ACCENT = colors.HexColor("#1f4e79")
HEADER = colors.HexColor("#dde6f0")
ZEBRA = colors.HexColor("#f3f5f8")
RULE = colors.HexColor("#9aa5b1")
LABELS = {  # the stored values as the French interface words them
    "guest": "Invité",
    "speaker": "Intervenant",
    "partner": "Partenaire",
    "volunteer": "Bénévole",
    "staff": "Équipe",
    "press": "Presse",
    "accepted": "Accepté",
    "declined": "Décliné",
    "tentative": "Peut-être",
    "needs-action": "—",
}


def register(*faces: str) -> None:
    for name in faces:
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"{name}.ttf")))


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def page_number(canvas: Canvas, doc: Any) -> None:
    canvas.setFont("DejaVuSans", 7.5)
    canvas.drawRightString(A4[0] - MARGIN, MARGIN - 8 * mm, str(doc.page))


def document(out: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 10 * mm,
    )


def grid(data: list[list[Any]], widths: list[float], repeat: int = 1) -> Table:
    heights = [None] * repeat + [16.0] * (len(data) - repeat)
    result = Table(data, colWidths=widths, rowHeights=heights, repeatRows=repeat)
    result.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "DejaVuSans", 9, 11),
                ("FONT", (0, 0), (-1, repeat - 1), "DejaVuSans-Bold", 9, 11),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, repeat - 1), HEADER),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("ROWBACKGROUNDS", (0, repeat), (-1, -1), [colors.white, ZEBRA]),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return result


NAME = "c.given_name || ' ' || c.family_name"
FIRST_ORG = (
    "(SELECT o.name FROM affiliation a JOIN organization o ON o.id = a.organization_id"
    " WHERE a.contact_id = c.id ORDER BY a.id LIMIT 1)"
)


def brief(con: sqlite3.Connection, event_id: int, out: str) -> None:
    register("DejaVuSans", "DejaVuSans-Bold")
    rows = con.execute(
        f"SELECT {NAME}, coalesce({FIRST_ORG}, ''), i.role, i.rsvp, i.plus_ones"
        " FROM invitation i JOIN contact c ON c.id = i.contact_id"
        " WHERE i.event_id = ? AND i.occurrence IS NULL",
        (event_id,),
    ).fetchall()
    rows.sort(key=lambda r: fold(r[0]))
    doc = document(out)
    data = [["", "Nom", "Organisation", "Rôle", "Réponse"]]
    for name, organization, role, rsvp, plus_ones in rows:
        shown = f"{name} (+{plus_ones})" if plus_ones else name
        data.append(["\N{BALLOT BOX}", shown, organization, LABELS[role], LABELS[rsvp]])
    widths = [doc.width * f for f in (0.05, 0.34, 0.30, 0.13, 0.18)]
    doc.build([grid(data, widths)], onFirstPage=page_number, onLaterPages=page_number)


def _expected(con: sqlite3.Connection, event_id: int) -> list[tuple[Any, ...]]:
    rows = con.execute(
        f"SELECT i.id, c.given_name, c.family_name, coalesce({FIRST_ORG}, ''), i.role"
        " FROM invitation i JOIN contact c ON c.id = i.contact_id"
        " WHERE i.event_id = ? AND i.occurrence IS NULL AND i.rsvp != 'declined'",
        (event_id,),
    ).fetchall()
    rows.sort(key=lambda r: (fold(r[2]), fold(r[1]), r[0]))
    return rows


def signin(con: sqlite3.Connection, event_id: int, out: str) -> None:
    register("DejaVuSans", "DejaVuSans-Bold")
    (title,) = con.execute("SELECT title FROM event WHERE id = ?", (event_id,)).fetchone()
    rows = _expected(con, event_id)
    cell = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=9, leading=11)
    head = ParagraphStyle("head", parent=cell, fontName="DejaVuSans-Bold")
    code = ParagraphStyle("code", parent=head, fontSize=10, alignment=TA_CENTER)
    name = ParagraphStyle("name", parent=cell, fontSize=10.5, leading=13)
    big = ParagraphStyle("title", parent=head, fontSize=15, leading=19, textColor=ACCENT)
    doc = document(out)
    data: list[list[Any]] = [
        [[Paragraph("FEUILLE D'ÉMARGEMENT", cell), Paragraph(title, big)], "", "", ""],
        [Paragraph(text, head) for text in ("Code", "Nom", "Organisation", "Signature")],
    ]
    for invitation_id, given, family, organization, _role in rows:
        data.append(
            [
                Paragraph(f"{invitation_id:05d}", code),
                Paragraph(f"<b>{family}</b> {given}", name),
                Paragraph(organization, cell),
                Spacer(1, 13 * mm - 6),
            ]
        )
    table = Table(data, colWidths=[doc.width * f for f in (0.11, 0.32, 0.27, 0.30)], repeatRows=2)
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("FONT", (0, 0), (-1, -1), "DejaVuSans", 9),
                ("VALIGN", (0, 2), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
                ("BACKGROUND", (0, 1), (-1, 1), HEADER),
                ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
                ("ROWBACKGROUNDS", (0, 2), (-1, -1), [colors.white, ZEBRA]),
                ("BOX", (3, 2), (3, -1), 0.8, colors.black),
            ]
        )
    )
    doc.build([table], onFirstPage=page_number, onLaterPages=page_number)


def badges(con: sqlite3.Connection, event_id: int, out: str) -> None:
    register("DejaVuSans", "DejaVuSans-Bold")
    (title,) = con.execute("SELECT title FROM event WHERE id = ?", (event_id,)).fetchone()
    rows = _expected(con, event_id)
    width, height, columns, per_page = 90 * mm, 55 * mm, 2, 8
    left, bottom = (A4[0] - 2 * width) / 2, (A4[1] - 4 * height) / 2
    name_style = ParagraphStyle(
        "name", fontName="DejaVuSans-Bold", fontSize=20, leading=23, alignment=TA_CENTER
    )
    small = ParagraphStyle(
        "small", fontName="DejaVuSans", fontSize=9, leading=11, alignment=TA_CENTER
    )
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    for first in range(0, len(rows), per_page):
        for index, (_id, given, family, organization, role) in enumerate(
            rows[first : first + per_page]
        ):
            x = left + (index % columns) * width
            y = bottom + (3 - index // columns) * height
            canvas.setFillColor(ACCENT)
            canvas.rect(x, y + height - 9 * mm, width, 9 * mm, stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont("DejaVuSans-Bold", 12)
            canvas.drawCentredString(x + width / 2, y + height - 6 * mm, LABELS[role].upper())
            canvas.setStrokeColor(RULE)
            canvas.rect(x, y, width, height, stroke=1, fill=0)
            for text, style, top in (
                (f"{given} {family}", name_style, y + height - 14 * mm),
                (organization, small, y + 16 * mm),
                (title, small, y + 8 * mm),
            ):
                paragraph = Paragraph(text, style)
                _w, h = paragraph.wrap(width - 10 * mm, height)
                paragraph.drawOn(canvas, x + 5 * mm, top - h)
        canvas.setStrokeColor(colors.black)
        for column in range(columns + 1):
            cx = left + column * width
            canvas.line(cx, bottom - 2 * mm, cx, bottom - 7 * mm)
        canvas.showPage()
    canvas.save()


def dossier(con: sqlite3.Connection, community_id: int, out: str) -> None:
    register("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique")
    email = "(SELECT address FROM contact_email x WHERE x.contact_id = c.id ORDER BY position, id)"
    phone = "(SELECT number FROM contact_phone x WHERE x.contact_id = c.id ORDER BY position, id)"
    (name,) = con.execute("SELECT name FROM community WHERE id = ?", (community_id,)).fetchone()
    members = con.execute(
        f"SELECT {NAME}, m.role, coalesce({email}, ''), coalesce({phone}, '')"
        " FROM community_member m JOIN contact c ON c.id = m.contact_id"
        " WHERE m.community_id = ? AND m.role IN ('core_team', 'ambassador', 'partner', 'sponsor')"
        " ORDER BY c.family_name, c.given_name",
        (community_id,),
    ).fetchall()
    events = con.execute(
        "SELECT id, title, start_utc FROM event WHERE community_id = ? ORDER BY start_utc",
        (community_id,),
    ).fetchall()
    ours = [e[0] for e in events]
    marks = ",".join("?" * len(ours)) or "NULL"
    tasks = con.execute(
        f"SELECT t.title, e.title, coalesce(t.due_date, '') FROM task t"
        f" JOIN event e ON e.id = t.event_id WHERE t.event_id IN ({marks}) AND NOT t.done"
        " ORDER BY t.due_date",
        ours,
    ).fetchall()
    commitments = con.execute(
        f"SELECT description, coalesce(due_date, '') FROM commitment WHERE status = 'open'"
        f" AND (community_id = ? OR event_id IN ({marks})) ORDER BY due_date",
        [community_id, *ours],
    ).fetchall()
    heading = ParagraphStyle(
        "heading", fontName="DejaVuSans-Bold", fontSize=13, leading=16, textColor=ACCENT
    )
    note = ParagraphStyle("note", fontName="DejaVuSans", fontSize=8, leading=10)
    doc = document(out)

    def part(
        title: str, header: list[str], rows: list[Any], shares: tuple[float, ...]
    ) -> list[Any]:
        widths = [doc.width * f for f in shares]
        body = [list(map(str, r)) for r in rows]
        if not body:
            return [Paragraph(title, heading), Paragraph("<i>Rien.</i>", note)]
        return [Paragraph(title, heading), grid([header, *body], widths)]

    story = [Paragraph(name, heading)]
    story += part(
        "Membres", ["Nom", "Rôle", "E-mail", "Téléphone"], members, (0.3, 0.15, 0.35, 0.2)
    )
    story += part("Événements", ["Id", "Titre", "Début"], events, (0.1, 0.6, 0.3))
    story += part("Tâches ouvertes", ["Tâche", "Événement", "Échéance"], tasks, (0.4, 0.4, 0.2))
    story += part("Engagements", ["Engagement", "Échéance"], commitments, (0.8, 0.2))
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)


DOCUMENTS = {"brief": brief, "signin": signin, "badges": badges, "dossier": dossier}


def main(argv: list[str]) -> int:
    kind, db, record, out = argv
    con = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    try:
        DOCUMENTS[kind](con, int(record), out)
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
