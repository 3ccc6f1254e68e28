"""The documents' shared base: safe text, fonts for every script, page sizes, dates."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from cmplanner import formats
from cmplanner.documents import base
from cmplanner.errors import ValidationError
from cmplanner.i18n import set_language

HOSTILE = 'Q&A <b>Meetup</b> <img src="http://127.0.0.1:9/x.png"/>'
NAMES = [
    "Hélène Dœuf-Ñúñez",
    "Ελένη Παπαδοπούλου",
    "Дмитрий Шостакович",
    "李小龍",
    "山田太郎",
    "김민지",
]


def text_of(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def sizes_of(data: bytes) -> list[tuple[float, float]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(round(float(p.width)), round(float(p.height))) for p in pdf.pages]


def test_user_text_is_escaped_and_cjk_goes_to_the_fallback_font() -> None:
    assert base.para_text("a & b <i>") == "a &amp; b &lt;i&gt;"
    assert base.para_text("李 Жуков") == '<font name="DroidFallback">李</font> Жуков'
    assert base.para_text("김민준 Kim") == '<font name="NanumGothic">김민준</font> Kim'
    assert base.para_text("ㄱ 李") == (
        '<font name="NanumGothic">ㄱ</font> <font name="DroidFallback">李</font>'
    )
    assert base.para_text("one\ntwo") == "one<br/>two"
    assert base.para_text("bell\x07") == "bell "
    assert base.para_text("\U0010fffd") == "\N{REPLACEMENT CHARACTER}"  # no font has it


def test_hostile_title_prints_literally_and_nothing_is_fetched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a document tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    data = base.build_pdf(
        lambda doc: [
            base.paragraph(HOSTILE, base.styles().title),
            base.table([[HOSTILE, "x"]], ["A", "B"], [doc.width * 0.8, doc.width * 0.2]),
        ],
        title=HOSTILE,
    )
    text = text_of(data)[0]
    assert text.count("Q&A <b>Meetup</b>") >= 2
    assert '<img src="http://127.0.0.1:9/x.png"/>' in text


def test_every_script_is_extracted_back_and_qpdf_accepts_the_file(tmp_path: Path) -> None:
    rows = [[name, "Organisation"] for name in NAMES]
    path = base.write_pdf(
        tmp_path / "names.pdf",
        lambda doc: [
            base.paragraph(" · ".join(NAMES)),
            base.table(rows, ["Name", "Org"], [doc.width / 2, doc.width / 2]),
        ],
        title="Names",
    )
    text = text_of(path.read_bytes())[0]
    for name in NAMES:  # the Korean name too: whole syllables, not its letters spelled out
        assert text.count(name) >= 2, name
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_long_table_repeats_its_header_and_numbers_its_pages() -> None:
    rows = [[f"Person {i:03}", "Org"] for i in range(150)]
    data = base.build_pdf(
        lambda doc: [base.table(rows, ["Guest name", "Org"], [doc.width / 2, doc.width / 2])]
    )
    pages = text_of(data)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Guest name" in text.splitlines()[0]
        assert f"{number}/{len(pages)}" in text
    assert "Person 149" in pages[-1]


def test_a4_and_letter_page_sizes() -> None:
    def story(doc: base.DocTemplate) -> list[object]:
        return [base.paragraph("x")]

    assert sizes_of(base.build_pdf(story, page="A4")) == [(595, 842)]
    assert sizes_of(base.build_pdf(story, page="Letter")) == [(612, 792)]
    with pytest.raises(ValidationError):
        base.Page("A5")


@pytest.mark.parametrize(
    ("language", "system", "expected"),
    [
        ("fr", "fr_FR", "jeudi 3 décembre 2026, 19 h 00 – 21 h 30"),
        ("en", "en_US", "Thursday, December 3, 2026, 7:00\u2009–\u20099:30\u202fPM"),
        ("en", "en_GB", "Thursday, 3 December 2026, 19:00–21:30"),
    ],
)
def test_when_reads_as_the_issue_writes_it(
    region: Callable[[str], None], language: str, system: str, expected: str
) -> None:
    """In the language's words, on the region's clock; French keeps its printed « 19 h 00 »."""
    start, end = dt.datetime(2026, 12, 3, 19, 0), dt.datetime(2026, 12, 3, 21, 30)
    assert base.time_range_text(start, end, locale=system) == expected
    region(system)
    set_language(language)
    assert base.time_range_text(start, end) == expected


def test_other_time_ranges(region: Callable[[str], None]) -> None:
    morning, noon = dt.datetime(2026, 12, 3, 11, 0), dt.datetime(2026, 12, 3, 13, 30)
    assert base.time_range_text(morning, noon, locale="en_US").endswith(
        "11:00\u202fAM\u2009–\u20091:30\u202fPM"
    )
    assert base.time_range_text(morning, noon, locale="en_GB").endswith(", 11:00–13:30")
    day, last = dt.datetime(2026, 12, 3), dt.datetime(2026, 12, 4)
    assert base.time_range_text(day, day, all_day=True, locale="fr") == "jeudi 3 décembre 2026"
    assert base.time_range_text(day, last, all_day=True, locale="en") == (
        "Thursday, 3 December 2026 – Friday, 4 December 2026"  # no region said: en_GB
    )
    region("en_US")
    assert base.time_range_text(day, last, all_day=True, locale="en") == (
        "Thursday, December 3, 2026 – Friday, December 4, 2026"
    )
    assert formats.money_text(123450, "fr") == "1\u202f234,50\xa0€"
    assert formats.money_text(123450, "en") == "€1,234.50"


def test_progress_follows_the_rows_of_a_long_table() -> None:
    """The preview's progress bar: a 1,000-row table reports page by page, ending at the
    total, and nothing is reported outside `reporting_progress`."""
    seen: list[tuple[int, int]] = []

    def build(doc: base.DocTemplate) -> list:
        rows = [[f"Guest {i}", "Org"] for i in range(1000)]
        return [base.paragraph("Guests"), base.table(rows, ["Name", "Org"], [80, 80])]

    with base.reporting_progress(lambda done, total: seen.append((done, total))):
        base.build_pdf(build, title="Progress")
    totals = {total for _, total in seen}
    assert totals == {1002}
    dones = [done for done, _ in seen]
    assert dones == sorted(dones)
    assert dones[-1] == 1002
    assert len({d for d in dones if 0 < d < 1002}) >= 10  # moves page by page, not one jump
    count = len(seen)
    base.build_pdf(build, title="Progress")
    assert len(seen) == count
