"""Korean, Arabic and Hebrew in the printed documents: Korean in whole syllables (its own
font), Arabic letters joined, both right-to-left scripts laid out right to left, Latin mixed
in where it belongs; the fonts shipped with their licences."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from cmplanner.documents import badges, base, brief, signin
from cmplanner.i18n import set_language
from cmplanner.paths import resources_dir
from cmplanner.services import guests
from cmplanner.storage import Database
from tests.documents.test_signin import make_event, person

TITLE = "Soirée des cultures — ليلة الثقافات"
PEOPLE = [  # given, family, organization
    ("민준", "김", "서울대학교"),
    ("محمد", "الأحمد", "جمعية الثقافة — Paris"),
    ("דוד", "כהן", "אוניברסיטת תל אביב"),
    ("Émile", "Éluard", "Café Mokxa"),
]
# محمد as the page draws it, left to right: final dal, medial meem, medial hah, initial meem.
MOHAMMED_DRAWN = "\ufeaa\ufee4\ufea4\ufee3"


def words_of(data: bytes) -> list[dict[str, Any]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [w for page in pdf.pages for w in page.extract_words(extra_attrs=["fontname"])]


def text_of(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def read_right_to_left(drawn: str) -> str:
    """What a reader reads in a word drawn right to left in joined forms: its glyphs from
    right to left, each joined form taken back to its letter (NFKC does that)."""
    return unicodedata.normalize("NFKC", drawn[::-1])


def is_arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff" for c in word)


def is_hebrew(word: str) -> bool:
    return any("\u0590" <= c <= "\u05ff" for c in word)


def line_with(words: list[dict[str, Any]], text: str) -> list[str]:
    """The words on the line that holds `text`, from left to right."""
    (anchor,) = [w for w in words if w["text"] == text][:1]
    same = [w for w in words if abs(w["top"] - anchor["top"]) < 2]
    return [w["text"] for w in sorted(same, key=lambda w: w["x0"])]


def qpdf_accepts(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.fixture
def event(empty_db: Database, frozen_clock: dt.datetime) -> int:
    set_language("fr")
    event_id = make_event(empty_db, TITLE)
    guests.add_guests(empty_db, event_id, [person(empty_db, g, f, o) for g, f, o in PEOPLE])
    return event_id


def test_sign_in_sheet_prints_korean_syllables_and_joined_right_to_left_names(
    empty_db: Database, event: int, tmp_path: Path
) -> None:
    data = signin.render(empty_db, event)
    words = words_of(data)
    shown = {w["text"] for w in words}
    text = text_of(data)

    # Korean: whole syllables in NanumGothic (embedded as a subset), no letters spelled out;
    # the name written as Koreans write it, family name first with no space.
    assert {"김민준", "서울대학교"} <= shown
    assert not any("\u3131" <= c <= "\u318e" or "\u1100" <= c <= "\u11ff" for c in text)
    (kim,) = [w for w in words if w["text"] == "김민준"]
    assert "+NanumGothic" in kim["fontname"]

    # Arabic: every letter drawn in a joined form, none as the bare (isolated, unjoined) letter;
    # محمد from left to right is final dal … initial meem: its first letter is on the right.
    assert not any("\u0600" <= c <= "\u06ff" for c in text)
    assert MOHAMMED_DRAWN in shown
    arabic = {read_right_to_left(w) for w in shown if is_arabic(w)}
    assert {"محمد", "الأحمد", "جمعية", "الثقافة", "ليلة", "الثقافات"} <= arabic
    # The organization reads right to left, Paris last, so on the left.
    org = line_with(words, "Paris")
    org = org[org.index("Paris") :]
    assert org[:2] == ["Paris", "—"]
    assert [read_right_to_left(w) for w in org[2:4]] == ["الثقافة", "جمعية"]

    # Hebrew: each word's first letter on the right, and the words right to left.
    hebrew = {w[::-1] for w in shown if is_hebrew(w)}
    assert {"דוד", "כהן", "אוניברסיטת", "תל", "אביב"} <= hebrew
    line = line_with(words, "לת")
    university = [w[::-1] for w in line[line.index("ביבא") :]]  # the name is on its left
    assert university == ["אביב", "תל", "אוניברסיטת"]  # left to right on the page

    # A right-to-left name reads from the right as written: the given name محمد on the right.
    name = [w for w in line_with(words, MOHAMMED_DRAWN) if is_arabic(w)]
    assert [read_right_to_left(w) for w in name][:2] == ["الأحمد", "محمد"]  # name column first

    # Latin as before, and nothing unprintable.
    assert "Éluard" in shown and "\ufffd" not in text
    qpdf_accepts(data, tmp_path)


def test_badge_of_an_arabic_name_reads_right_to_left(
    empty_db: Database, event: int, tmp_path: Path
) -> None:
    data = badges.render(empty_db, event)
    words = words_of(data)
    # The badge says "محمد الأحمد": read from the right, محمد first, so it is on the right.
    line = [w for w in line_with(words, MOHAMMED_DRAWN) if is_arabic(w)]
    assert [read_right_to_left(w) for w in line] == ["الأحمد", "محمد"]
    assert "김민준" in {w["text"] for w in words}  # family name first, as Korean is written
    qpdf_accepts(data, tmp_path)


def test_brief_guest_list_with_korean_arabic_and_hebrew(
    empty_db: Database, event: int, tmp_path: Path
) -> None:
    data = brief.render(empty_db, event)
    shown = {w["text"] for w in words_of(data)}
    assert {"김민준", MOHAMMED_DRAWN, "דוד"[::-1], "כהן"[::-1]} <= shown
    assert "\ufffd" not in text_of(data)
    qpdf_accepts(data, tmp_path)


def test_right_to_left_text_in_visual_order_latin_and_numbers_kept() -> None:
    # An Arabic phrase ending in a Latin word: the Latin word ends up on the left.
    assert base.para_text("جمعية الثقافة — Paris").startswith("Paris — ")
    # Numbers inside right-to-left text keep their own left-to-right order.
    assert base.para_text("مكتب 12").startswith("12 ")
    # Each line on its own, escaped after reordering.
    assert base.para_text("כהן & Cie\nline") == "Cie &amp; ןהכ<br/>line"
    # Hebrew needs no joining: the same letters, reversed.
    assert base.para_text("דוד כהן") == "ןהכ דוד"


def test_text_without_right_to_left_letters_is_left_as_it_is() -> None:
    latin = "Hélène Dœuf — Café & Cie"
    assert base.visual(latin) is latin  # not even copied: the common case costs nothing
    assert base.plain_ok(latin)
    assert not base.plain_ok("محمد")  # a table cell sends it through para_text to be joined
    assert not base.plain_ok("דוד")


def test_a_letter_no_font_has_prints_a_mark_and_never_crashes(tmp_path: Path) -> None:
    # Urdu's yeh barree: DejaVu has no form of it, nor does any other shipped font.
    assert base.para_text("ے") == "\ufffd"
    data = base.build_pdf(lambda doc: [base.paragraph("ہے محمد \U0010fffd 김")], title="ے")
    text = text_of(data)
    assert "\ufffd" in text and "김" in text and MOHAMMED_DRAWN in text
    qpdf_accepts(data, tmp_path)


def test_footer_shows_a_right_to_left_title_in_visual_order() -> None:
    data = base.build_pdf(lambda doc: [base.paragraph("x")], title="ليلة الثقافات")
    footer = text_of(data).splitlines()[-1]
    assert read_right_to_left(footer.split(" · ")[0]) == "ليلة الثقافات"


def test_korean_font_is_embedded_as_a_subset_not_whole(tmp_path: Path) -> None:
    def pdf(name: str) -> bytes:
        return base.build_pdf(
            lambda doc: [base.table([[name, "Org"]], ["Name", "Org"], [doc.width / 2] * 2)],
            title="x",
        )

    latin, korean = pdf("Jean Dupont"), pdf("김민준")
    # The font file is 4.7 MB; the glyphs of three syllables weigh a few kilobytes.
    assert len(korean) - len(latin) < 20_000
    assert "김민준" in text_of(korean)


def test_korean_font_is_shipped_as_truetype_with_its_licence() -> None:
    folder = resources_dir() / "fonts"
    font = (folder / "NanumGothic.ttf").read_bytes()
    # TrueType outlines (what reportlab's TTFont reads): version 1.0 and a glyf table, no CFF.
    assert font[:4] == b"\x00\x01\x00\x00"
    tables = {font[12 + 16 * i : 16 + 16 * i] for i in range(int.from_bytes(font[4:6], "big"))}
    assert b"glyf" in tables and b"CFF " not in tables
    licence = (folder / "LICENSE-NanumGothic.txt").read_text()
    assert "SIL Open Font License" in licence and "NAVER" in licence
    readme = (folder / "README.md").read_text()
    assert "NanumGothic" in readme
    for licence_file in sorted(folder.glob("LICENSE-*.txt")):
        assert licence_file.name in readme


HEBREW_WORDS = [a + b for a in "אבגדהוזחטי" for b in "כלמנסעפצקר"]  # 100 different words


def reading_order(words: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Right-to-left lines as a reader takes them: top to bottom, each from the right."""
    return sorted(words, key=lambda w: (round(w["top"]), -w["x0"]))


@pytest.mark.parametrize("as_cell", [False, True])
def test_a_long_right_to_left_paragraph_wraps_in_reading_order(
    as_cell: bool, tmp_path: Path
) -> None:
    text = " ".join(HEBREW_WORDS)
    if as_cell:  # a narrow table column: a cell that wraps
        story = [base.table([[base.cell(text, 60 * base.mm), "x"]], ["A", "B"], [60 * base.mm, 20])]
    else:
        story = [base.paragraph(text)]
    data = base.build_pdf(lambda doc: story, title="t")
    words = [w for w in words_of(data) if is_hebrew(w["text"])]
    lines = sorted({round(w["top"]) for w in words})
    assert len(lines) >= 3  # it did wrap
    # Read top to bottom, right to left: the words come back in the order they were written
    # (reordering the whole text before wrapping gave the last words on the first line).
    assert [w["text"][::-1] for w in reading_order(words)] == HEBREW_WORDS
    # Aligned right: every line ends on the same right edge.
    rights = {top: max(w["x1"] for w in words if round(w["top"]) == top) for top in lines}
    assert max(rights.values()) - min(rights.values()) < 1
    qpdf_accepts(data, tmp_path)


def test_a_long_arabic_paragraph_starts_on_the_right_of_its_first_line() -> None:
    first, last = "نلتقي", "الإلكتروني"
    text = " ".join([first, *["كل شهر في المقهى الثقافي لنتحدث عن الكتب"] * 6, last])
    data = base.build_pdf(lambda doc: [base.paragraph(text)], title="t")
    words = [w for w in words_of(data) if is_arabic(w["text"])]
    ordered = reading_order(words)
    assert read_right_to_left(ordered[0]["text"]) == first
    assert read_right_to_left(ordered[-1]["text"]) == last
    assert len({round(w["top"]) for w in words}) >= 2


def test_the_base_direction_and_the_lines_in_reading_order() -> None:
    assert base.starts_right_to_left("מילה and more")
    assert not base.starts_right_to_left("12 — Paris מילה")
    assert not base.starts_right_to_left("")
    assert base.logical_lines("אבג דהו זחט", 1e6, base.FONT, 10) == ["אבג דהו זחט"]
    assert base.logical_lines("אבג\nדהו", 1e6, base.FONT, 10) == ["אבג", "דהו"]
