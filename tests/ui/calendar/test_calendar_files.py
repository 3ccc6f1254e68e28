"""Calendars in the GUI: export from the Events, Calendar and Communities views and from the
File menu; import with its report; replies; .ics and .eml files dropped on the window."""

from __future__ import annotations

import datetime as dt
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from cmplanner.interop.ics.export import load_events
from ui.calendar.files import ExportCalendarDialog, export_calendar, is_reply, sort_dropped
from ui.shell.main_window import MainWindow


def read(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar["METHOD"] == "PUBLISH"
    return [c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" not in c]


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def test_events_view_exports_the_selected_events(window: MainWindow, tmp_path: Path) -> None:
    window.show_section("events")
    view = window.view("events")
    view.table.selectRow(0)
    event_id = view.selected_ids()[0]
    title = load_events(window.db, event_ids=[event_id])[0].title
    menu_texts = []
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    view.fill_row_menu(menu, [event_id])
    menu_texts = [a.text() for a in menu.actions()]
    assert "&Add to my calendar (.ics)…" in menu_texts and "&Invitations…" in menu_texts
    path = tmp_path / "one.ics"
    view.export_selected(path)
    events = read(path)
    assert [str(e["SUMMARY"]) for e in events] == [title]
    assert status(window) == f"Exported 1 event to {path}"


def test_the_default_file_name_comes_from_the_event(window: MainWindow, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(
        "ui.kit.file_dialogs.save_file_name",
        lambda parent, title, proposed, filters: asked.append((proposed, filters)) or "",
    )
    window.show_section("events")
    view = window.view("events")
    view.table.selectRow(0)
    title = load_events(window.db, event_ids=view.selected_ids())[0].title
    view.export_selected()
    proposed, filters = asked[0]
    from cmplanner.interop.mail.imip import safe_name

    assert Path(proposed).name == safe_name(title) + ".ics"
    assert "*.ics" in filters


def test_calendar_view_exports_the_dates_shown_of_its_community(
    window: MainWindow, tmp_path: Path
) -> None:
    window.show_section("calendar")
    view = window.view("calendar")
    community = load_events(window.db)[0].community
    assert community
    view.set_community(community)
    path = tmp_path / "shown.ics"
    view.export_calendar(True, path)
    first, last = view.visible_range()
    events = read(path)
    assert events, "the demo's month shows some of its events"
    expected = load_events(
        window.db,
        start=dt.datetime.combine(first, dt.time()).astimezone(dt.UTC),
        end=dt.datetime.combine(last + dt.timedelta(days=1), dt.time()).astimezone(dt.UTC),
        community=community,
    )
    assert sorted(str(e["UID"]) for e in events) == sorted(e.uid for e in expected)
    everything = tmp_path / "all.ics"
    view.export_calendar(False, everything)
    assert len(read(everything)) == len(load_events(window.db, community=community))
    assert view.export_button.menu() is not None


def test_communities_view_exports_one_community(window: MainWindow, tmp_path: Path) -> None:
    window.show_section("communities")
    view = window.view("communities")
    community_id = view.model.ids()[0]
    name = view.community_name(community_id)
    path = tmp_path / "community.ics"
    view.export_community(community_id, path)
    assert len(read(path)) == len(load_events(window.db, community=community_id))
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    view.fill_row_menu(menu, [community_id])
    names = [a.objectName() for a in menu.actions()]
    assert "exportCommunityEvents" in names and "publishCommunity" in names
    assert name


def test_file_menu_export_dialog_choices(window: MainWindow, qtbot, tmp_path: Path) -> None:
    assert window.commands["export_calendar"] in window.menuBar().actions()[0].menu().actions()
    dialog = ExportCalendarDialog(
        [(1, "Les Amis du Rail")], dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    )
    qtbot.addWidget(dialog)
    assert dialog.choice() == {"stem": "calendar"}
    dialog.in_range.setChecked(True)
    assert dialog.first.isEnabled() and not dialog.community.isEnabled()
    dialog.last.setDate(dialog.first.date().addDays(-1))
    dialog.accept()
    assert dialog.error.isVisibleTo(dialog)  # the last day before the first: refused
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.last.setDate(dialog.first.date().addDays(60))
    choice = dialog.choice()
    assert choice["first"] == dt.date(2026, 1, 1) and choice["last"] == dt.date(2026, 3, 2)
    dialog.of_community.setChecked(True)
    assert dialog.choice() == {"community": 1, "stem": "les-amis-du-rail"}
    # What the File menu does with everything chosen:
    path = tmp_path / "all.ics"
    export_calendar(window, window.db, stem="calendar", path=path)
    assert len(read(path)) == len(load_events(window.db))


CALENDAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//Test//EN\r
BEGIN:VEVENT\r
UID:first@test\r
DTSTAMP:20261101T100000Z\r
DTSTART;TZID=Europe/Paris:20261210T190000\r
DTEND;TZID=Europe/Paris:20261210T210000\r
SUMMARY:Soirée jeux\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:second@test\r
DTSTAMP:20261101T100000Z\r
DTSTART;TZID=Mars/Olympus:20261211T190000\r
DTEND;TZID=Mars/Olympus:20261211T200000\r
SUMMARY:Café martien\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_import_shows_a_report_with_warnings_and_the_backup(
    window: MainWindow, tmp_path: Path
) -> None:
    from ui.calendar.files import import_calendars

    path = tmp_path / "club.ics"
    path.write_text(CALENDAR, encoding="utf-8", newline="")
    import_calendars(window, window.db, [path])
    report = window.calendar_report
    text = report.text()
    assert report.headline.text() == "2 new events, 0 updated."
    assert "New (2): “Soirée jeux”, “Café martien”" in text
    assert "Mars/Olympus" in text and "Café martien" in text  # the warning names the event
    assert "A backup was made before importing" in text
    assert "Restore from backup" in text
    report.close()
    import_calendars(window, window.db, [path])
    again = window.calendar_report.text()
    assert "Unchanged (2)" in again and "no backup was made" in again

    broken = tmp_path / "broken.ics"
    broken.write_text(CALENDAR.replace("END:VEVENT\r\nBEGIN:VEVENT", "BEGIN:VEVENT", 1))
    import_calendars(window, window.db, [broken])
    refused = window.calendar_report.text()
    assert "Nothing was imported." in refused and "line" in refused
    assert window.calendar_report.headline.text() == ("The file was refused: nothing was imported.")
    other = tmp_path / "other.ics"
    other.write_text(CALENDAR.replace("first@test", "third@test"), encoding="utf-8", newline="")
    import_calendars(window, window.db, [broken, other])
    headline = window.calendar_report.headline.text()
    assert headline == "1 new event, 0 updated. 1 file was refused."


def _reply_for(window: MainWindow) -> tuple[bytes, str, str]:
    """A METHOD:REPLY accepting the first demo event with a guest who has an e-mail."""

    def waiting(g):
        return g.email and g.rsvp != "accepted" and g.occurrence is None

    event = next(e for e in load_events(window.db) if any(waiting(g) for g in e.guests))
    guest = next(g for g in event.guests if waiting(g))
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//Test//Test//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", "REPLY")
    vevent = icalendar.Event()
    vevent.add("UID", event.uid)
    vevent.add("DTSTAMP", dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    vevent.add("SEQUENCE", event.sequence)
    attendee = icalendar.vCalAddress(f"mailto:{guest.email}")
    attendee.params["PARTSTAT"] = "ACCEPTED"
    attendee.params["CN"] = guest.name
    vevent.add("ATTENDEE", attendee)
    calendar.add_component(vevent)
    return calendar.to_ical(), guest.name, event.title


def _drop(window: MainWindow, paths: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(100, 100),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    return event


def test_dropping_an_ics_imports_it(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "dropped.ics"
    path.write_text(CALENDAR, encoding="utf-8", newline="")
    assert window.acceptDrops()
    event = _drop(window, [path])
    assert event.isAccepted()
    assert "2 new events" in window.calendar_report.headline.text()
    assert any(e.uid == "first@test" for e in load_events(window.db))


def test_dropping_an_eml_reply_updates_the_answer(window: MainWindow, tmp_path: Path) -> None:
    data, name, title = _reply_for(window)
    message = EmailMessage()
    message["From"] = Address(name, addr_spec="guest@example.org")
    message["To"] = Address("CM", addr_spec="cm@example.org")
    message["Subject"] = "Accepted"
    message.set_content("Yes!")
    message.add_alternative(data, maintype="text", subtype="calendar", params={"method": "REPLY"})
    eml = tmp_path / "answer.eml"
    eml.write_bytes(bytes(message))
    ics = tmp_path / "reply.ics"
    ics.write_bytes(data)
    assert is_reply(eml) and is_reply(ics)
    assert sort_dropped([eml, ics, tmp_path / "x.txt"])[1] == [eml, ics]
    _drop(window, [eml])
    report = window.calendar_report
    assert report.windowTitle() == "Replies"
    assert "1 answer recorded" in report.headline.text()
    assert f"{name}" in report.text() and "Accepted" in report.text() and title in report.text()
    _drop(window, [ics])
    assert "already known" in window.calendar_report.headline.text()


def test_replies_dropped_in_the_wrong_order_keep_the_newest_answer(
    window: MainWindow, tmp_path: Path
) -> None:
    data, name, title = _reply_for(window)
    newer = tmp_path / "1-declined.ics"
    newer.write_bytes(
        data.replace(b"PARTSTAT=ACCEPTED", b"PARTSTAT=DECLINED").replace(
            b"DTSTAMP:20261120T000000Z", b"DTSTAMP:20261122T000000Z"
        )
    )
    older = tmp_path / "2-accepted.ics"
    older.write_bytes(data)
    _drop(window, [newer, older])
    text = window.calendar_report.text()
    assert "1 answer recorded, 1 older reply not applied." in window.calendar_report.headline.text()
    assert f"{name}" in text and "Declined" in text and title in text
    assert "Older than the answer recorded (not applied)" in text and "2-accepted.ics" in text
    _drop(window, [older])  # read again later: still declined
    assert "1 older reply not applied" in window.calendar_report.headline.text()
    guest = next(
        g for e in load_events(window.db) if e.title == title for g in e.guests if g.name == name
    )
    assert guest.rsvp == "declined"


def test_a_reply_for_an_unknown_event_is_explained(window: MainWindow, tmp_path: Path) -> None:
    data, _name, _title = _reply_for(window)
    path = tmp_path / "stranger.ics"
    uid = data.split(b"UID:")[1].split(b"\r\n")[0]
    path.write_bytes(data.replace(uid, b"nobody-knows-this@elsewhere"))
    _drop(window, [path])
    text = window.calendar_report.text()
    assert "Not used (nothing was changed for these)" in text
    assert "stranger.ics" in text


@pytest.mark.parametrize("method", ["PUBLISH", "REQUEST", None])
def test_calendars_that_are_not_replies(tmp_path: Path, method: str | None) -> None:
    text = (
        CALENDAR
        if method is None
        else CALENDAR.replace("VERSION:2.0", f"METHOD:{method}\r\nVERSION:2.0")
    )
    path = tmp_path / "c.ics"
    path.write_text(text, encoding="utf-8", newline="")
    assert not is_reply(path)
    assert sort_dropped([path])[0] == [path]
