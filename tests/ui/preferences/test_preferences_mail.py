"""Preferences: identity, outgoing mail and CalDAV pages save their settings, passwords go to
the keyring and never to the database, and the test buttons report success or failure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from cmplanner.interop.mail import smtp
from cmplanner.services import caldav_settings, preferences
from cmplanner.storage import Database
from tests.interop import radicale_server
from tests.interop.mail_server import (
    PASSWORD,
    USER,
    MailServer,
    MemoryKeyring,
    mail_server,
    memory_keyring,
)
from tests.interop.radicale_server import RadicaleServer
from ui.preferences.dialog import PreferencesDialog

radicale = radicale_server.radicale
caldav_calendar = radicale_server.caldav_calendar
__all__ = ["mail_server", "memory_keyring"]


def dialog_for(qtbot, db: Database) -> PreferencesDialog:
    dialog = PreferencesDialog(db=db)
    qtbot.addWidget(dialog)
    return dialog


def database_text(db: Database) -> bytes:
    with db.read() as con:
        rows = con.execute("SELECT key, value FROM setting").fetchall()
    return repr(rows).encode()


def test_identity_is_validated_and_saved(qtbot, empty_db: Database) -> None:
    dialog = dialog_for(qtbot, empty_db)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "General",
        "Identity",
        "Outgoing mail",
        "CalDAV",
        "Dashboard",
    ]
    dialog.identity_name.setText("Zoé Lefèvre")
    dialog.identity_email.setText("zoe@@example")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.page() == "identity"
    assert dialog.identity_error.isVisibleTo(dialog)
    assert "zoe@@example" in dialog.identity_error.text()
    assert preferences.get(empty_db, preferences.IDENTITY_EMAIL) == ""
    dialog.identity_email.setText("  Zoe@Example.ORG ")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert preferences.get(empty_db, preferences.IDENTITY_NAME) == "Zoé Lefèvre"
    assert preferences.get(empty_db, preferences.IDENTITY_EMAIL) == "Zoe@example.org"
    again = dialog_for(qtbot, empty_db)
    assert again.identity_email.text() == "Zoe@example.org"


def test_smtp_settings_saved_and_the_password_kept_in_the_keyring(
    qtbot, empty_db: Database, memory_keyring: MemoryKeyring
) -> None:
    dialog = dialog_for(qtbot, empty_db)
    dialog.set_page("smtp")
    assert dialog.smtp_port.value() == 587
    dialog.smtp_security.setCurrentIndex(dialog.smtp_security.findData("ssl"))
    assert dialog.smtp_port.value() == 465  # the usual port follows
    dialog.smtp_port.setValue(2465)
    dialog.smtp_security.setCurrentIndex(dialog.smtp_security.findData("starttls"))
    assert dialog.smtp_port.value() == 2465  # a port typed by hand stays
    dialog.smtp_host.setText("smtp.example.org")
    dialog.smtp_user.setText("zoe")
    dialog.smtp_password.setText("tres-secret")
    assert dialog.save()
    settings = smtp.load_settings(empty_db)
    assert settings == smtp.SmtpSettings("smtp.example.org", 2465, "starttls", "zoe")
    assert memory_keyring.store == {("CM Planner SMTP", "zoe@smtp.example.org"): "tres-secret"}
    assert b"tres-secret" not in database_text(empty_db)
    assert b"tres-secret" not in Path(empty_db.path).read_bytes()
    again = dialog_for(qtbot, empty_db)
    assert again.smtp_password.text() == ""  # never shown back
    assert again.smtp_password.placeholderText() == "stored in the system keyring"
    assert again.smtp_host.text() == "smtp.example.org"
    assert again.save()  # an empty password field keeps the stored one
    assert memory_keyring.store[("CM Planner SMTP", "zoe@smtp.example.org")] == "tres-secret"


def test_the_test_email_reports_success_and_failure(
    qtbot,
    empty_db: Database,
    frozen_clock: dt.datetime,
    memory_keyring: MemoryKeyring,
    mail_server: MailServer,
) -> None:
    dialog = dialog_for(qtbot, empty_db)
    dialog.smtp_test.click()
    assert "Identity page" in dialog.smtp_result.text()
    dialog.identity_name.setText("Zoé")
    dialog.identity_email.setText("zoe@example.org")
    dialog.smtp_host.setText("127.0.0.1")
    dialog.smtp_security.setCurrentIndex(dialog.smtp_security.findData("none"))
    dialog.smtp_port.setValue(mail_server.port)
    dialog.smtp_user.setText(USER)
    dialog.smtp_password.setText("wrong")
    dialog.smtp_test.click()
    assert dialog.smtp_result.text().startswith("✗ Not sent: the server refused")
    assert mail_server.collector.messages == []
    dialog.smtp_password.setText(PASSWORD)
    dialog.smtp_test.click()
    assert dialog.smtp_result.text() == "✓ Sent to zoe@example.org: check your inbox."
    assert mail_server.collector.recipients() == ["zoe@example.org"]
    assert memory_keyring.store == {}  # a test stores nothing


def test_caldav_settings_and_password(
    qtbot, empty_db: Database, memory_keyring: MemoryKeyring
) -> None:
    dialog = dialog_for(qtbot, empty_db)
    dialog.caldav_url.setText("ftp://nowhere")
    assert not dialog.save()
    assert dialog.page() == "caldav" and "not a CalDAV calendar address" in dialog.error.text()
    dialog.caldav_url.setText("https://dav.example.org/cm/events")
    dialog.caldav_user.setText("cm")
    dialog.caldav_password.setText("été-secret")
    assert dialog.save()
    saved = caldav_settings.load(empty_db)
    assert (saved.url, saved.user) == ("https://dav.example.org/cm/events/", "cm")
    assert memory_keyring.store == {("CM Planner CalDAV", "cm"): "été-secret"}
    assert "été-secret".encode() not in database_text(empty_db)
    again = dialog_for(qtbot, empty_db)
    assert again.caldav_password.placeholderText() == "stored in the system keyring"


def test_no_keyring_is_said_and_no_password_is_asked(qtbot, empty_db: Database) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        dialog = dialog_for(qtbot, empty_db)
        assert dialog.keyring_problem
        assert not dialog.smtp_password.isEnabled() and not dialog.caldav_password.isEnabled()
        notes = dialog.findChildren(type(dialog.error), "keyringProblem")
        assert notes and "never writes them in the database" in notes[0].text()
        dialog.smtp_host.setText("smtp.example.org")
        assert dialog.save()  # the rest is saved
    finally:
        keyring.set_keyring(previous)


def test_caldav_test_button_against_radicale(
    qtbot,
    empty_db: Database,
    memory_keyring: MemoryKeyring,
    caldav_calendar: str,
    radicale: RadicaleServer,
) -> None:
    dialog = dialog_for(qtbot, empty_db)
    dialog.caldav_url.setText(caldav_calendar)
    dialog.caldav_user.setText(radicale_server.USER)
    dialog.caldav_password.setText("wrong")
    dialog.caldav_test.click()
    assert dialog.caldav_result.text().startswith("✗ ")
    dialog.caldav_password.setText(radicale_server.PASSWORD)
    dialog.caldav_test.click()
    assert dialog.caldav_result.text() == "✓ Connected: the calendar holds 0 items."


def test_publish_now_saves_and_publishes(
    qtbot,
    window,
    memory_keyring: MemoryKeyring,
    caldav_calendar: str,
    radicale: RadicaleServer,
) -> None:
    from cmplanner.interop.ics.export import load_events

    dialog = PreferencesDialog(window, db=window.db)
    qtbot.addWidget(dialog)
    dialog.caldav_url.setText(caldav_calendar)
    dialog.caldav_user.setText(radicale_server.USER)
    dialog.caldav_password.setText(radicale_server.PASSWORD)
    dialog.caldav_publish.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    publish = window.publish_dialog
    total = len(load_events(window.db))
    assert publish.finished_ok is True
    assert f"Created: {total}" in publish.report_view.toPlainText()
    assert window.statusBar().currentMessage().startswith("Published to ")
    # Again from the File menu: nothing changed.
    window.commands["publish_caldav"].trigger()
    assert f"Unchanged: {total}" in window.publish_dialog.report_view.toPlainText()


def test_publish_without_settings_offers_preferences(window, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(
        "ui.calendar.files.ask_preferences",
        lambda parent, db, page, text: asked.append(page) or False,
    )
    window.commands["publish_caldav"].trigger()
    assert asked == ["caldav"]


@pytest.mark.parametrize("page", ["identity", "smtp", "caldav"])
def test_preferences_open_at_a_page(qtbot, empty_db: Database, page: str) -> None:
    dialog = dialog_for(qtbot, empty_db)
    dialog.set_page(page)
    assert dialog.page() == page
