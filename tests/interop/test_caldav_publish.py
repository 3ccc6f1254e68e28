"""CalDAV publishing against a real Radicale server started by the test (127.0.0.1, a free port,
a temporary storage folder): one resource per UID, only what changed is sent, what was removed
is deleted (within the publish's scope), clear errors and rows only for what the server took."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import caldav
import icalendar
import keyring
import keyring.backend
import pytest
from keyring.errors import PasswordDeleteError

from cmplanner.errors import NotFound, ValidationError
from cmplanner.interop.caldav import (
    CalDAVAccount,
    CalDAVError,
    PublishCancelled,
    PublishReport,
    check_calendar,
    event_bytes,
    publish,
    publish_from_settings,
    resource_name,
)
from cmplanner.interop.ics.export import load_events
from cmplanner.model import Event, EventCreate
from cmplanner.services import caldav_settings
from cmplanner.services.communities import CommunityData, create_community
from cmplanner.services.event_records import delete_event
from cmplanner.services.events import create_event, update_event
from cmplanner.storage import Database
from tests.interop import radicale_server
from tests.interop.radicale_server import (
    PASSWORD,
    USER,
    RadicaleServer,
    free_port,
    running_radicale,
)

# The shared fixtures: a Radicale server per module, a new calendar per test.
radicale = radicale_server.radicale
caldav_calendar = radicale_server.caldav_calendar

PARIS = "Europe/Paris"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that forgets everything at the end of the test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv(caldav_settings.PASSWORD_ENVIRONMENT, raising=False)
    previous = keyring.get_keyring()
    fake = MemoryKeyring()
    keyring.set_keyring(fake)
    yield fake
    keyring.set_keyring(previous)


class CountingClient(caldav.DAVClient):
    """A DAVClient that remembers the HTTP methods it sent."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(enable_rfc6764=False, **kwargs)
        self.methods: list[str] = []

    def request(self, url: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        self.methods.append(method)
        return super().request(url, method, *args, **kwargs)


def account(url: str, password: str = PASSWORD) -> CalDAVAccount:
    return CalDAVAccount(url, USER, password)


def counting(url: str) -> CountingClient:
    return CountingClient(url=url, username=USER, password=PASSWORD)


def add_event(db: Database, title: str, day: int, **extra: Any) -> int:
    start = dt.datetime(2026, 12, day, 19)
    data = EventCreate(
        title=title,
        start_local=start,
        end_local=start + dt.timedelta(hours=2),
        timezone=PARIS,
        **extra,
    )
    return create_event(db, data)[0].id


def edit(db: Database, event_id: int, **changes: Any) -> None:
    with db.session() as session:
        event = session.get(Event, event_id)
        assert event is not None
        current = EventCreate.model_validate(event.model_dump())
    update_event(db, event_id, current.model_copy(update=changes))


def uid_of(db: Database, event_id: int) -> str:
    with db.read() as con:
        return str(con.execute("SELECT uid FROM event WHERE id = ?", (event_id,)).fetchone()[0])


def server_objects(url: str) -> dict[str, icalendar.Calendar]:
    """What the server holds in the calendar, by resource name, parsed with icalendar."""
    with caldav.DAVClient(
        url=url, username=USER, password=PASSWORD, enable_rfc6764=False
    ) as client:
        found = {}
        for result in client.propfind(url, ["getetag"], depth=1).results or []:
            if result.href.endswith(".ics"):
                response = client.request(urljoin(url, result.href), "GET")
                assert response.status == 200
                found[result.href.rsplit("/", 1)[1]] = icalendar.Calendar.from_ical(response.raw)
        return found


def server_etags(url: str) -> dict[str, str]:
    with caldav.DAVClient(
        url=url, username=USER, password=PASSWORD, enable_rfc6764=False
    ) as client:
        response = client.propfind(url, ["getetag"], depth=1)
        return {
            r.href.rsplit("/", 1)[1]: r.properties["{DAV:}getetag"]
            for r in response.results or []
            if not r.href.endswith("/")
        }


def rows(db: Database) -> dict[str, tuple[Any, ...]]:
    with db.read() as con:
        found = con.execute(
            "SELECT uid, event_id, calendar_url, href, etag, digest FROM caldav_resource"
        ).fetchall()
    return {r[0]: tuple(r[1:]) for r in found}


def summary(calendar: icalendar.Calendar) -> str:
    return str(calendar.walk("VEVENT")[0]["SUMMARY"])


@pytest.fixture
def three(empty_db: Database) -> dict[str, int]:
    db = empty_db
    return {
        "apero": add_event(db, "Apéro du jeudi", 3, rrule="FREQ=WEEKLY;BYDAY=TH"),
        "talk": add_event(db, "Talk: tests, mocks; et \\ autres", 8),
        "fair": add_event(db, "Forum des assos", 12),
    }


# --- publishing --------------------------------------------------------------------------------


def test_first_publish_creates_one_resource_per_uid(
    empty_db: Database, three: dict[str, int], caldav_calendar: str
) -> None:
    seen: list[tuple[int, int, str]] = []
    report = publish(empty_db, account(caldav_calendar), progress=lambda *a: seen.append(a))

    assert (report.created, report.updated, report.unchanged, report.deleted) == (3, 0, 0, 0)
    assert report.calendar_url == caldav_calendar
    held = server_objects(caldav_calendar)
    uids = {uid_of(empty_db, i): name for name, i in three.items()}
    assert set(held) == {f"{uid}.ics" for uid in uids}
    for uid in uids:
        calendar = held[f"{uid}.ics"]
        assert "METHOD" not in calendar  # a calendar object resource has none (RFC 4791)
        assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == {uid}
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [PARIS]
    talk = held[f"{uid_of(empty_db, three['talk'])}.ics"]
    assert summary(talk) == "Talk: tests, mocks; et \\ autres"
    apero = held[f"{uid_of(empty_db, three['apero'])}.ics"].walk("VEVENT")[0]
    assert apero["RRULE"]["FREQ"] == ["WEEKLY"]
    start = apero.decoded("DTSTART")
    assert start.replace(tzinfo=None) == dt.datetime(2026, 12, 3, 19)
    assert str(start.tzinfo) == PARIS

    # What was recorded is what the server holds: href, ETag and the bytes' digest.
    recorded = rows(empty_db)
    etags = server_etags(caldav_calendar)
    by_uid = {e.uid: e for e in load_events(empty_db, guests=False)}
    for uid, (event_id, url, href, etag, digest) in recorded.items():
        assert url == caldav_calendar
        assert event_id == three[uids[uid]]
        assert href.endswith(f"/{uid}.ics")
        assert etag == etags[f"{uid}.ics"]
        assert digest == hashlib.sha256(event_bytes(by_uid[uid])).hexdigest()

    # Progress: one call per event with what is being sent, then the end.
    assert [s[:2] for s in seen] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    titles = {"Apéro du jeudi", "Forum des assos", "Talk: tests, mocks; et \\ autres"}
    assert {s[2] for s in seen[:3]} == titles
    assert seen[-1][2] == ""


def test_publishing_again_without_change_sends_nothing(
    empty_db: Database, three: dict[str, int], caldav_calendar: str
) -> None:
    publish(empty_db, account(caldav_calendar))
    before = server_etags(caldav_calendar)
    client = counting(caldav_calendar)

    report = publish(empty_db, account(caldav_calendar), client=client)

    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 0, 3, 0)
    assert client.methods == ["PROPFIND"]  # one listing, no PUT, no DELETE
    assert server_etags(caldav_calendar) == before


def test_an_edited_event_is_the_only_one_sent(
    empty_db: Database, three: dict[str, int], caldav_calendar: str
) -> None:
    publish(empty_db, account(caldav_calendar))
    before = server_etags(caldav_calendar)
    edit(empty_db, three["talk"], title="Talk: pytest en vrai", status="confirmed")
    client = counting(caldav_calendar)

    report = publish(empty_db, account(caldav_calendar), client=client)

    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 1, 2, 0)
    assert client.methods.count("PUT") == 1
    name = f"{uid_of(empty_db, three['talk'])}.ics"
    after = server_etags(caldav_calendar)
    assert after[name] != before[name]
    assert {k: v for k, v in after.items() if k != name} == {
        k: v for k, v in before.items() if k != name
    }
    copy = server_objects(caldav_calendar)[name]
    assert summary(copy) == "Talk: pytest en vrai"
    assert str(copy.walk("VEVENT")[0]["STATUS"]) == "CONFIRMED"
    assert rows(empty_db)[name[:-4]][3] == after[name]


def test_a_deleted_event_is_removed_from_the_server(
    empty_db: Database, three: dict[str, int], caldav_calendar: str
) -> None:
    publish(empty_db, account(caldav_calendar))
    gone = uid_of(empty_db, three["fair"])
    delete_event(empty_db, three["fair"])

    report = publish(empty_db, account(caldav_calendar))

    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 0, 2, 1)
    assert f"{gone}.ics" not in server_objects(caldav_calendar)
    assert len(server_objects(caldav_calendar)) == 2
    assert gone not in rows(empty_db)


def test_publishing_one_community_leaves_the_others_resources(
    empty_db: Database, caldav_calendar: str
) -> None:
    db = empty_db
    apero, _ = create_community(db, CommunityData(name="Apéros"))
    testers, _ = create_community(db, CommunityData(name="Testeurs"))
    a1 = add_event(db, "Apéro 1", 3, community_id=apero)
    a2 = add_event(db, "Apéro 2", 10, community_id=apero)
    t1 = add_event(db, "Dojo", 4, community_id=testers)
    add_event(db, "Sans communauté", 5)
    url = caldav_calendar

    first = publish(db, account(url), community="apéros")  # the name, whatever its case
    assert (first.created, first.deleted) == (2, 0)
    assert set(server_objects(url)) == {f"{uid_of(db, i)}.ics" for i in (a1, a2)}

    everything = publish(db, account(url))
    assert (everything.created, everything.unchanged, everything.deleted) == (2, 2, 0)

    # Publishing one community touches neither the other's events nor those of none.
    again = publish(db, account(url), community="Apéros")
    assert (again.created, again.updated, again.unchanged, again.deleted) == (0, 0, 2, 0)
    assert len(server_objects(url)) == 4

    # An event moved to the other community is that community's now: not deleted here.
    edit(db, a2, community_id=testers)
    moved = publish(db, account(url), community="Apéros")
    assert (moved.unchanged, moved.deleted) == (1, 0)
    assert f"{uid_of(db, a2)}.ics" in server_objects(url)

    # A deleted event belongs to no community any more: any publish removes it.
    dojo = uid_of(db, t1)
    delete_event(db, t1)
    cleaned = publish(db, account(url), community="Apéros")
    assert cleaned.deleted == 1
    assert f"{dojo}.ics" not in server_objects(url)

    # The moved event is updated by its new community's publish.
    theirs = publish(db, account(url), community="Testeurs")
    assert (theirs.updated, theirs.deleted) == (1, 0)
    assert len(server_objects(url)) == 3


def test_unknown_community_is_refused(empty_db: Database, caldav_calendar: str) -> None:
    add_event(empty_db, "Apéro", 3)
    with pytest.raises(NotFound, match="Nulle part"):
        publish(empty_db, account(caldav_calendar), community="Nulle part")
    assert rows(empty_db) == {}


def test_a_copy_edited_on_the_server_is_replaced_by_ours(
    empty_db: Database, three: dict[str, int], caldav_calendar: str
) -> None:
    publish(empty_db, account(caldav_calendar))
    uid = uid_of(empty_db, three["talk"])
    href = f"{caldav_calendar}{uid}.ics"
    with caldav.DAVClient(
        url=caldav_calendar, username=USER, password=PASSWORD, enable_rfc6764=False
    ) as client:
        event = client.calendar(url=caldav_calendar).get_event_by_uid(uid)
        event.icalendar_component["SUMMARY"] = "Renamed by a colleague"
        event.save()
    assert summary(server_objects(caldav_calendar)[f"{uid}.ics"]) == "Renamed by a colleague"

    report = publish(empty_db, account(caldav_calendar))

    assert (report.updated, report.unchanged) == (1, 2)
    assert report.overwritten == ("Talk: tests, mocks; et \\ autres",)
    assert summary(server_objects(caldav_calendar)[f"{uid}.ics"]).startswith("Talk: tests")
    assert href.endswith(rows(empty_db)[uid][2])
    assert rows(empty_db)[uid][3] == server_etags(caldav_calendar)[f"{uid}.ics"]


class ColleagueInBetween(CountingClient):
    """Someone edits the resource between our listing (PROPFIND) and our PUT."""

    def __init__(self, target: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.statuses: list[int] = []

    def request(self, url: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        if method == "PUT" and url == self.target and "PUT" not in self.methods:
            with caldav.DAVClient(
                url=url, username=USER, password=PASSWORD, enable_rfc6764=False
            ) as other:
                body = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//colleague//EN\r\n"
                uid = url.rsplit("/", 1)[1][:-4]
                body += f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T100000Z\r\n".encode()
                body += b"DTSTART:20261220T100000Z\r\nSUMMARY:Colleague's\r\n"
                body += b"END:VEVENT\r\nEND:VCALENDAR\r\n"
                assert other.put(url, body, {"Content-Type": "text/calendar"}).status in (201, 204)
        response = super().request(url, method, *args, **kwargs)
        self.statuses.append(response.status)
        return response


def test_an_edit_racing_our_put_is_overwritten_and_named(
    empty_db: Database, three: dict[str, int], caldav_calendar: str
) -> None:
    publish(empty_db, account(caldav_calendar))
    edit(empty_db, three["fair"], title="Forum des associations")
    uid = uid_of(empty_db, three["fair"])
    target = f"{caldav_calendar}{uid}.ics"
    client = ColleagueInBetween(target, url=caldav_calendar, username=USER, password=PASSWORD)

    report = publish(empty_db, account(caldav_calendar), client=client)

    assert client.statuses[1] == 412  # If-Match: the ETag we listed no longer matched
    assert report.updated == 1 and report.overwritten == ("Forum des associations",)
    assert summary(server_objects(caldav_calendar)[f"{uid}.ics"]) == "Forum des associations"
    assert rows(empty_db)[uid][3] == server_etags(caldav_calendar)[f"{uid}.ics"]

    # A resource created by someone between our listing and our PUT: ours replaces it too.
    new = add_event(empty_db, "Nouvel apéro", 20)
    target = f"{caldav_calendar}{uid_of(empty_db, new)}.ics"
    client = ColleagueInBetween(target, url=caldav_calendar, username=USER, password=PASSWORD)
    report = publish(empty_db, account(caldav_calendar), client=client)
    assert 412 in client.statuses  # If-None-Match: *
    assert report.created == 1 and report.overwritten == ("Nouvel apéro",)
    assert summary(server_objects(caldav_calendar)[target.rsplit("/", 1)[1]]) == "Nouvel apéro"


def test_a_copy_deleted_on_the_server_is_put_back(
    empty_db: Database, three: dict[str, int], caldav_calendar: str
) -> None:
    publish(empty_db, account(caldav_calendar))
    uid = uid_of(empty_db, three["apero"])
    with caldav.DAVClient(
        url=caldav_calendar, username=USER, password=PASSWORD, enable_rfc6764=False
    ) as client:
        client.delete(f"{caldav_calendar}{uid}.ics")

    report = publish(empty_db, account(caldav_calendar))

    assert (report.created, report.unchanged) == (1, 2)
    assert report.restored == ("Apéro du jeudi",)
    assert f"{uid}.ics" in server_objects(caldav_calendar)


def test_a_colleagues_own_event_in_the_calendar_is_never_touched(
    empty_db: Database, three: dict[str, int], caldav_calendar: str
) -> None:
    with caldav.DAVClient(
        url=caldav_calendar, username=USER, password=PASSWORD, enable_rfc6764=False
    ) as client:
        client.calendar(url=caldav_calendar).save_event(
            dtstart=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC),
            dtend=dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
            summary="Colleague's meeting",
            uid="colleague-1",
        )
    publish(empty_db, account(caldav_calendar))
    for event_id in three.values():
        delete_event(empty_db, event_id)

    report = publish(empty_db, account(caldav_calendar))

    assert report.deleted == 3
    assert [summary(c) for c in server_objects(caldav_calendar).values()] == ["Colleague's meeting"]


def test_an_interrupted_publish_records_exactly_what_the_server_took(
    empty_db: Database, three: dict[str, int], caldav_calendar: str
) -> None:
    def stop_at_third(done: int, total: int, title: str) -> None:
        if done == 2:
            raise PublishCancelled

    with pytest.raises(PublishCancelled, match="what was sent is recorded"):
        publish(empty_db, account(caldav_calendar), progress=stop_at_third)

    held = server_objects(caldav_calendar)
    assert len(held) == 2
    assert {f"{uid}.ics" for uid in rows(empty_db)} == set(held)

    report = publish(empty_db, account(caldav_calendar))
    assert (report.created, report.unchanged) == (1, 2)


def test_uid_unfit_for_a_path_gets_a_hashed_name() -> None:
    assert resource_name("abc-123@cmplanner") == "abc-123@cmplanner.ics"
    odd = resource_name("a/b c?d")
    assert odd.endswith(".ics") and "/" not in odd and len(odd) == 64 + 4


# --- errors ------------------------------------------------------------------------------------


def test_wrong_password_is_a_clear_error_and_nothing_is_recorded(
    empty_db: Database, three: dict[str, int], caldav_calendar: str, memory_keyring: MemoryKeyring
) -> None:
    caldav_settings.save(empty_db, caldav_calendar, USER)
    caldav_settings.set_password(USER, "not the password")

    with pytest.raises(CalDAVError) as raised:
        publish_from_settings(empty_db)

    message = str(raised.value)
    assert caldav_calendar in message
    assert f"“{USER}”" in message and "password" in message
    assert rows(empty_db) == {}
    assert server_objects(caldav_calendar) == {}


def test_missing_credentials_say_where_to_enter_them(
    empty_db: Database, three: dict[str, int], caldav_calendar: str, memory_keyring: MemoryKeyring
) -> None:
    caldav_settings.save(empty_db, caldav_calendar, "")
    with pytest.raises(CalDAVError, match="asks for a user name"):
        publish_from_settings(empty_db)


def test_a_user_without_stored_password_is_told_so(
    empty_db: Database, three: dict[str, int], caldav_calendar: str, memory_keyring: MemoryKeyring
) -> None:
    caldav_settings.save(empty_db, caldav_calendar, USER)
    with pytest.raises(CalDAVError, match=f"No password is stored for user “{USER}”"):
        publish_from_settings(empty_db)
    caldav_settings.set_password(USER, PASSWORD)
    assert publish_from_settings(empty_db).created == 3


def test_checking_the_settings_before_publishing(caldav_calendar: str) -> None:
    assert check_calendar(account(caldav_calendar)) == 0
    with pytest.raises(CalDAVError, match="refused the login"):
        check_calendar(account(caldav_calendar, "wrong"))


def test_server_down_is_a_clear_error(empty_db: Database, three: dict[str, int]) -> None:
    url = f"http://127.0.0.1:{free_port()}/cm/calendar/"
    with pytest.raises(CalDAVError) as raised:
        publish(empty_db, account(url))
    assert str(raised.value).startswith(f"Cannot reach the CalDAV server at {url}")
    assert "refused" in str(raised.value).lower()
    assert rows(empty_db) == {}


def test_server_stopping_midway_keeps_what_was_done(
    empty_db: Database, three: dict[str, int], tmp_path: Path
) -> None:
    with running_radicale(tmp_path / "short-lived") as server:
        url = server.make_calendar("team")

        def stop_after_two(done: int, total: int, title: str) -> None:
            if done == 2:
                server.stop()

        with pytest.raises(CalDAVError, match="Cannot reach"):
            publish(empty_db, account(url), progress=stop_after_two)
    assert len(rows(empty_db)) == 2


def test_no_calendar_at_the_url(
    empty_db: Database, three: dict[str, int], radicale: RadicaleServer
) -> None:
    missing = f"{radicale.calendar_home()}nothing-here/"
    with pytest.raises(CalDAVError, match=f"There is no calendar at {missing}"):
        publish(empty_db, account(missing))
    with pytest.raises(CalDAVError, match="is not a calendar"):
        publish(empty_db, account(radicale.calendar_home()))
    assert rows(empty_db) == {}


def test_publish_without_settings(empty_db: Database) -> None:
    with pytest.raises(CalDAVError, match="No CalDAV calendar"):
        publish_from_settings(empty_db)


# --- settings ----------------------------------------------------------------------------------


def test_settings_in_the_database_password_in_the_keyring(
    empty_db: Database, memory_keyring: MemoryKeyring
) -> None:
    caldav_settings.save(
        empty_db, " https://cloud.example.org/remote.php/dav/calendars/cm/x ", "cm"
    )
    caldav_settings.set_password("cm", "hunter2")

    loaded = caldav_settings.load(empty_db)
    assert loaded.url == "https://cloud.example.org/remote.php/dav/calendars/cm/x/"
    assert loaded.user == "cm" and loaded.configured
    assert caldav_settings.get_password("cm") == "hunter2"
    assert memory_keyring.passwords == {("CM Planner CalDAV", "cm"): "hunter2"}
    with empty_db.read() as con:
        values = [v for (v,) in con.execute("SELECT value FROM setting")]
    assert not any("hunter2" in v for v in values)

    caldav_settings.set_password("cm", "")
    assert caldav_settings.get_password("cm") == ""
    caldav_settings.set_password("cm", "")  # nothing to forget: no error


@pytest.mark.parametrize(
    "url", ["cloud.example.org/cal", "ftp://example.org/cal/", "https:///cal/", "https://u:p@h/c/"]
)
def test_bad_calendar_urls_are_refused(empty_db: Database, url: str) -> None:
    with pytest.raises(ValidationError):
        caldav_settings.save(empty_db, url, "cm")
    assert not caldav_settings.load(empty_db).configured


def test_no_keyring_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    with pytest.raises(Exception, match="keyring") as raised:
        caldav_settings.set_password("cm", "x")
    assert caldav_settings.PASSWORD_ENVIRONMENT in str(raised.value)
    monkeypatch.setenv(caldav_settings.PASSWORD_ENVIRONMENT, "from-env")
    assert caldav_settings.get_password("cm") == "from-env"


def test_report_counts_are_plain_numbers() -> None:
    report = PublishReport("http://x/")
    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 0, 0, 0)
