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
    names = sorted(card.fn.value for card in cards)
    members = get_community(demo_db, community_id).members
    assert len(cards) == len(members)
    assert names == sorted(m.name for m in members)


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
    from cmplanner.cli import main
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
