"""The sign-in sheet, as the CM passes it round: who is on it, in which order, with room to
sign, and codes the check-in screen takes back."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import socket
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from cmplanner.cli.main import main
from cmplanner.documents import signin
from cmplanner.errors import NotFound
from cmplanner.i18n import set_language
from cmplanner.model import EventCreate
from cmplanner.services import contacts, events, guest_sheets, guests
from cmplanner.services.contact_data import AffiliationData, ContactData
from cmplanner.storage import Database

HOSTILE = 'Q&A <b>Meetup</b> <img src="http://127.0.0.1:9/x.png"/>'
PEOPLE = [  # given, family, organization — deliberately not in order
    ("Zoé", "Zimmer", "Zèbre & Cie"),
    ("Émile", "Éluard", "Café Mokxa"),
    ("Ελένη", "Παπαδοπούλου", "Πανεπιστήμιο"),
    ("Дмитрий", "Шостакович", "Консерватория"),
    ("小龍", "李", "東京大学"),
    ("Hélène", "Dœuf", "<b>Asso</b>"),
    ("Arthur", "east", ""),
]


def pages(data: bytes) -> list[Any]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(p.extract_text() or "", p.extract_words(), float(p.height)) for p in pdf.pages]


def text_of(data: bytes) -> str:
    return "\n".join(t for t, _w, _h in pages(data))


def make_event(db: Database, title: str = HOSTILE) -> int:
    read, _changes = events.create_event(
        db,
        EventCreate(
            title=title,
            start_local=dt.datetime(2026, 12, 3, 19, 0),
            end_local=dt.datetime(2026, 12, 3, 21, 30),
            timezone="Europe/Paris",
        ),
    )
    return read.id


def person(db: Database, given: str, family: str, org: str) -> int:
    affiliations = (AffiliationData(org),) if org else ()
    data = ContactData(given_name=given, family_name=family, affiliations=affiliations)
    return contacts.create_contact(db, data)[0]


@pytest.fixture
def event(empty_db: Database, frozen_clock: dt.datetime) -> int:
    event_id = make_event(empty_db)
    ids = [person(empty_db, g, f, o) for g, f, o in PEOPLE]
    guests.add_guests(empty_db, event_id, ids)
    return event_id


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a document tried to reach the network: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_every_name_and_organization_prints_in_every_script(empty_db: Database, event: int) -> None:
    set_language("fr")
    text = text_of(signin.render(empty_db, event))
    for given, family, org in PEOPLE:
        assert given in text and family in text and org in text
    assert "FEUILLE D’ÉMARGEMENT" in text
    assert "jeudi 3 décembre 2026, 19 h 00 – 21 h 30" in text


def test_user_text_prints_literally_and_nothing_is_fetched(empty_db: Database, event: int) -> None:
    text = text_of(signin.render(empty_db, event))
    assert "Q&A <b>Meetup</b>" in text
    assert '<img src="http://127.0.0.1:9/x.png"/>' in text
    assert "<b>Asso</b>" in text


def test_guests_sorted_by_family_name_accents_ignored(empty_db: Database, event: int) -> None:
    printed = [g.family_name for g in guest_sheets.printed_guests(empty_db, event)]
    assert printed[:4] == ["Dœuf", "east", "Éluard", "Zimmer"]  # É with the Es, case ignored
    text = text_of(signin.render(empty_db, event))
    positions = [text.index(name) for name in printed]
    assert positions == sorted(positions)


def test_declined_guests_are_left_off(empty_db: Database, event: int) -> None:
    zoe = next(g for g in guest_sheets.printed_guests(empty_db, event) if g.given_name == "Zoé")
    guests.set_rsvp(empty_db, zoe.invitation_id, "declined")
    assert "Zimmer" not in text_of(signin.render(empty_db, event))


def test_codes_are_printed_beside_their_guest(empty_db: Database, event: int) -> None:
    data = signin.render(empty_db, event)
    (_text, words, _height), *_rest = pages(data)
    for guest in guest_sheets.printed_guests(empty_db, event):
        code = next(w for w in words if w["text"] == guest.code)
        # 李小龍 is one word: written together, family name first.
        family = next(w for w in words if w["text"] in (guest.family_name.split()[0], guest.name))
        assert abs(code["top"] - family["top"]) < 4  # on the same row


def test_rows_are_tall_enough_to_sign_and_walk_in_rows_follow(
    empty_db: Database, event: int
) -> None:
    set_language("en")
    data = signin.render(empty_db, event, walk_in_rows=5)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        codes = [g.code for g in guest_sheets.printed_guests(empty_db, event)]
        tops = [next(w["top"] for w in words if w["text"] == c) for c in codes]
        gaps = [b - a for a, b in itertools.pairwise(tops)]
        assert min(gaps) >= 12 * 72 / 25.4  # 12 mm at least between rows
        assert "Not on the list? Write your name here:" in (page.extract_text() or "")
        # Below the walk-in heading: the rules of 5 empty rows.
        heading = next(w["top"] for w in words if w["text"] == "Not")
        rules = {round(e["top"]) for e in page.horizontal_edges if e["top"] > heading + 5}
        assert len(rules) >= 5


def test_the_event_heads_every_page(empty_db: Database, frozen_clock: dt.datetime) -> None:
    set_language("en")
    event_id = make_event(empty_db, "Grande soirée")
    ids = [person(empty_db, f"Person{n:02}", f"Family{n:02}", "Org") for n in range(45)]
    guests.add_guests(empty_db, event_id, ids)
    data = signin.render(empty_db, event_id)
    found = pages(data)
    assert len(found) >= 3
    for text, _words, _height in found:
        assert "Grande soirée" in text
        assert "Thursday, 3 December 2026, 19:00–21:30" in text  # no region said: en_GB
        assert "Signature" in text
    assert f"1/{len(found)}" in found[0][0]
    every = "\n".join(t for t, _w, _h in found)
    assert all(f"Family{n:02}" in every for n in range(45))


def test_empty_guest_list_still_gives_walk_in_rows(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    set_language("en")
    text = text_of(signin.render(empty_db, make_event(empty_db, "Nobody yet")))
    assert "Nobody yet" in text and "Not on the list?" in text and "0 guests" in text


def test_a_series_occurrence_gets_its_own_date(
    demo_db: Database, frozen_clock: dt.datetime
) -> None:
    set_language("fr")
    apero = 1  # weekly on Thursdays in the demo
    occurrence = dt.datetime(2026, 11, 26, 19, 0)
    details = events.event_details(demo_db, apero)
    start = dt.datetime.fromisoformat(details["start"])
    occurrence = occurrence.replace(hour=start.hour, minute=start.minute)
    text = text_of(signin.render(demo_db, apero, occurrence))
    assert "jeudi 26 novembre 2026" in text


def test_a_series_prints_todays_date_by_default(
    demo_db: Database, frozen_clock: dt.datetime
) -> None:
    set_language("fr")
    text = text_of(signin.render(demo_db, 1))  # the weekly apéro; the frozen today is Thursday
    assert "jeudi 19 novembre 2026" in text
    far = dt.datetime(2028, 3, 2, 19, 0)  # beyond the coming year: its own date all the same
    details = events.event_details(demo_db, 1)
    start = dt.datetime.fromisoformat(details["start"])
    far = far.replace(hour=start.hour, minute=start.minute)
    assert "jeudi 2 mars 2028" in text_of(signin.render(demo_db, 1, far))


def test_qpdf_finds_the_file_sound(empty_db: Database, event: int, tmp_path: Path) -> None:
    target = tmp_path / "signin.pdf"
    target.write_bytes(signin.render(empty_db, event))
    result = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_event(empty_db: Database) -> None:
    with pytest.raises(NotFound):
        signin.render(empty_db, 999)


def test_cli_writes_the_sheet(
    empty_db: Database, event: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language("en")
    path = empty_db.path
    empty_db.close()
    target = tmp_path / "sheet.pdf"
    assert main(["--db", str(path), "events", "signin", str(event), "-o", str(target)]) == 0
    assert "Sign-in sheet written to" in capsys.readouterr().out
    assert "Zimmer" in text_of(target.read_bytes())
    missing = tmp_path / "none.pdf"
    assert main(["--db", str(path), "events", "signin", "999", "-o", str(missing)]) == 2
    assert "999" in capsys.readouterr().err
    assert not missing.exists()


def test_cli_prints_a_chosen_date_of_a_series_on_letter_paper(
    demo_path: Path, frozen_clock: dt.datetime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language("en")
    db = ["--db", str(demo_path)]
    target = tmp_path / "sheet.pdf"
    args = [*db, "events", "signin", "1", "-o", str(target)]  # the weekly apéro
    assert main([*args, "--occurrence", "2026-12-10", "--page", "Letter"]) == 0
    with pdfplumber.open(target) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (612, 792)
        assert "Thursday, 10 December 2026" in (pdf.pages[0].extract_text() or "")
    capsys.readouterr()
    wrong = tmp_path / "wrong.pdf"
    assert main([*db, "events", "signin", "1", "-o", str(wrong), "--occurrence", "2026-12-04"]) == 2
    assert "4" in capsys.readouterr().err and not wrong.exists()  # a Friday: no apéro
    assert main([*db, "events", "signin", "1", "-o", str(wrong), "--occurrence", "3/12"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err and not wrong.exists()
