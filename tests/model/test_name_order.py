"""A name written family name first (Chinese, Japanese, Korean, Hungarian…) is in the same
order on every surface — lists, pickers, search, vCard FN, PDFs, the CLI — and a Chinese,
Japanese or Korean name has no space inside (王小明)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pdfplumber
import pytest

from cmplanner.cli.main import main
from cmplanner.documents import badges, brief, dossier, signin
from cmplanner.interop.contacts.export import vcard_text
from cmplanner.interop.contacts.items import ImportItem
from cmplanner.interop.contacts.plan import plan_import
from cmplanner.interop.ics.export import load_events
from cmplanner.model import EventCreate
from cmplanner.services import (
    communities,
    contacts,
    events,
    guest_sheets,
    guests,
    tasks,
    vocabulary,
)
from cmplanner.services.browse import CONTACTS, TASKS
from cmplanner.services.communities import CommunityData
from cmplanner.services.contact_data import ContactData, Labelled, MembershipData
from cmplanner.services.contact_records import contact_records
from cmplanner.services.event_extras import find_contacts
from cmplanner.storage import Database

# (given, family, language) → the whole name as it is written.
PEOPLE = {
    ("小明", "王", "fr"): "王小明",  # the script says it, whatever the language
    ("민준", "김", "ko"): "김민준",
    ("太郎", "佐々木", "ja"): "佐々木太郎",
    ("János", "Nagy", "hu"): "Nagy János",  # the language says it
    ("Văn An", "Nguyễn", "vi"): "Nguyễn Văn An",
    ("Zoé", "Zimmer", "fr"): "Zoé Zimmer",
}
SHOWN = list(PEOPLE.values())


@pytest.fixture
def book(empty_db: Database, frozen_clock: dt.datetime) -> dict[str, int]:
    """The people, members of a community, guests of an event with a task each; name → id."""
    community_id, _ = communities.create_community(empty_db, CommunityData("Club"))
    ids = {}
    for (given, family, language), shown in PEOPLE.items():
        data = ContactData(
            given_name=given,
            family_name=family,
            language=language,
            emails=(Labelled(f"{len(ids)}@example.org"),),
            communities=(MembershipData("Club", community_id=community_id),),
        )
        ids[shown] = contacts.create_contact(empty_db, data)[0]
    read, _ = events.create_event(
        empty_db,
        EventCreate(
            title="Apéro",
            start_local=dt.datetime(2026, 12, 3, 19, 0),
            end_local=dt.datetime(2026, 12, 3, 21, 0),
            timezone="Europe/Paris",
            community_id=community_id,
        ),
    )
    guests.add_guests(empty_db, read.id, list(ids.values()))
    for name, contact_id in ids.items():
        tasks.add_task(
            empty_db, tasks.TaskData(f"Call {name}", event_id=read.id, assignee_id=contact_id)
        )
    ids["event"], ids["community"] = read.id, community_id
    return ids


def words(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [w["text"] for page in pdf.pages for w in page.extract_words()]


def text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_lists_and_pickers(empty_db: Database, book: dict[str, int]) -> None:
    event_id = book["event"]
    assert sorted(g.name for g in guests.guest_rows(empty_db, event_id)) == sorted(SHOWN)
    assert sorted(g.name for g in guest_sheets.printed_guests(empty_db, event_id)) == sorted(SHOWN)
    members = communities.get_community(empty_db, book["community"]).members
    assert sorted(m.name for m in members) == sorted(SHOWN)
    assert [c.name for c in find_contacts(empty_db, "Nagy")] == ["Nagy János"]
    assert [c.name for c in find_contacts(empty_db, "王")] == ["王小明"]
    # The tasks list's Assignee column and the task filter's choices.
    task_ids = TASKS.ids(empty_db)
    column = TASKS.column_keys().index("assignee")
    assert sorted(r[column] for r in TASKS.rows(empty_db, task_ids).values()) == sorted(SHOWN)
    choices = tasks.filter_choices(empty_db).assignees
    assert sorted(name for _id, name in choices) == sorted(SHOWN)
    names = vocabulary.contact_names(empty_db, [book[n] for n in SHOWN])
    assert [names[book[n]] for n in SHOWN] == SHOWN
    # The name an import (and its dry run) shows for the contact a card would merge into.
    cards = [
        ImportItem(n, n, ContactData(given_name="X", emails=(Labelled(f"{n}@example.org"),)))
        for n in range(len(SHOWN))
    ]
    assert [p.matches[0].name for p in plan_import(empty_db, cards)] == SHOWN


def test_search_finds_a_name_typed_as_it_is_written(
    empty_db: Database, book: dict[str, int]
) -> None:
    for typed, shown in (
        ("王小明", "王小明"),
        ("王小", "王小明"),
        ("김민준", "김민준"),
        ("佐々木太郎", "佐々木太郎"),
        ("nagy janos", "Nagy János"),
    ):
        assert CONTACTS.ids(empty_db, text=typed) == [book[shown]], typed
    assert CONTACTS.ids(empty_db, text="王大") == []  # another given name: no one


def test_vcard_fn(empty_db: Database, book: dict[str, int]) -> None:
    card, _count = vcard_text(empty_db, [book[n] for n in SHOWN])
    fns = [line[3:] for line in card.splitlines() if line.startswith("FN:")]
    assert fns == SHOWN
    assert "N:王;小明;;;" in card and "N:Nagy;János;;;" in card and "LANG:hu" in card


def test_pdfs(empty_db: Database, book: dict[str, int]) -> None:
    event_id = book["event"]
    for document in (brief.render(empty_db, event_id), badges.render(empty_db, event_id)):
        shown = words(document)
        for cjk in ("王小明", "김민준", "佐々木太郎"):
            assert cjk in shown
        lines = text(document)
        assert "Nagy János" in lines and "Nguyễn Văn An" in lines and "Zoé Zimmer" in lines
        assert "小明 王" not in lines and "王 小明" not in lines and "János Nagy" not in lines
    dossier_text = text(dossier.render(empty_db, book["community"]))
    assert "王小明" in dossier_text and "Nagy János" in dossier_text
    # The sign-in sheet: family name first for everyone (a register sorted by it), and no
    # space inside a Chinese, Japanese or Korean name.
    sheet = signin.render(empty_db, event_id)
    assert {"王小明", "김민준", "佐々木太郎"} <= set(words(sheet))
    lines = text(sheet)
    assert "Nagy János" in lines and "Zimmer Zoé" in lines and "王 小明" not in lines


def test_cli(empty_db: Database, book: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    path: Path = empty_db.path
    empty_db.close()
    assert main(["--db", str(path), "contacts", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(r["display_name"] for r in listed) == sorted(SHOWN)
    assert main(["--db", str(path), "contacts", "list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in SHOWN)
    assert main(["--db", str(path), "contacts", "show", str(book["王小明"])]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "王小明"
    assert main(["--db", str(path), "events", "show", str(book["event"]), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert sorted(g["name"] for g in shown["guests"]) == sorted(SHOWN)
    assert sorted(t["assignee"] for t in shown["tasks"]) == sorted(SHOWN)


def test_invitations_name_the_guests_as_written(empty_db: Database, book: dict[str, int]) -> None:
    (event,) = load_events(empty_db, event_ids=[book["event"]])
    assert sorted(g.name for g in event.guests) == sorted(SHOWN)  # ATTENDEE;CN=…


def test_records_for_json(empty_db: Database, book: dict[str, int]) -> None:
    records = contact_records(empty_db, [book[n] for n in SHOWN])
    assert [r["display_name"] for r in records] == SHOWN
