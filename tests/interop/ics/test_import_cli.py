"""`cmplanner events import FILE.ics` and `cmplanner events rsvp FILE…` as a user runs them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cmplanner.cli.main import main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ics" / "import"


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
    out, err = capsys.readouterr()
    assert code == 1
    assert "Alice Durand — Accepted → Declined" in out
    assert "reply_unknown_uid.ics: no event has the UID “nobody@tests.example”" in err
    assert "1 answer recorded, 1 reply not used." in out
    code = main(["--db", str(db), "events", "rsvp", str(FIXTURES / "reply_alice_declines.ics")])
    assert code == 0
    assert "1 already known" in capsys.readouterr().out


def _reply(path: Path, partstat: str, stamp: str, params: str = "") -> Path:
    text = (FIXTURES / "reply_alice_declines.ics").read_text(encoding="utf-8")
    text = text.replace("DTSTAMP:20260301T100000Z", f"DTSTAMP:{stamp}")
    text = text.replace("PARTSTAT=DECLINED", f"PARTSTAT={partstat}{params}")
    path.write_text(text, encoding="utf-8")
    return path


def test_rsvp_applies_the_newest_reply_and_says_which_are_older(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "c.cmplanner"
    main(["--db", str(db), "events", "import", str(FIXTURES / "meetups.ics")])
    newest = _reply(tmp_path / "a.ics", "DECLINED", "20260310T080000Z")
    oldest = _reply(tmp_path / "b.ics", "TENTATIVE", "20260302T080000Z")
    capsys.readouterr()
    assert main(["--db", str(db), "events", "rsvp", str(oldest), str(newest)]) == 0
    out = capsys.readouterr().out
    assert "Alice Durand — Accepted → Declined" in out
    assert (
        f"{oldest}: Alice Durand <alice@tests.example>: Maybe to “Café, bar; apéro \\ tests”" in out
    )
    assert "sent 2026-03-02 08:00 UTC: older than the answer recorded, not applied" in out
    assert "1 answer recorded, 1 older reply not applied." in out
    # Another day, the old one again: nothing changes.
    assert main(["--db", str(db), "events", "rsvp", str(oldest)]) == 0
    assert "0 answers recorded, 1 older reply not applied." in capsys.readouterr().out
    delegated = _reply(
        tmp_path / "c.ics",
        "DELEGATED",
        "20260311T080000Z",
        ';DELEGATED-TO="mailto:dora@tests.example"',
    )
    assert main(["--db", str(db), "events", "rsvp", str(delegated)]) == 0
    out = capsys.readouterr().out
    assert (
        "Alice Durand <alice@tests.example> delegated “Café, bar; apéro \\ tests” to"
        " dora@tests.example (answer kept: Declined); dora@tests.example is added to the guests"
    ) in out
    assert main(["--db", str(db), "events", "show", "1"]) == 0
    assert "delegated to dora@tests.example" in capsys.readouterr().out
