"""The event brief, as a CM prints it: what it says, in which language, on which paper."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from cmplanner.cli.main import main
from cmplanner.documents import brief
from cmplanner.errors import NotFound
from cmplanner.i18n import set_language
from cmplanner.model import EventCreate
from cmplanner.services import contacts, events, guests, preferences, tasks
from cmplanner.services.contact_data import AffiliationData, ContactData, Labelled
from cmplanner.services.event_extras import (
    BudgetLineData,
    EventExtras,
    TeamMemberData,
    replace_extras,
)
from cmplanner.storage import Database

HOSTILE = 'Q&A <b>Meetup</b> <img src="http://127.0.0.1:9/x.png"/>'
PEOPLE = [
    ("Hélène", "Dœuf", "Café Mokxa"),
    ("Ελένη", "Παπαδοπούλου", "Πανεπιστήμιο"),
    ("Дмитрий", "Шостакович", "Консерватория"),
    ("小龍", "李", "東京大学"),
]


def pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def page_size(data: bytes) -> tuple[int, int]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return round(float(pdf.pages[0].width)), round(float(pdf.pages[0].height))


def _event(
    db: Database, title: str = "Meetup des ambassadeurs", rrule: str = "", day: int = 3
) -> int:
    read, _ = events.create_event(
        db,
        EventCreate(
            title=title,
            start_local=dt.datetime(2026, 12 if day == 3 else 11, day, 19, 0),
            end_local=dt.datetime(2026, 12 if day == 3 else 11, day, 21, 30),
            timezone="Europe/Paris",
            objective="Rencontrer la communauté",
            description="19 h : accueil\n20 h : démonstrations",
            rrule=rrule,
        ),
    )
    return read.id


def _person(db: Database, given: str, family: str, org: str, n: int) -> int:
    data = ContactData(
        given_name=given,
        family_name=family,
        emails=(Labelled(f"p{n}@example.org"),),
        phones=(Labelled(f"+33 6 12 34 56 {n:02}"),),
        affiliations=(AffiliationData(org),),
    )
    return contacts.create_contact(db, data)[0]


@pytest.fixture
def event(empty_db: Database, frozen_clock: dt.datetime) -> int:
    event_id = _event(empty_db, HOSTILE)
    ids = [_person(empty_db, g, f, o, n) for n, (g, f, o) in enumerate(PEOPLE)]
    guests.add_guests(empty_db, event_id, ids)
    replace_extras(
        empty_db,
        event_id,
        EventExtras(
            budget=(BudgetLineData("Salle", 30000, True), BudgetLineData("Buffet", 12050)),
            team=(TeamMemberData(ids[0], "Accueil"),),
        ),
    )
    tasks.add_task(
        empty_db, tasks.TaskData("Imprimer les badges", event_id=event_id, assignee_id=ids[0])
    )
    return event_id


def test_the_brief_says_everything_in_french(empty_db: Database, event: int) -> None:
    set_language("fr")
    text = "\n".join(pages(brief.render(empty_db, event)))
    assert text.count("Q&A <b>Meetup</b>") >= 1
    assert '<img src="http://127.0.0.1:9/x.png"/>' in text
    assert "jeudi 3 décembre 2026, 19 h 00 – 21 h 30" in text
    for given, family, org in PEOPLE:
        assert given in text and family in text and org in text
    assert "Rencontrer la communauté" in text and "20 h : démonstrations" in text
    assert "+33 6 12 34 56 00" in text  # the team member's phone
    assert "420,50" in text and "300,00" in text and "120,50" in text  # planned, paid, left
    assert "Imprimer les badges" in text
    assert "p1@example.org" not in text  # guests' contact details: off by default
    assert "1/1" in text


def test_guest_contacts_when_the_setting_allows(empty_db: Database, event: int) -> None:
    preferences.put(empty_db, preferences.DOCUMENTS_GUEST_CONTACTS, "1")
    text = "\n".join(pages(brief.render(empty_db, event)))
    assert "p1@example.org" in text and "+33 6 12 34 56 02" in text


@pytest.mark.parametrize(
    ("system", "when", "generated"),
    [
        # A 12-hour clock and the month first in the United States (the period said once)…
        ("en_US", "December 3, 2026, 7:00 – 9:30 PM", "November 19, 2026 at 5:30 PM"),
        # …24 hours and the day first in Britain.
        ("en_GB", "3 December 2026, 19:00–21:30", "19 November 2026 at 17:30"),
    ],
)
def test_english_dates_follow_the_system_s_region(
    empty_db: Database,
    event: int,
    region: Callable[[str], None],
    system: str,
    when: str,
    generated: str,
) -> None:
    region(system)
    set_language("en")
    text = pages(brief.render(empty_db, event))[0]
    assert f"When Thursday, {when}" in text
    assert f"Generated on Thursday, {generated}" in text  # the footer's date and time too
    assert ("PM" in text) == (system == "en_US")


def test_letter_paper(empty_db: Database, event: int) -> None:
    data = brief.render(empty_db, event, page="Letter")
    assert page_size(data) == (612, 792)
    assert page_size(brief.render(empty_db, event)) == (595, 842)


def test_a_long_guest_list_repeats_its_header_on_page_two(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    event_id = _event(empty_db)
    ids = [
        contacts.create_contact(empty_db, ContactData(given_name="Invité", family_name=f"N{n:03}"))[
            0
        ]
        for n in range(80)
    ]
    guests.add_guests(empty_db, event_id, ids)
    text = pages(brief.render(empty_db, event_id))
    assert len(text) >= 2
    second = text[1].splitlines()
    assert "Guests (80)" in text[0]  # the table starts on page 1…
    assert second[0].split() == ["Name", "Organization", "Role", "RSVP"]  # …its header repeats
    assert f"2/{len(text)}" in text[1]


def test_a_series_prints_its_next_date(empty_db: Database, frozen_clock: dt.datetime) -> None:
    event_id = _event(empty_db, "Apéro", rrule="FREQ=WEEKLY;BYDAY=TH", day=5)
    text = pages(brief.render(empty_db, event_id))[0]
    # The series began on 5 November; frozen "now" is Thursday 19 November 2026 at 18:30 in
    # Paris, before that evening's 19 h: the brief is for that evening.
    assert "next date of the series: Thursday, 19 November 2026." in text
    assert "Thursday, 19 November 2026, 19:00–21:30" in text  # no region said: en_GB


def test_unknown_event(empty_db: Database) -> None:
    with pytest.raises(NotFound):
        brief.render(empty_db, 999)


def test_cli_writes_a_valid_pdf(
    demo_path: Path, frozen_clock: dt.datetime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brief.pdf"
    assert main(["--db", str(demo_path), "events", "brief", "8", "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert "Meetup des ambassadeurs" in pages(out.read_bytes())[0]
    letter = tmp_path / "letter.pdf"
    assert (
        main(
            ["--db", str(demo_path), "events", "brief", "8", "-o", str(letter), "--page", "Letter"]
        )
        == 0
    )
    assert page_size(letter.read_bytes()) == (612, 792)


def test_cli_unknown_event_writes_nothing(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "none.pdf"
    assert main(["--db", str(demo_path), "events", "brief", "999", "-o", str(out)]) == 2
    assert "999" in capsys.readouterr().err
    assert not out.exists()


def test_a_series_brief_prints_the_tasks_of_its_date_only(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    """A weekly apéro closed last week has last week's follow-up; tonight's date has its own
    checklist. Tonight's brief prints tonight's tasks, not last week's nor next month's."""
    db = empty_db
    event_id = _event(db, "Apéro", rrule="FREQ=WEEKLY;BYDAY=TH", day=5)
    tonight = dt.datetime(2026, 11, 19, 19)
    last_week = dt.datetime(2026, 11, 12, 19)
    events.close_event(db, event_id, last_week)  # its follow-up: "Remercier la salle" on 13 Nov
    tasks.add_task(
        db, tasks.TaskData("Acheter les chips", event_id=event_id, due_offset_days=-1,
                           occurrence=tonight)
    )  # fmt: skip
    tasks.add_task(
        db, tasks.TaskData("Réserver le DJ", event_id=event_id, due_offset_days=-7,
                           occurrence=dt.datetime(2026, 12, 17, 19))
    )  # fmt: skip
    tasks.add_task(db, tasks.TaskData("Imprimer les flyers de la saison", event_id=event_id))

    text = " ".join(pages(brief.render(db, event_id)))
    assert "Acheter les chips" in text and "18 Nov 2026" in text
    assert "Imprimer les flyers de la saison" in text  # the series' own, undated
    assert "Réserver le DJ" not in text  # December's
    assert "Remercier la salle" not in text  # last week's follow-up

    last = " ".join(pages(brief.render(db, event_id, occurrence=last_week)))
    assert "one date of the series: Thursday, 12 November 2026." in last
    assert "Remercier la salle" in last and "Acheter les chips" not in last
