"""The handover pack: the dossier, the upcoming events (.ics) and the contacts (.vcf)."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile
from pathlib import Path

import icalendar
import pytest
import vobject

from cmplanner import clock
from cmplanner.documents import handover
from cmplanner.errors import ValidationError
from cmplanner.services import vocabulary
from cmplanner.services.communities import get_community
from cmplanner.storage import Database


def _community(db: Database) -> int:
    return next(c.id for c in vocabulary.communities(db) if c.name == "Apéros du jeudi")


def test_the_pack_holds_the_dossier_the_coming_events_and_the_contacts(
    demo_db: Database, tmp_path: Path
) -> None:
    community_id = _community(demo_db)
    folder = tmp_path / "pack"
    written = handover.write_pack(demo_db, community_id, folder)
    assert sorted(p.suffix for p in written) == [".ics", ".pdf", ".vcf"]
    assert sorted(folder.iterdir()) == sorted(written)
    pdf = next(p for p in written if p.suffix == ".pdf")
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0

    ics = next(p for p in written if p.suffix == ".ics")
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    events = calendar.walk("VEVENT")
    assert events
    for event in events:
        assert str(event.get("X-CMPLANNER-COMMUNITY")) == "Apéros du jeudi"
        start = event.decoded("DTSTART")
        if event.get("RRULE") is None and isinstance(start, dt.datetime):
            assert event.decoded("DTEND") > clock.now_utc()  # only events still to come

    vcf = next(p for p in written if p.suffix == ".vcf")
    cards = list(vobject.readComponents(vcf.read_text("utf-8")))
    people = [c for c in cards if c.kind.value == "individual"]
    organizations = [c for c in cards if c.kind.value == "org"]
    assert len(people) + len(organizations) == len(cards)
    # Each member once, whatever their roles (an ambassador who is also a member too).
    members = get_community(demo_db, community_id).members
    assert sorted(c.fn.value for c in people) == sorted(
        {m.contact_id: m.name for m in members}.values()
    )
    assert len(members) > len(people)  # the demo has members holding two roles
    # Then the organizations the members belong to, as organization cards, first in the file.
    with demo_db.read() as con:
        expected = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT o.name FROM organization o JOIN affiliation a"
                " ON a.organization_id = o.id JOIN community_member m"
                " ON m.contact_id = a.contact_id WHERE m.community_id = ?",
                (community_id,),
            )
        }
    assert expected and {c.fn.value for c in organizations} == expected
    assert cards[: len(organizations)] == organizations


def test_a_non_empty_folder_is_refused_and_left_alone(demo_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(ValidationError, match="not empty"):
        handover.write_pack(demo_db, _community(demo_db), folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_the_zip_variant(demo_db: Database, tmp_path: Path) -> None:
    path = handover.write_zip(demo_db, _community(demo_db), tmp_path / "pack")
    assert path.suffix == ".zip"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert sorted(Path(n).suffix for n in names) == [".ics", ".pdf", ".vcf"]


def test_cli_dossier_and_handover(
    demo_path: Path, frozen_clock: dt.datetime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cmplanner.cli.main import main
    from cmplanner.i18n import set_language
    from cmplanner.storage import Database

    set_language("en")
    with Database.open(demo_path) as db:
        community_id = _community(db)
    base = ["--db", str(demo_path), "communities"]
    dossier = tmp_path / "dossier.pdf"
    assert main([*base, "dossier", str(community_id), "-o", str(dossier), "--page", "Letter"]) == 0
    assert "dossier.pdf" in capsys.readouterr().out
    assert dossier.read_bytes().startswith(b"%PDF")
    folder = tmp_path / "pack"
    assert main([*base, "handover", str(community_id), "-o", str(folder)]) == 0
    assert sorted(p.suffix for p in folder.iterdir()) == [".ics", ".pdf", ".vcf"]
    archive = tmp_path / "pack.zip"
    assert main([*base, "handover", str(community_id), "-o", str(archive)]) == 0
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(Path(n).suffix for n in zipped.namelist()) == [".ics", ".pdf", ".vcf"]
    capsys.readouterr()
    missing = tmp_path / "none.pdf"
    assert main([*base, "dossier", "999", "-o", str(missing)]) == 2
    assert "999" in capsys.readouterr().err and not missing.exists()
    assert main([*base, "handover", "999", "-o", str(tmp_path / "none")]) == 2
    assert not (tmp_path / "none").exists()


def test_the_contacts_of_the_pack_include_the_community_partners(
    demo_db: Database, tmp_path: Path
) -> None:
    import dataclasses

    from cmplanner.services import event_extras

    community_id = _community(demo_db)
    with demo_db.read() as con:
        event_id = con.execute(
            "SELECT id FROM event WHERE community_id = ? ORDER BY id LIMIT 1", (community_id,)
        ).fetchone()[0]
        sponsor, name = con.execute(
            "SELECT id, name FROM organization WHERE kind = 'sponsor' ORDER BY id LIMIT 1"
        ).fetchone()
    extras = event_extras.read_extras(demo_db, event_id)
    partners = (*extras.partners, event_extras.PartnerData(sponsor, "Drinks offered"))
    event_extras.replace_extras(demo_db, event_id, dataclasses.replace(extras, partners=partners))
    files = handover.pack_files(demo_db, community_id)
    vcf = next(data for file, data in files.items() if file.endswith(".vcf"))
    cards = list(vobject.readComponents(vcf.decode("utf-8")))
    [partner] = [c for c in cards if c.fn.value == name]
    assert partner.kind.value == "org"
    assert partner.contents["x-cmplanner-kind"][0].value == "sponsor"
