"""An import merges a card into a contact only when it is the same card (same UID, or same
e-mail and a compatible name); a shared phone, a generic address or the same name only makes
a suggestion, with its reason, in the plan, the report and Find duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmplanner.interop.contacts.parse import parse_bytes
from cmplanner.interop.contacts.plan import plan_import
from cmplanner.interop.contacts.write import apply_import
from cmplanner.services.contacts import get_contact
from cmplanner.services.duplicates import (
    GENERIC_MAILBOXES,
    find_duplicates,
    is_generic_email,
    names_compatible,
)
from cmplanner.storage import Database
from tests.interop.contacts.test_apply_and_export import cli


def card(given: str, family: str, *lines: str) -> str:
    body = "\r\n".join(lines)
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{family};{given};;;\r\nFN:{given} {family}\r\n"
        f"{body}\r\nEND:VCARD\r\n"
    )


ANNE = card("Anne", "Martin", "TEL;TYPE=WORK:+33 4 78 00 00 00", "EMAIL:anne.martin@velo.fr")
SOPHIE = card(
    "Sophie",
    "Durand",
    "TEL;TYPE=WORK:04 78 00 00 00",  # the association's office line, written the French way
    "EMAIL:sophie.durand@velo.fr",
    "NOTE:Trésorière depuis 2024",
)


def imported(db: Database, text: str, merge: str = "auto") -> tuple[list, object]:  # type: ignore[type-arg]
    items = parse_bytes(text.encode()).items
    plans = plan_import(db, items, merge)
    return plans, apply_import(db, items, [p.decision for p in plans])


def people(db: Database) -> dict[str, tuple[list[str], str]]:
    with db.read() as con:
        ids = [r[0] for r in con.execute("SELECT id FROM contact ORDER BY id")]
    out = {}
    for cid in ids:
        data = get_contact(db, cid).data
        out[data.display_name] = ([e.value for e in data.emails], data.notes)
    return out


def test_a_shared_office_phone_never_merges_two_people(empty_db: Database) -> None:
    imported(empty_db, ANNE)
    plans, report = imported(empty_db, SOPHIE)
    (plan,) = plans
    assert plan.decision == "create"
    assert [(m.name, m.reason) for m in plan.matches] == [("Anne Martin", "same phone number")]
    # Sophie is there with her own e-mail and note; Anne is as she was.
    assert people(empty_db) == {
        "Anne Martin": (["anne.martin@velo.fr"], ""),
        "Sophie Durand": (["sophie.durand@velo.fr"], "Trésorière depuis 2024"),
    }
    assert report.merged == [] and len(report.created) == 1  # type: ignore[attr-defined]
    # The report says whom she looks like, and Find duplicates proposes the pair.
    assert report.warnings == [  # type: ignore[attr-defined]
        ("card 1, line 1", "Looks like Anne Martin (#1) in the book (same phone number)")
    ]
    assert [(d.first, d.second, d.reason) for d in find_duplicates(empty_db)] == [
        (1, 2, "same phone number")
    ]


def test_a_generic_address_is_a_suggestion_even_with_the_same_name(empty_db: Database) -> None:
    imported(empty_db, card("Anne", "Martin", "EMAIL:contact@velo-lyon.fr"))
    plans, _report = imported(
        empty_db,
        card("Sophie", "Durand", "EMAIL:Contact@velo-lyon.fr")
        + card("Anne", "Martin", "EMAIL:contact@velo-lyon.fr"),
    )
    assert [p.decision for p in plans] == ["create", "create"]
    assert [p.matches[0].reason for p in plans] == ["same generic e-mail", "same generic e-mail"]
    pairs = {(d.first, d.second): d.reason for d in find_duplicates(empty_db)}
    assert pairs[(1, 2)] == "same generic e-mail"
    assert pairs[(1, 3)] == "same generic e-mail"  # the best reason of the pair


def test_same_email_merges_only_with_a_compatible_name(empty_db: Database) -> None:
    imported(empty_db, card("Jean-Pierre", "Dubois", "EMAIL:jp.dubois@exemple.fr"))
    plans, report = imported(
        empty_db,
        card("J.-P.", "Dubois", "EMAIL:JP.Dubois@exemple.fr", "TEL:06 11 22 33 44")
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:jp.dubois@exemple.fr\r\nEND:VCARD\r\n"
        + card("Marc", "Lenoir", "EMAIL:jp.dubois@exemple.fr"),
    )
    assert [p.decision for p in plans] == [("merge", 1), ("merge", 1), "create"]
    assert [p.matches[0].reason for p in plans] == [
        "same e-mail",
        "same e-mail",
        "same e-mail, another name",
    ]
    merged = get_contact(empty_db, 1).data
    assert [p.value for p in merged.phones] == ["+33 6 11 22 33 44"]
    assert get_contact(empty_db, report.created[0]).data.family_name == "Lenoir"  # type: ignore[attr-defined]


def test_same_uid_merges_whatever_the_name(empty_db: Database) -> None:
    imported(empty_db, card("Anne", "Martin", "UID:card-42"))
    plans, _report = imported(empty_db, card("Anne", "Martin-Roux", "UID:card-42"))
    assert plans[0].decision == ("merge", 1)
    assert plans[0].matches[0].reason == "same card (UID)"


def test_merge_never_creates_everyone_and_suggests(empty_db: Database) -> None:
    imported(empty_db, card("Anne", "Martin", "UID:card-42", "EMAIL:anne@exemple.fr"))
    plans, report = imported(
        empty_db, card("Anne", "Martin", "UID:card-42", "EMAIL:anne@exemple.fr"), merge="never"
    )
    assert plans[0].decision == "create" and plans[0].matches[0].reason == "same card (UID)"
    assert len(report.created) == 1 and not report.merged  # type: ignore[attr-defined]
    assert "Looks like Anne Martin (#1) in the book" in report.warnings[0][1]  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        plan_import(empty_db, [], "sometimes")


@pytest.mark.parametrize(
    ("mine", "theirs", "compatible"),
    [
        (("Marie", "Curie"), ("", "Curie"), True),  # the given name missing
        (("Marie", "Curie"), ("M.", "Curie"), True),  # an initial
        (("J.-P.", "Dubois"), ("Jean-Pierre", "Dubois"), True),
        (("DUBOIS", "jean"), ("Jean", "Dubois"), True),  # order and case
        (("Benoît", "Müller"), ("Benoit", "Muller"), True),  # accents
        (("", ""), ("Anne", "Martin"), True),  # a card with no name at all
        (("Anne", "Martin"), ("Sophie", "Durand"), False),
        (("Anne", "Martin"), ("Anne", "Durand"), False),
        (("Marie", "Curie"), ("P.", "Curie"), False),
    ],
)
def test_compatible_names(mine: tuple[str, str], theirs: tuple[str, str], compatible: bool) -> None:
    assert names_compatible(*mine, *theirs) is compatible
    assert names_compatible(*theirs, *mine) is compatible


def test_generic_mailboxes() -> None:
    for address in (
        "contact@asso.fr",
        "Info@asso.fr",
        "hello@x.io",
        "bonjour@x.fr",
        "admin@x.fr",
        "office@x.com",
        "secretariat@x.fr",
        "Secrétariat@x.fr",
        "accueil@x.fr",
        "contact.lyon@x.fr",
        "info-adherents@x.fr",
        "service.client@x.fr",
        "contact+web@x.fr",
        "no-reply@x.fr",
    ):
        assert is_generic_email(address), address
    for address in ("anne.martin@x.fr", "contactless@x.fr", "jp@x.fr", "marie.info@x.fr"):
        assert not is_generic_email(address), address
    assert {"contact", "info", "hello", "bonjour", "admin", "office", "accueil"} <= (
        GENERIC_MAILBOXES
    )


def test_dry_run_and_import_name_the_contact_and_the_reason(
    empty_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported(empty_db, ANNE)
    path = empty_db.path
    file = tmp_path / "second.vcf"
    file.write_text(SOPHIE + card("A.", "Martin", "EMAIL:Anne.Martin@velo.fr"), encoding="utf-8")
    assert cli(empty_db, "import", str(file), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "card 1, line 1: create Sophie Durand" in out
    assert "    Looks like Anne Martin (#1) in the book (same phone number)" in out
    assert "card 2, line 9: merge A. Martin into #1 Anne Martin (same e-mail)" in out
    with Database.open(path) as db:
        assert cli(db, "import", str(file), "--dry-run", "--json") == 0
    rows = json.loads(capsys.readouterr().out)["items"]
    assert [
        (r["action"], r["merge_into"], r["merge_into_name"], r["merge_reason"]) for r in rows
    ] == [
        ("create", None, None, None),
        ("merge", 1, "Anne Martin", "same e-mail"),
    ]
    assert rows[0]["matches"] == [{"id": 1, "reason": "same phone number", "name": "Anne Martin"}]
    with Database.open(path) as db:
        assert cli(db, "import", str(file)) == 0
    out = capsys.readouterr().out
    assert "card 2, line 9: A. Martin merged into #1 Anne Martin (same e-mail)" in out
    with Database.open(path) as db:
        assert cli(db, "import", str(file), "--merge", "never", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["created"]) == 2 and report["merged"] == []
