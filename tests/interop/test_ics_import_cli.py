"""`cmplanner events import FILE.ics` and `cmplanner events rsvp FILE…` as a user runs them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cmplanner.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "ics" / "import"


@pytest.fixture(autouse=True)
def paris(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: "Europe/Paris")


def test_import_prints_a_summary_with_warnings_and_the_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.cmplanner"
    assert main(["--db", str(db), "events", "import", str(FIXTURES / "meetups.ics")]) == 0
    out = capsys.readouterr().out
    assert "Imported 3 events, updated 0, unchanged 0" in out
    assert "Bruno Nouveau <bruno@tests.example>" in out
    assert "Backup before the import:" in out
    assert main(["--db", str(db), "events", "import", str(FIXTURES / "unknown_tz.ics")]) == 0
    out = capsys.readouterr().out
    assert "“Atelier martien” (line 4): unknown time zone “Mars/Olympus Mons”" in out
    assert main(["--db", str(db), "events", "import", str(FIXTURES / "meetups.ics")]) == 0
    assert "Imported 0 events, updated 0, unchanged 3" in capsys.readouterr().out


def test_a_malformed_file_exits_2_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.cmplanner"
    assert main(["--db", str(db), "events", "import", str(FIXTURES / "meetups.ics")]) == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert main(["--db", str(db), "events", "import", str(FIXTURES / "malformed.ics")]) == 2
    assert "line 13" in capsys.readouterr().err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.cmplanner"
    assert main(["--db", str(db), "events", "import", str(tmp_path / "nope.ics")]) == 2
    assert "Cannot read" in capsys.readouterr().err


def test_rsvp_reports_each_answer_and_exits_1_on_an_unusable_reply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.cmplanner"
    main(["--db", str(db), "events", "import", str(FIXTURES / "meetups.ics")])
    capsys.readouterr()
    code = main(
        ["--db", str(db), "events", "rsvp", str(FIXTURES / "reply_alice_declines.ics"),
         str(FIXTURES / "reply_unknown_uid.ics")]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    assert "Alice Durand — Accepted → Declined" in out
    assert "reply_unknown_uid.ics: no event has the UID “nobody@tests.example”" in out
    assert "1 answer recorded, 1 reply not used." in out
    code = main(["--db", str(db), "events", "rsvp", str(FIXTURES / "reply_alice_declines.ics")])
    assert code == 0
    assert "1 already known" in capsys.readouterr().out
