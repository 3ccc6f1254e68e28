"""`cmplanner events invite` and `events cancel`, as a person uses them."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from aiosmtpd.controller import Controller

from cmplanner.cli.main import main
from cmplanner.interop.mail import itip, smtp
from cmplanner.services import sent_log
from cmplanner.storage import Database
from tests.interop import itip_world
from tests.interop.itip_world import World
from tests.interop.mail_server import REFUSED, Collector, MemoryKeyring, free_port


@pytest.fixture
def book(
    tmp_path: Path, frozen_clock: dt.datetime, new_database: Callable[[Path], Path]
) -> Iterator[tuple[list[str], World, Path]]:
    path = new_database(tmp_path / "book.cmplanner")
    with Database.open(path) as db:
        world = itip_world.build(db)
    yield ["--db", str(path)], world, path


def test_invite_writes_one_eml_per_guest_and_says_who_was_skipped(
    book: tuple[list[str], World, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, world, _path = book
    out = tmp_path / "mails"
    assert main([*argv, "events", "invite", str(world.series), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "written Anaïs Müller <anais@example.org>" in printed
    assert printed.strip().endswith(
        "5 messages written; 1 guest without an e-mail address skipped."
    )
    files = sorted(out.iterdir())
    assert len(files) == 5
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert str(message["Subject"]).startswith("Invitation: ")


def test_cancel_one_date_then_the_whole_event(
    book: tuple[list[str], World, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, world, path = book
    out = tmp_path / "mails"
    day = ["--occurrence", "2026-12-17"]
    assert main([*argv, "events", "cancel", str(world.series), *day, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "The occurrence of 2026-12-17 is cancelled." in printed
    assert len(list(out.glob("cancellation-*.eml"))) == 5
    with Database.open(path, writer=False) as db:
        event = itip.load_event(db, world.series)
        assert dt.datetime(2026, 12, 17, 19, 0) in event.skipped and event.sequence == 1
        log = sent_log.history(db, world.series)
    assert {(r.method, r.sequence, r.occurrence) for r in log} == {
        ("CANCEL", 1, dt.datetime(2026, 12, 17, 19, 0))
    }
    assert main([*argv, "events", "cancel", str(world.single), "--out", str(out)]) == 0
    assert "Event 2 is cancelled." in capsys.readouterr().out
    with Database.open(path, writer=False) as db:
        assert itip.load_event(db, world.single).status == "cancelled"


def test_a_date_the_series_does_not_have_is_refused(
    book: tuple[list[str], World, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, world, _path = book
    day = ["--occurrence", "2026-12-16"]
    code = main([*argv, "events", "cancel", str(world.series), *day, "--out", str(tmp_path)])
    assert code == 2
    assert "has no occurrence on 2026-12-16" in capsys.readouterr().err


def test_without_identity_nothing_is_cancelled(
    tmp_path: Path, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "book.cmplanner"
    with Database.open(path) as db:
        world = itip_world.build(db, with_identity=False)
    argv = ["--db", str(path), "events", "cancel", str(world.single), "--out", str(tmp_path)]
    assert main(argv) == 2
    assert "Preferences" in capsys.readouterr().err
    with Database.open(path, writer=False) as db:
        assert itip.load_event(db, world.single).status == "planned"


def test_send_without_smtp_settings_says_so(
    book: tuple[list[str], World, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    argv, world, _path = book
    assert main([*argv, "events", "invite", str(world.single), "--send"]) == 2
    assert "No SMTP server is set" in capsys.readouterr().err


def test_send_reports_each_guest_and_fails_when_one_failed(
    book: tuple[list[str], World, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    argv, world, path = book
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with Database.open(path) as db:
            smtp.save_settings(db, smtp.SmtpSettings("127.0.0.1", port, "none", ""))
        assert main([*argv, "events", "invite", str(world.single), "--send"]) == 1
    finally:
        controller.stop()
        keyring.set_keyring(previous)
    captured = capsys.readouterr()
    assert "sent    Anaïs Müller <anais@example.org>" in captured.out
    assert f"FAILED  Bob Martin <{REFUSED}>: the server refused the recipient" in captured.err
    assert "3 messages sent; 1 failed; 1 guest on the waiting list not invited." in captured.out
    assert len(collector.messages) == 3


def test_a_folder_that_cannot_be_made_is_a_clear_error(
    book: tuple[list[str], World, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, world, _path = book
    (tmp_path / "file").write_text("x")
    assert (
        main([*argv, "events", "invite", str(world.single), "--out", str(tmp_path / "file")]) == 2
    )
    assert "is a file, not a folder" in capsys.readouterr().err
    out = str(tmp_path / "file" / "below")
    assert main([*argv, "events", "invite", str(world.single), "--out", out]) == 2
    assert "file is not a folder: nothing was written" in capsys.readouterr().err
