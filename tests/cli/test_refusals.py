"""Bad input on the command line: one line on stderr, exit code 2, the database as it was.

Each case here was a traceback (or a folder made, or exit code 1) before: ids beyond what
SQLite stores, dates at the ends of the calendar, a day count beyond any date, a title too
long, output paths in folders that do not exist, an export onto the database itself, an
unknown event to export, a reply file that does not exist."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from cmplanner.cli.main import main
from tests.rows import file_dump

HUGE = str(2**63)  # one more than SQLite's largest integer
ADD = ["events", "add", "--title", "T"]


@pytest.fixture
def book(demo_path: Path, frozen_clock: dt.datetime, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("cmplanner.clock.local_zone_name", lambda: "Europe/Paris")
    return demo_path


def refused(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> str:
    """Run the command: it must be refused in one line, exit code 2, nothing written."""
    before = file_dump(db)
    assert main(["--db", str(db), *argv]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("cmplanner") and err.count("\n") == 1, err
    assert "Traceback" not in err and out == ""
    assert file_dump(db) == before
    return err


@pytest.mark.parametrize(
    "argv",
    [
        ["contacts", "show", HUGE],
        ["contacts", "merge", "1", HUGE],
        ["contacts", "merge", HUGE, "1"],
        ["contacts", "erase", HUGE, "--yes"],
        ["contacts", "export-person", HUGE, "x.zip"],
        ["events", "show", HUGE],
        ["events", "guest", "add", "1", HUGE],
        ["events", "guest", "add", HUGE, "1"],
        ["events", "attend", "1", HUGE],
        ["events", "close", HUGE],
        ["events", "brief", HUGE, "-o", "b.pdf"],
        ["events", "export", "x.ics", "--event", HUGE],
        ["venues", "delete", HUGE],
        ["tags", "merge", "1", HUGE],
        ["contacts", "show", str(2**64)],
        ["contacts", "show", "0"],
        ["contacts", "show", "-3"],
        ["contacts", "show", "١٢"],  # Arabic-Indic digits: int() reads them, an id is ASCII
    ],
)
def test_an_id_beyond_sqlite_is_refused(
    book: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert "is not an id (a whole number from 1 to 9223372036854775807)" in refused(
        capsys, book, *argv
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["events", "list", "--from", "0001-01-01", "--to", "9999-12-31"],
        ["events", "list", "--to", "9999-12-31"],
        ["events", "export", "all.ics", "--from", "0001-01-01", "--to", "9999-12-31"],
        ["events", "skip", "1", "--occurrence", "9999-12-31"],
        ["events", "attend", "1", "1", "--occurrence", "9999-12-31"],
        ["events", "close", "1", "--occurrence", "0001-01-01"],
        ["events", "cancel", "1", "--occurrence", "9999-12-31", "--out", "."],
        ["events", "signin", "1", "-o", "s.pdf", "--occurrence", "9999-12-31"],
        [*ADD, "--start", "0001-01-01T00:00", "--end", "2027-01-01"],
        [*ADD, "--start", "2027-01-01T00:00", "--end", "9999-12-31"],
        # The evening of the last day Python holds, in Tokyo (UTC+9): a day later is not.
        [*ADD, "--tz", "Asia/Tokyo", "--start=9999-12-31T20:00", "--end=9999-12-31T22:00"],
        # An offset moves the time into the zone: refused before the shift, not by it.
        [*ADD, "--start", "0001-01-01T00:00+14:00", "--end", "0001-01-01T01:00+14:00"],
    ],
)
def test_a_date_at_the_ends_of_the_calendar_is_refused(
    book: Path, capsys: pytest.CaptureFixture[str], argv: list[str], tmp_path: Path
) -> None:
    err = refused(capsys, book, *argv)
    assert "is out of the calendar's range (1000-01-01 to 9997-12-31)" in err
    assert not list(tmp_path.glob("*.ics")) and not list(tmp_path.glob("*.pdf"))


def test_the_last_days_of_the_calendar_are_usable(
    book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = ["--db", str(book)]
    add = ["events", "add", "--title", "Dernier", "--tz", "Pacific/Kiritimati"]
    assert main([*db, *add, "--start", "9997-12-31T23:00", "--end", "9997-12-31T23:30"]) == 0
    last = capsys.readouterr().out.split()[1]  # "Event 40 created: Dernier"
    assert main([*db, "events", "list", "--from", "9997-12-01", "--to", "9997-12-31"]) == 0
    assert "Dernier" in capsys.readouterr().out
    out = tmp_path / "end.ics"
    assert main([*db, "events", "export", str(out), "--from", "9997-12-30"]) == 0
    assert "DTSTART;TZID=Pacific/Kiritimati:99971231T230000" in out.read_text()
    assert main([*db, "events", "brief", last, "-o", str(tmp_path / "b.pdf")]) == 0
    assert main([*db, "events", "signin", last, "-o", str(tmp_path / "s.pdf")]) == 0
    assert main([*db, "events", "list", "--from", "1000-01-01", "--to", "1000-01-31"]) == 0


def test_an_event_beyond_the_calendar_stored_by_an_older_version_is_exported(
    book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A 31 December 9999 evening in Tokyo (which `events add` accepted): its time zone's
    rules ran into the year 10000 and the export was a traceback."""
    import sqlite3

    con = sqlite3.connect(book)
    with con:
        con.execute(
            "UPDATE event SET start_local = '9999-12-31 20:00:00.000000',"
            " end_local = '9999-12-31 22:00:00.000000', timezone = 'Asia/Tokyo',"
            " start_utc = '9999-12-31 11:00:00.000000', end_utc = '9999-12-31 13:00:00.000000',"
            " rrule = '' WHERE id = (SELECT min(id) FROM event)"
        )
    con.close()
    out = tmp_path / "all.ics"
    assert main(["--db", str(book), "events", "export", str(out)]) == 0
    assert "DTSTART;TZID=Asia/Tokyo:99991231T200000" in out.read_text()


def test_not_seen_for_more_days_than_any_date_holds(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for days in ("99999999", "-1", "1e3"):
        assert "is not a number of days" in refused(
            capsys, book, "contacts", "list", "--not-seen", days
        )
    assert main(["--db", str(book), "contacts", "list", "--not-seen", "50000"]) == 0


def test_a_title_over_300_characters(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(
        capsys, book, "events", "add", "--title", "x" * 301, "--start", "2027-01-01T10:00",
        "--end", "2027-01-01T11:00", "--venue", "Nouveau lieu", "--community", "Nouvelle",
    )  # fmt: skip
    assert "An event's title has at most 300 characters; this one has 301." in err
    # What is cut away by making it one line does not count.
    title = "A\r\n" + "x" * 298 + "\t "
    argv = ["events", "add", "--title", title, "--start", "2027-01-01T10:00"]
    assert main(["--db", str(book), *argv, "--end", "2027-01-01T11:00"]) == 0


def test_an_invitation_for_a_title_and_a_venue_with_line_breaks(
    book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = ["--db", str(book)]
    add = ["events", "add", "--title", "Apéro\r\nde rentrée", "--venue", "Le Local\r\nArrière"]
    add += ["--community", "Voisins\r\ndu quartier", "--start", "2027-01-08T19:00"]
    assert main([*db, *add, "--end", "2027-01-08T22:00", "--json"]) == 0
    import json

    event = json.loads(capsys.readouterr().out)
    assert event["title"] == "Apéro de rentrée"
    assert (event["venue"], event["community"]) == ("Le Local Arrière", "Voisins du quartier")
    assert main([*db, "events", "guest", "add", str(event["id"]), "1", "2"]) == 0
    out = tmp_path / "mails"
    assert main([*db, "events", "invite", str(event["id"]), "--out", str(out)]) == 0
    written = list(out.iterdir())
    assert len(written) == 2
    for eml in written:
        message = message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert message["Subject"] == "Invitation: Apéro de rentrée"
        body = message.get_body(("plain",))
        assert body is not None and "Where: Le Local Arrière\r\n" in body.get_content()


@pytest.mark.parametrize(
    ("argv", "missing"),
    [
        (["contacts", "export-person", "1", "{tmp}/missing/dir/p.zip"], "missing/dir"),
        (["contacts", "export", "{tmp}/missing/c.vcf"], "missing"),
        (["events", "export", "{tmp}/missing/e.ics"], "missing"),
        (["events", "brief", "1", "-o", "{tmp}/missing/b.pdf"], "missing"),
        (["events", "signin", "1", "-o", "{tmp}/missing/s.pdf"], "missing"),
        (["events", "badges", "1", "-o", "{tmp}/missing/b.pdf"], "missing"),
        (["dashboard", "--pdf", "{tmp}/missing/d.pdf"], "missing"),
        (["communities", "dossier", "1", "-o", "{tmp}/missing/d.pdf"], "missing"),
        (["communities", "handover", "1", "-o", "{tmp}/missing/pack"], "missing"),
        (["communities", "handover", "1", "-o", "{tmp}/missing/pack.zip"], "missing"),
        (["events", "invite", "1", "--out", "{tmp}/missing/mails"], "missing"),
        (["events", "cancel", "1", "--out", "{tmp}/missing/mails"], "missing"),
    ],
)
def test_no_folder_is_made_above_an_output(
    book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], missing: str
) -> None:
    """As root, `--out /nonexistent/dir` made /nonexistent: the folder asked for may be made,
    never the ones above it."""
    argv = [a.format(tmp=tmp_path) for a in argv]
    err = refused(capsys, book, *argv)
    assert f"The folder {tmp_path / missing} does not exist: nothing was written." in err
    assert not (tmp_path / "missing").exists()


def test_the_folder_asked_for_is_made_in_an_existing_one(
    book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = ["--db", str(book)]
    assert main([*db, "communities", "handover", "1", "-o", str(tmp_path / "pack")]) == 0
    assert (tmp_path / "pack").is_dir() and any((tmp_path / "pack").iterdir())


def test_a_database_in_a_missing_folder_is_not_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nonexistent" / "dir" / "new.cmplanner"
    argv = ["--db", str(target), "events", "add", "--title", "T", "--start", "2027-01-01"]
    assert main([*argv, "--end", "2027-01-01"]) == 2
    err = capsys.readouterr().err
    assert "the folder" in err and "does not exist" in err and err.count("\n") == 1
    assert not (tmp_path / "nonexistent").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["contacts", "export", "{db}"],
        ["contacts", "export", "{db}-wal", "--format", "vcard"],
        ["events", "export", "{db}"],
        ["dashboard", "--pdf", "{db}"],
        ["events", "brief", "1", "-o", "{db}"],
    ],
)
def test_an_export_onto_the_database_itself_is_refused(
    book: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    before = book.read_bytes()
    err = refused(capsys, book, *[a.format(db=book) for a in argv])
    assert "is the database itself: choose another file to write." in err
    assert book.read_bytes() == before


def test_an_unknown_event_to_export_is_an_error(
    book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "e.ics"
    err = refused(capsys, book, "events", "export", str(out), "--event", "99999")
    assert err == "cmplanner: Event 99999 does not exist.\n" and not out.exists()


def test_a_reply_file_that_does_not_exist(
    book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Said on stderr, exit code 2, and the replies beside it are not read either."""
    fixtures = Path(__file__).parents[1] / "interop" / "fixtures" / "ics" / "import"
    good = fixtures / "reply_alice_declines.ics"
    assert good.is_file()
    missing = tmp_path / "missing.ics"
    err = refused(capsys, book, "events", "rsvp", str(good), str(missing))
    assert err == f"cmplanner: {missing}: no such file or folder; no reply was read.\n"


def test_a_nul_character_in_an_argument(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, book, "contacts", "list", "--search", "a\x00b")
    assert err == "cmplanner: An argument holds a NUL character.\n"


def test_text_that_is_not_utf8(book: Path, tmp_path: Path, isolated_home: Path) -> None:
    """A terminal in another encoding (here Latin-1) passes bytes that are not UTF-8: refused
    as text, said back as they came; a file name may hold them."""
    import os
    import subprocess
    import sys

    def run(*argv: str | bytes) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "cmplanner", "--db", str(book), *argv],
            env={**os.environ, "CMPLANNER_LANG": "en", "PYTHONIOENCODING": ""},
            capture_output=True,
            timeout=120,
        )

    before = file_dump(book)
    for argv in (["contacts", "list", "--search", b"caf\xe9"], ["venues", "rename", "1", b"\xff"]):
        result = run(*argv)
        assert result.returncode == 2 and result.stdout == b""
        assert result.stderr.endswith(b" is not text CM Planner can read (it is not UTF-8).\n")
        assert result.stderr.count(b"\n") == 1
    assert (
        b"\xe2\x80\x9ccaf\xe9\xe2\x80\x9d" in run("contacts", "list", "--search", b"caf\xe9").stderr
    )
    assert file_dump(book) == before
    out = os.fsencode(tmp_path) + b"/caf\xe9.ics"
    result = run("events", "export", out)
    assert result.returncode == 0 and out in result.stdout
    assert os.path.exists(out)


def test_an_invitation_for_a_title_and_a_name_stored_with_line_breaks(
    book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Written into the file by another program or an older version: every way in makes a
    title one line, but a header made of it must be one line whatever the file holds (the
    email package refused it: a traceback)."""
    import sqlite3

    con = sqlite3.connect(book)
    with con:
        con.execute("UPDATE event SET title = 'Apéro\r\nBcc: spy@example.org' WHERE id = 7")
        guest = con.execute(
            "SELECT contact_id FROM invitation WHERE event_id = 7 ORDER BY contact_id LIMIT 1"
        ).fetchone()[0]
        con.execute(
            "UPDATE contact SET formatted_name = 'Eve\r\nCc: spy@example.org' WHERE id = ?",
            (guest,),
        )
    con.close()
    out = tmp_path / "mails"
    assert main(["--db", str(book), "events", "invite", "7", "--out", str(out)]) == 0
    written = sorted(out.iterdir())
    assert written
    for eml in written:
        message = message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert message["Subject"] == "Invitation: Apéro Bcc: spy@example.org"
        assert message["Bcc"] is None and message["Cc"] is None
    names = {
        message_from_bytes(e.read_bytes(), policy=policy.default)["To"].addresses[0].display_name
        for e in written
    }
    assert "Eve Cc: spy@example.org" in names


def test_an_empty_database_name_is_refused_not_taken_for_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", "", "contacts", "list"]) == 2
    err = capsys.readouterr().err
    assert "The file name is empty." in err and err.count("\n") == 1
