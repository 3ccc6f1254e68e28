"""Badges: names in every script, a colour band by role, crop marks, the layouts."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from cmplanner.cli.main import main
from cmplanner.documents import badges
from cmplanner.errors import ValidationError
from cmplanner.i18n import set_language
from cmplanner.services import guest_sheets, guests
from cmplanner.storage import Database
from tests.documents.test_signin import PEOPLE, make_event, person

MM = 72 / 25.4


@pytest.fixture
def event(empty_db: Database, frozen_clock: dt.datetime) -> int:
    event_id = make_event(empty_db)
    ids = [person(empty_db, g, f, o) for g, f, o in PEOPLE]
    guests.add_guests(empty_db, event_id, ids)
    first = guest_sheets.printed_guests(empty_db, event_id)[0]
    guests.set_role(empty_db, first.invitation_id, "speaker")
    return event_id


def crowd(db: Database, count: int) -> int:
    event_id = make_event(db, "Grande soirée")
    ids = [person(db, f"Person{n:02}", f"Family{n:02}", "Org") for n in range(count)]
    guests.add_guests(db, event_id, ids)
    return event_id


def test_names_organizations_and_roles_print(empty_db: Database, event: int) -> None:
    set_language("fr")
    data = badges.render(empty_db, event)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    for given, family, org in PEOPLE:
        assert given in text and family in text and org in text
    assert "INTERVENANT" in text and "INVITÉ" in text  # the role, in its band
    assert "Q&A <b>Meetup</b>" in text  # the event, literally


@pytest.mark.parametrize(("layout", "per_page"), [("8-up", 8), ("6-up", 6), ("4-up", 4)])
def test_badges_per_page(
    empty_db: Database, frozen_clock: dt.datetime, layout: str, per_page: int
) -> None:
    set_language("en")
    count = per_page * 2 + 1
    data = badges.render(empty_db, crowd(empty_db, count), layout)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 3
        assert all((round(float(p.width)), round(float(p.height))) == (595, 842) for p in pdf.pages)
        on_page = [
            sum(w["text"].startswith("Family") for w in p.extract_words()) for p in pdf.pages
        ]
    assert on_page == [per_page, per_page, 1]


@pytest.mark.parametrize("layout", list(badges.LAYOUTS))
def test_badges_fit_the_sheet_with_crop_marks(
    empty_db: Database, frozen_clock: dt.datetime, layout: str
) -> None:
    grid = badges.LAYOUTS[layout]
    data = badges.render(empty_db, crowd(empty_db, grid.per_page), layout)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        width, height = float(page.width), float(page.height)
        left = (width - grid.columns * grid.width) / 2
        top = (height - grid.rows * grid.height) / 2
        assert left >= 5 * MM and top >= 5 * MM  # room for the marks, nothing cut
        marks = [
            line
            for line in page.lines
            if abs(float(line["x1"]) - float(line["x0"]))
            + abs(float(line["bottom"]) - float(line["top"]))
            == pytest.approx(badges.CROP_MARK, abs=0.1)
        ]
        # One mark at each end of every cut line.
        assert len(marks) == 2 * (grid.columns + 1) + 2 * (grid.rows + 1)
        for mark in marks:  # all outside the badges
            outside_x = float(mark["x1"]) <= left + 0.1 or float(mark["x0"]) >= width - left - 0.1
            outside_y = (
                float(mark["bottom"]) <= top + 0.1 or float(mark["top"]) >= height - top - 0.1
            )
            assert outside_x or outside_y


def test_a_long_name_shrinks_to_fit(empty_db: Database, frozen_clock: dt.datetime) -> None:
    event_id = make_event(empty_db, "Long")
    long = person(empty_db, "Marie-Clémentine-Eugénie", "de La Tour d'Auvergne-Lauraguais", "")
    short = person(empty_db, "Léa", "Roy", "")
    guests.add_guests(empty_db, event_id, [long, short])
    data = badges.render(empty_db, event_id, "8-up")
    grid = badges.LAYOUTS["8-up"]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        left = (float(page.width) - grid.columns * grid.width) / 2
        chars = page.chars
        sizes = {c["text"]: c["size"] for c in chars if c["text"] in "LR"}
        assert sizes["R"] > sizes["L"]  # Roy large, the long name smaller
        top = (float(page.height) - grid.rows * grid.height) / 2
        first_badge = [
            c for c in chars if c["x0"] < left + grid.width and top < c["top"] < top + grid.height
        ]
        assert len(first_badge) > 40
        assert all(left <= c["x0"] and c["x1"] <= left + grid.width for c in first_badge)


def test_unknown_layout_lists_the_layouts(empty_db: Database, event: int) -> None:
    set_language("en")
    with pytest.raises(ValidationError) as raised:
        badges.render(empty_db, event, "12-up")
    assert "12-up" in str(raised.value)
    for name in badges.LAYOUTS:
        assert name in str(raised.value)


def test_no_guests_is_said(empty_db: Database, frozen_clock: dt.datetime) -> None:
    set_language("en")
    with pytest.raises(ValidationError, match="no guests"):
        badges.render(empty_db, make_event(empty_db, "Empty"))


def test_qpdf_finds_the_file_sound(empty_db: Database, event: int, tmp_path: Path) -> None:
    for layout in badges.LAYOUTS:
        target = tmp_path / f"{layout}.pdf"
        target.write_bytes(badges.render(empty_db, event, layout))
        result = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_cli_layouts(
    empty_db: Database, event: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language("en")
    path = empty_db.path
    empty_db.close()
    db = ["--db", str(path)]
    target = tmp_path / "badges.pdf"
    assert main([*db, "events", "badges", str(event), "-o", str(target)]) == 0
    assert "Badges written to" in capsys.readouterr().out
    assert target.read_bytes().startswith(b"%PDF")
    six = tmp_path / "six.pdf"
    assert main([*db, "events", "badges", str(event), "-o", str(six), "--layout", "6-up"]) == 0
    with pdfplumber.open(six) as pdf:
        assert len(pdf.pages) == 2  # 7 guests, 6 a sheet
    bad = tmp_path / "bad.pdf"
    assert main([*db, "events", "badges", str(event), "-o", str(bad), "--layout", "9"]) == 2
    err = capsys.readouterr().err
    assert "8-up" in err and "6-up" in err and not bad.exists()


def test_a_long_event_title_stays_on_one_line(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    event_id = make_event(empty_db, "Très longue soirée " * 12)
    guests.add_guests(empty_db, event_id, [person(empty_db, "Léa", "Roy", "")])
    data = badges.render(empty_db, event_id, "8-up")
    grid = badges.LAYOUTS["8-up"]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        small = [c for c in page.chars if round(c["size"]) == 7]
        assert small and len({round(c["top"]) for c in small}) == 1
        badge_bottom = (float(page.height) - grid.rows * grid.height) / 2 + grid.height
        assert all(c["bottom"] <= badge_bottom for c in small)
        assert "…" in "".join(c["text"] for c in small)


def test_cli_badges_of_one_date_of_a_series(
    demo_path: Path, frozen_clock: dt.datetime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cmplanner.cli.documents import BADGE_LAYOUTS

    assert set(BADGE_LAYOUTS) == set(badges.LAYOUTS) and BADGE_LAYOUTS[0] == badges.DEFAULT_LAYOUT
    set_language("en")
    target = tmp_path / "badges.pdf"
    args = ["--db", str(demo_path), "events", "badges", "1", "-o", str(target)]
    assert main([*args, "--occurrence", "2026-12-03"]) == 0
    assert target.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main([*args, "--occurrence", "2026-12-04"]) == 2
    assert "no occurrence" in capsys.readouterr().err
