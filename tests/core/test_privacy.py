"""Privacy: everything about one person can be exported, and erased without a trace."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

from sqlmodel import select

from cmplanner.model import Event, Invitation
from cmplanner.services import contacts, privacy
from cmplanner.services.browse import CONTACTS, EVENTS
from cmplanner.services.contact_data import ContactData, Labelled
from cmplanner.storage import Database
from cmplanner.storage.backup import create_backup, list_backups

NAME = ("Zéphyrine", "Quasimodo-Xylophone")
EMAIL = "zephyrine.quasimodo@example.org"


def add_person(db: Database) -> tuple[int, int]:
    contact_id, _ = contacts.create_contact(
        db,
        ContactData(
            given_name=NAME[0], family_name=NAME[1], emails=(Labelled(EMAIL, "perso"),),
            phones=(Labelled("+33 6 98 76 54 32"),), notes="Allergique aux noix",
            tags=("VIP",),
        ),
    )  # fmt: skip
    with db.transaction() as session:
        event = session.exec(select(Event).where(Event.rrule == "")).first()
        assert event is not None and event.id is not None
        session.add(
            Invitation(event_id=event.id, contact_id=contact_id, rsvp="accepted", attended=True)
        )
        event_id = event.id
    contacts.log_interaction(
        db, contact_id, dt.datetime(2026, 11, 1, 18, tzinfo=dt.UTC), notes="Café"
    )
    return contact_id, event_id


def test_export_person_holds_everything(demo_db: Database, tmp_path: Path) -> None:
    contact_id, _event = add_person(demo_db)
    path = privacy.export_person(demo_db, contact_id, tmp_path / "zephyrine")
    assert path.suffix == ".zip"
    with zipfile.ZipFile(path) as bundle:
        names = bundle.namelist()
        data = json.loads(bundle.read(next(n for n in names if n.endswith(".json"))))
        card = bundle.read(next(n for n in names if n.endswith(".vcf"))).decode()
    assert data["summary"]["emails"] == [EMAIL]
    assert data["contact"]["notes"] == "Allergique aux noix"
    assert data["invitations"][0]["rsvp"] == "accepted"
    assert data["interactions"][0]["notes"] == "Café"
    assert NAME[1] in card and EMAIL in card


def test_erase_leaves_no_trace_but_keeps_the_head_count(demo_db: Database) -> None:
    contact_id, event_id = add_person(demo_db)
    guests_before = EVENTS.rows(demo_db, [event_id])[event_id][-1]
    old_backup = create_backup(demo_db.path, reason="manual")
    assert privacy.backups_holding(demo_db, contact_id) == [old_backup]

    report = privacy.erase_contact(demo_db, contact_id)

    assert report.backups_holding == (old_backup,) and report.purged == ()
    assert CONTACTS.ids(demo_db, text="zephyrine") == []
    assert EVENTS.rows(demo_db, [event_id])[event_id][-1] == guests_before
    with demo_db.session() as session:
        anonymous = session.exec(select(Invitation).where(Invitation.contact_id == None)).all()  # noqa: E711
    assert [i.event_id for i in anonymous] == [event_id]
    for suffix in ("", "-wal"):
        file = Path(str(demo_db.path) + suffix)
        if file.exists():
            raw = file.read_bytes()
            for secret in (NAME[0], NAME[1], EMAIL, "Allergique"):
                assert secret.encode() not in raw, (file.name, secret)


def test_erase_can_purge_the_backups_that_hold_the_person(demo_db: Database) -> None:
    contact_id, _event = add_person(demo_db)
    holding = create_backup(demo_db.path, reason="manual")
    report = privacy.erase_contact(demo_db, contact_id, purge_backups=True)
    assert report.purged == (holding,)
    assert not holding.exists()
    assert holding not in [b.path for b in list_backups(demo_db.path)]
