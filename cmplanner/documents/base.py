"""What every printed document shares: fonts, safe text, page sizes, styles, the page footer
("1/3" and the generation date), localized dates and amounts, tables, atomic writing.

Headless (never imports Qt). Nothing here ever reaches the network: user text is escaped for
reportlab's Paragraph markup, so a `<img src=…>` in a title is printed, never fetched.

Use:
    data = build_pdf(lambda doc: [Paragraph(para_text(title), styles().title)], title=title)
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from cmplanner import clock, formats
from cmplanner.errors import ValidationError
from cmplanner.formats import day_text, times_text
from cmplanner.i18n import _
from cmplanner.paths import resources_dir
from cmplanner.storage.files import write_export
from cmplanner.timezones import utc_to_local

FONT = "DejaVu"
FONT_BOLD = "DejaVu-Bold"
FONT_ITALIC = "DejaVu-Oblique"
FONT_BOLD_ITALIC = "DejaVu-BoldOblique"
KOREAN_FONT = "NanumGothic"
FALLBACK_FONT = "DroidFallback"

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
MARGIN = 16 * mm
FOOTER_HEIGHT = 10 * mm

# Colours: one accent, greys for rules and zebra rows (they print well in black and white).
ACCENT = colors.HexColor("#1f4e79")
HEADER_BACKGROUND = colors.HexColor("#dde6f0")
ZEBRA = colors.HexColor("#f3f5f8")
RULE = colors.HexColor("#9aa5b1")
MUTED = colors.HexColor("#555f6b")


# --- fonts ----------------------------------------------------------------------------------


# What each face is drawn from; DejaVu is every document's font, the other two only draw what
# DejaVu lacks (Korean, then Chinese and Japanese).
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    KOREAN_FONT: "NanumGothic.ttf",
    FALLBACK_FONT: "DroidSansFallbackFull.ttf",
}


@functools.cache
def _register(name: str) -> TTFont:
    """Register one face, once per process; it is read when first asked for: the two
    fallback fonts (8.7 MB, most of the cost) only for a text DejaVu cannot draw."""
    # A TTFont is embedded as subsets of the glyphs a document uses (reportlab's default), so
    # a Korean name adds a few kilobytes to a PDF, not the 4.7 MB font. The two fonts that
    # only draw what DejaVu lacks leave out the ASCII glyphs reportlab puts in every first
    # subset otherwise (never drawn here: 12 KB less in each PDF with a Korean name).
    font = TTFont(
        name,
        str(resources_dir() / "fonts" / _FONT_FILES[name]),
        asciiReadable=name not in (KOREAN_FONT, FALLBACK_FONT),
    )
    pdfmetrics.registerFont(font)
    if name in (KOREAN_FONT, FALLBACK_FONT):
        # One face each: bold Korean or Chinese prints in the regular weight (a bold face
        # would double the fonts' size for a name in bold).
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return font


@functools.cache
def register_fonts() -> frozenset[int]:
    """Register DejaVu Sans and its bold (every document's faces), once, and name the DejaVu
    family's faces. The oblique faces wait for `italic_fonts`, the Korean font and the CJK
    fallback for a text that needs them (`_chars_of`). Returns the code points DejaVu Sans
    can draw."""
    regular = _register(FONT)
    _register(FONT_BOLD)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return frozenset(regular.face.charToGlyph)


@functools.cache
def italic_fonts() -> None:
    """Register DejaVu's oblique faces: a document whose own markup says <i> calls this
    before its layout (user text never does: `para_text` escapes it)."""
    register_fonts()
    _register(FONT_ITALIC)
    _register(FONT_BOLD_ITALIC)


@functools.cache
def _chars_of(font_name: str) -> frozenset[int]:
    return frozenset(_register(font_name).face.charToGlyph)


def escape(text: str) -> str:
    """`&`, `<` and `>` as Paragraph markup writes them: xml.sax.saxutils.escape, without
    that module's import of urllib.request (http, email, ssl: ~30 ms at each start)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _is_hangul(code: int) -> bool:
    """Hangul syllables, jamo and compatibility jamo (and their extensions)."""
    return (
        0xAC00 <= code <= 0xD7FF
        or 0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0xA960 <= code <= 0xA97F
        or 0xFFA0 <= code <= 0xFFDC
    )


def _clean(text: str) -> str:
    """Drop control characters (a PDF cannot show them); keep newlines and tabs as spaces."""
    return "".join(
        c if c >= " " or c == "\n" else " " for c in text.replace("\r\n", "\n").replace("\t", " ")
    )


# --- right-to-left text ---------------------------------------------------------------------
#
# reportlab draws characters one after the other, left to right, as they come. Arabic and
# Hebrew are therefore turned into what the page must show before they reach it: Arabic
# letters replaced by their joined forms (initial, medial, final: the presentation forms DejaVu
# Sans has) by arabic-reshaper, then every line put in visual order by python-bidi (the Unicode
# bidirectional algorithm: a right-to-left run reversed, numbers and Latin words inside it kept
# left to right, brackets mirrored). Chosen over reportlab's own experimental shaping, which
# needs two more native packages (uharfbuzz to shape, rlbidi to reorder; reportlab's
# `rtlSupport` is False without it) and a direction set on each paragraph style by the caller;
# this works on each piece of user text wherever a document puts it. Text that may wrap (a
# programme, an objective, a long cell) goes through `RightToLeftParagraph`, which breaks it
# into lines in reading order for the width it gets, then reorders each line: reordering the
# whole text first would make its lines read bottom to top. And DejaVu's oblique faces have
# no Arabic: user text that may be Arabic must not go in `<i>` (a `<font>` tag around Arabic
# runs cannot fix that: reportlab takes bold and italic from the face a tag names, so a bold
# Arabic name would lose its bold).

# Hebrew, Arabic, Syriac, Thaana, NKo… and the Hebrew and Arabic presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def is_rtl(text: str) -> bool:
    """True when `text` holds right-to-left letters (Arabic, Hebrew…)."""
    return _RTL.search(text) is not None


@functools.cache
def _reshaper() -> Any:
    """arabic-reshaper set up for DejaVu Sans: its joined forms and lam-alef ligatures, which
    DejaVu has; not the word ligature "Allah" (U+FDF2), which it lacks. (The few Urdu letters
    DejaVu lacks, such as ے, print as the replacement mark, joined forms or not.) Vowel
    marks are left out, the reshaper's default: without a shaping engine to place them they
    would not sit on their letters."""
    # imported on use, not at the top: keeps it off the start-up path
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(configuration={"ARABIC LIGATURE ALLAH": False})


def visual(text: str) -> str:
    """`text` as it is drawn left to right: unchanged without right-to-left letters (no cost
    for the common case); else Arabic joined and each line in visual order."""
    if not is_rtl(text):
        return text
    # imported on use, not at the top: keeps it off the start-up path
    from bidi import get_display

    lines = []
    for line in text.split("\n"):
        if _ARABIC.search(line):
            line = _reshaper().reshape(line)
        lines.append(str(get_display(line)))
    return "\n".join(lines)


def starts_right_to_left(text: str) -> bool:
    """True when the first letter with a direction is right-to-left (the paragraph's base
    direction in the Unicode bidirectional algorithm, rules P2–P3)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def logical_lines(text: str, width: float, font: str, size: float) -> list[str]:
    """`text` broken into lines of at most `width` points in reading order, words measured
    as they will be drawn (Arabic in its joined forms); a word wider than a line stands alone."""
    lines: list[str] = []
    space = pdfmetrics.stringWidth(" ", font, size)
    for source in text.split("\n"):
        shaped = _reshaper().reshape(source) if _ARABIC.search(source) else source
        words, drawn = source.split(" "), shaped.split(" ")
        if len(drawn) != len(words):  # the reshaper never adds or drops spaces; if it did
            drawn = words
        current: list[str] = []
        used = 0.0
        for word, shape in zip(words, drawn, strict=True):
            wide = pdfmetrics.stringWidth(shape, font, size)
            if current and used + space + wide > width:
                lines.append(" ".join(current))
                current, used = [], 0.0
            used += (space if current else 0.0) + wide
            current.append(word)
        lines.append(" ".join(current))
    return lines


class RightToLeftParagraph(Flowable):
    """User text with right-to-left letters, as a paragraph that wraps right: broken into
    lines in reading order for the width it is given, each line then put in visual order
    (`para_text`), aligned right when the text starts right-to-left. Built again when the
    width changes (a table measures its cells more than once)."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = _clean(text)
        self.style = style
        self._inner: Paragraph | None = None
        self._built_for = -1.0

    def _paragraph(self, width: float) -> Paragraph:
        if self._inner is None or width != self._built_for:
            st = self.style
            room = width - st.leftIndent - st.rightIndent - max(st.firstLineIndent, 0)
            lines = logical_lines(self.text, room * 0.98, st.fontName, st.fontSize)
            if starts_right_to_left(self.text) and st.alignment == TA_LEFT:
                st = ParagraphStyle(f"{st.name}-rtl", parent=st, alignment=TA_RIGHT)
            self._inner = Paragraph(para_text("\n".join(lines)), st)
            self._built_for = width
        return self._inner

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self._paragraph(availWidth).wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return list(self._paragraph(availWidth).split(availWidth, availHeight))

    def draw(self) -> None:
        assert self._inner is not None, "drawn before it was wrapped"
        self._inner.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return float(self.style.spaceAfter)


# --- safe text ------------------------------------------------------------------------------


def plain_ok(text: str) -> bool:
    """True when DejaVu draws every character of `text` as it comes (it can go in a table cell
    as is): no character it lacks, no right-to-left text to reorder."""
    known = register_fonts()
    return all(ord(c) in known for c in text) and not is_rtl(text)


def para_text(text: str | None) -> str:
    """User text made safe for Paragraph markup: `&`, `<`, `>` escaped (a tag prints as
    written), newlines kept, Arabic and Hebrew joined and in visual order, and runs of
    characters DejaVu lacks wrapped in the font that has them: Korean in NanumGothic,
    Chinese and Japanese in the fallback font. A character no font has prints as "\ufffd"."""
    if not text:
        return ""
    known = register_fonts()
    out: list[str] = []
    run: list[str] = []
    face: str | None = None  # None: DejaVu, the paragraph's own font

    def flush() -> None:
        if not run:
            return
        chunk = escape("".join(run))
        out.append(f'<font name="{face}">{chunk}</font>' if face else chunk)
        run.clear()

    for char in visual(_clean(text)):
        if char == "\n":
            flush()
            out.append("<br/>")
            continue
        code = ord(char)
        wanted: str | None = None
        if code in known or char == " ":
            pass
        elif _is_hangul(code) and code in _chars_of(KOREAN_FONT):
            wanted = KOREAN_FONT
        elif code in _chars_of(FALLBACK_FONT):
            wanted = FALLBACK_FONT
        elif code in _chars_of(KOREAN_FONT):
            wanted = KOREAN_FONT
        else:
            # No font draws it: a visible replacement mark (in DejaVu), never a crash.
            char = "\N{REPLACEMENT CHARACTER}"
        if wanted != face:
            flush()
            face = wanted
        run.append(char)
    flush()
    return "".join(out)


# --- page and styles ------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A paper size: "A4" (the default) or "Letter"."""

    size: str = "A4"

    def __post_init__(self) -> None:
        if self.size not in PAGE_SIZES:
            raise ValidationError(
                _("Unknown page size {size}: use A4 or Letter.").format(size=self.size)
            )

    @property
    def dimensions(self) -> tuple[float, float]:
        width, height = PAGE_SIZES[self.size]
        return float(width), float(height)


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    header_cell: ParagraphStyle


@functools.cache
def styles() -> Styles:
    """The small stylesheet every document uses (DejaVu, sizes in points)."""
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=3, alignment=TA_LEFT
    )
    return Styles(
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=20, leading=24, textColor=ACCENT
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=11, leading=15, textColor=MUTED, spaceAfter=6
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=16,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=4,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
        cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=11, spaceAfter=0),
        header_cell=ParagraphStyle(
            "header_cell", parent=body, fontName=FONT_BOLD, fontSize=9, leading=11, spaceAfter=0
        ),
    )


def section(title: str, room: float = 30 * mm) -> list[Flowable]:
    """A section heading that never sits alone at the bottom of a page: a new page first when
    less than `room` is left (a long table after it still starts on this page)."""
    return [CondPageBreak(room), Paragraph(para_text(title), styles().heading)]


def paragraph(text: str | None, style: ParagraphStyle | None = None) -> Flowable:
    """A Paragraph of user text (escaped, fallback font where needed; right-to-left text
    broken into lines before it is reordered)."""
    st = style or styles().body
    if text and is_rtl(text):
        return RightToLeftParagraph(text, st)
    return Paragraph(para_text(text), st)


# --- dates and amounts ----------------------------------------------------------------------
#
# In the user's locale (cmplanner.formats): `locale` is a locale ("en_US") or a bare language
# ("fr"), the app's by default. Times as print writes them: « 19 h 00 » in French.


def date_text(day: dt.date, locale: str | None = None) -> str:
    """Say « jeudi 3 décembre 2026 », "Thursday, December 3, 2026" (en_US)."""
    return day_text(day, "full", locale)


def time_text(moment: dt.datetime | dt.time, locale: str | None = None) -> str:
    """Say « 19 h 00 », "7:00 PM" (en_US), "19:00" (en_GB)."""
    return formats.time_text(moment, locale, printed=True)


def day_time_text(start: dt.datetime, width: str, *, all_day: bool = False) -> str:
    """A day in `width` (see `formats.day_text`) and its time: « jeu. 19 nov., 19 h 00 »,
    "Thu, Nov 19, 7:00 PM" (en_US); the day alone for an all-day event."""
    day = day_text(start.date(), width)
    return day if all_day else f"{day}, {time_text(start)}"


def time_range_text(
    start: dt.datetime,
    end: dt.datetime | None = None,
    *,
    all_day: bool = False,
    locale: str | None = None,
) -> str:
    """When, for a reader: « jeudi 3 décembre 2026, 19 h 00 – 21 h 30 »,
    "Thursday, December 3, 2026, 7:00 – 9:30 PM" (en_US). Local times in, local text out; for
    an all-day event `end` is the last day itself (inclusive)."""
    if all_day:
        first = date_text(start.date(), locale)
        if end is None or end.date() <= start.date():
            return first
        return f"{first} – {date_text(end.date(), locale)}"
    first = f"{date_text(start.date(), locale)}, "
    if end is None:
        return first + time_text(start, locale)
    if end.date() != start.date():
        return (
            f"{first}{time_text(start, locale)} – {date_text(end.date(), locale)}, "
            f"{time_text(end, locale)}"
        )
    return first + times_text(start, end, locale, printed=True)


def generated_text(locale: str | None = None) -> str:
    """The footer's "Generated on …" with the local date and time."""
    zone = clock.local_zone_name()

    now = utc_to_local(clock.utc_now(), zone)
    return _("Generated on {date} at {time}").format(
        date=date_text(now.date(), locale), time=time_text(now, locale)
    )


# --- tables ---------------------------------------------------------------------------------

CELL_PADDING = 3
TOP_PADDING = 2
BOTTOM_PADDING = 3


@functools.lru_cache(maxsize=4096)
def _fits(text: str, font: str, size: float, room: float) -> bool:
    """`text` fits on one line in `room` points (roles and answers repeat: measured once)."""
    return "\n" not in text and plain_ok(text) and pdfmetrics.stringWidth(text, font, size) <= room


def cell(text: str | None, width: float | None, style: ParagraphStyle | None = None) -> Any:
    """A table cell for user text: a plain string when it fits on one line in DejaVu (fast,
    and a table draws strings literally), else an escaped Paragraph that wraps."""
    st = style or styles().cell
    value = _clean(text or "")
    room = 1e9 if width is None else width - 2 * CELL_PADDING
    if _fits(value, st.fontName, st.fontSize, room):
        return value
    if is_rtl(value):
        return RightToLeftParagraph(value, st)
    return Paragraph(para_text(value), st)


def table(
    rows: Sequence[Sequence[Any]],
    header: Sequence[str],
    col_widths: Sequence[float],
    *,
    zebra: bool = True,
    row_heights: float | None = None,
    extra_style: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table whose header repeats on every page, with zebra rows. Strings in `rows` go
    through `cell` (escaped, wrapped when too long); flowables are kept as they are."""
    st = styles()
    data: list[list[Any]] = [[Paragraph(para_text(h), st.header_cell) for h in header]]
    for row in rows:
        data.append(
            [
                cell(value, col_widths[i]) if isinstance(value, str) or value is None else value
                for i, value in enumerate(row)
            ]
        )
    if row_heights is not None:
        heights: list[float | None] = [None, *([row_heights] * len(rows))]
    else:
        # A row of one-line strings is one leading high: said up front, reportlab need not
        # measure it again at each page break (a 1,000-row list splits 25 times).
        line = st.cell.leading + TOP_PADDING + BOTTOM_PADDING
        heights = [None]
        heights += [
            line if all(isinstance(value, str) for value in row) else None for row in data[1:]
        ]
    result = Table(data, colWidths=list(col_widths), rowHeights=heights, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, st.cell.fontSize, st.cell.leading),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), TOP_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM_PADDING),
    ]
    if zebra and rows:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
    commands.extend(extra_style)
    result.setStyle(TableStyle(commands))
    return result


# --- the document ---------------------------------------------------------------------------


def _fit(text: str, width: float, size: float) -> str:
    """`text` shortened with "…" to fit `width` points in DejaVu at `size`."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _footer_title(title: str, room: float) -> str:
    """The title as the footer draws it (in DejaVu, as a plain string), or "" when it cannot:
    a character DejaVu lacks, or a right-to-left title too long to show whole (cut short
    with "…", its visual order would lose its beginning, not its end)."""
    shown = visual(_clean(title))
    if not all(ord(c) in register_fonts() for c in shown):
        return ""
    if is_rtl(title) and pdfmetrics.stringWidth(shown, FONT, 7.5) > room / 2:
        return ""
    return shown


def _numbered_canvas(footer_left: str) -> type[Canvas]:
    """A canvas that holds its pages until the end, then writes "page/total" and the
    generation line on each (the total is only known then)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _height = self._pagesize
            y = MARGIN - FOOTER_HEIGHT + 2 * mm
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.4)
            self.line(MARGIN, y + 4 * mm, width - MARGIN, y + 4 * mm)
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            number = f"{self._pageNumber}/{total}"
            room = width - 2 * MARGIN - pdfmetrics.stringWidth(number, FONT, 7.5) - 6 * mm
            self.drawString(MARGIN, y, _fit(footer_left, room, 7.5))
            self.drawRightString(width - MARGIN, y, number)
            self.restoreState()

    return NumberedCanvas


class DocTemplate(BaseDocTemplate):
    """One frame on our margins (no inner padding: `doc.width` is exactly what a table may
    take), with room for the footer."""

    def __init__(self, target: Any, *, page: Page, title: str = "") -> None:
        register_fonts()
        super().__init__(
            target,
            pagesize=page.dimensions,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + FOOTER_HEIGHT,
            title=title,
            creator="CM Planner",
            author="",
            subject="",
        )
        self.page = page
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self.progress: _Progress | None = None

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if self.progress is None or not flowables:
            super().handle_flowable(flowables)
            return
        first, length = flowables[0], len(flowables)
        super().handle_flowable(flowables)
        self.progress.placed(first, length, flowables)


# Who hears how far the layout has gone: set by `reporting_progress` around a render, in the
# thread that renders (a context variable, so no render function needs a parameter for it).
_progress: contextvars.ContextVar[Callable[[int, int], None] | None] = contextvars.ContextVar(
    "document_progress", default=None
)


@contextlib.contextmanager
def reporting_progress(callback: Callable[[int, int], None]) -> Iterator[None]:
    """Within this block, every document laid out calls `callback(done, total)` as its
    flowables (paragraphs, table rows split across pages…) are placed; total is an estimate
    reportlab makes before laying out, done never exceeds it."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def _weight(flowable: Flowable) -> int:
    """How much of the layout a flowable stands for: a table counts its rows, so the progress
    of a 1,000-guest list moves page by page rather than jumping at the end."""
    if isinstance(flowable, Table):
        return max(len(getattr(flowable, "_cellvalues", ())), 1)
    return 1


def _hook_progress(doc: DocTemplate, flowables: list[Flowable]) -> None:
    callback = _progress.get()
    if callback is not None:
        doc.progress = _Progress(callback, sum(_weight(f) for f in flowables))


class _Progress:
    def __init__(self, callback: Callable[[int, int], None], total: int) -> None:
        self.callback = callback
        self.total = max(total, 1)
        self.done = 0

    def placed(self, first: Flowable, length_before: int, flowables: list[Flowable]) -> None:
        """`first` was laid out; what a split put back is at the head of `flowables`."""
        put_back = flowables[: max(len(flowables) - (length_before - 1), 0)]
        self.done += _weight(first) - sum(_weight(f) for f in put_back)
        self.done = min(max(self.done, 0), self.total)
        self.callback(self.done, self.total)


def build_pdf(
    build: Callable[[DocTemplate], list[Flowable]],
    *,
    page: str | Page = "A4",
    title: str = "",
    footer: str | None = None,
) -> bytes:
    """Lay out the flowables `build(doc)` returns and give the PDF bytes. The footer carries
    `footer` (by default the title and the generation date) on the left, "1/3" on the right."""
    paper = page if isinstance(page, Page) else Page(page)
    buffer = io.BytesIO()
    doc = DocTemplate(buffer, page=paper, title=title)
    flowables = build(doc)
    _hook_progress(doc, flowables)
    if footer is None:
        shown = _footer_title(title, paper.dimensions[0] - 2 * MARGIN)
        footer = " · ".join(part for part in (shown, generated_text()) if part)
    with _binary_streams():
        doc.build(flowables, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Compressed page streams written as binary, not ASCII85 text (reportlab's default):
    a quarter smaller and quicker to write; every PDF reader takes them."""
    # imported on use, not at the top: keeps it off the start-up path
    from reportlab import rl_config

    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def write_pdf(
    path: str | Path,
    build: Callable[[DocTemplate], list[Flowable]] | bytes,
    *,
    page: str | Page = "A4",
    title: str = "",
) -> Path:
    """Write a PDF atomically (a temp file beside it, then renamed): either bytes already
    rendered, or a `build` callable as for build_pdf. Raises ExportFailed when it cannot."""

    data = build if isinstance(build, bytes) else build_pdf(build, page=page, title=title)
    target = Path(path)
    write_export(target, data)
    return target
