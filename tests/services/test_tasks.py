"""Checklists: templates per kind, relative due dates that follow the event, overdue tasks."""

from __future__ import annotations

import datetime as dt

import pytest

from cmplanner.errors import ValidationError
from cmplanner.model import Event, EventCreate
from cmplanner.services import contacts, events, tasks
from cmplanner.services.contact_data import ContactData
from cmplanner.services.tasks import TaskData
from cmplanner.storage import Database

START = dt.datetime(2026, 12, 3, 19, 0)  # two weeks after the frozen "now" (19 Nov 2026)


def _event(db: Database, kind: str = "apero") -> int:
    read, _ = events.create_event(
        db,
        EventCreate(
            title="Apéro de décembre",
            kind=kind,
            start_local=START,
            end_local=START + dt.timedelta(hours=3),
        ),
    )
    return read.id


def test_shipped_templates_are_french_and_fit_the_kind(empty_db: Database) -> None:
    shipped = tasks.templates(empty_db)
    assert shipped["apero"] == [
        ("Réserver la salle", -30),
        ("Envoyer les invitations", -21),
        ("Relancer les invités", -2),
        ("Acheter les fournitures", -1),
        ("Remercier les partenaires", 1),
        ("Partager les photos", 3),
        ("Faire le débrief", 7),
    ]
    assert "Réserver la salle" not in {title for title, _ in shipped["interview"]}
    offsets = [offset for _, offset in shipped["product_test"]]
    assert offsets == sorted(offsets)


def test_apply_template_gives_relative_due_dates(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    event_id = _event(empty_db)
    changes = tasks.apply_template(empty_db, event_id)
    assert len(changes.tasks) == 7
    assert tasks.apply_template(empty_db, event_id).tasks == frozenset()  # not twice
    listed = tasks.list_tasks(empty_db, event_id=event_id)
    due = {t.title: t.due for t in listed}
    assert due["Réserver la salle"] == dt.date(2026, 11, 3)
    assert due["Envoyer les invitations"] == dt.date(2026, 11, 12)
    assert due["Relancer les invités"] == dt.date(2026, 12, 1)
    assert due["Faire le débrief"] == dt.date(2026, 12, 10)
    assert [t.title for t in listed if t.overdue] == [
        "Réserver la salle",
        "Envoyer les invitations",
    ]
    assert [t.due for t in listed] == sorted(t.due for t in listed if t.due)


def test_moving_the_event_moves_its_relative_tasks(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    event_id = _event(empty_db)
    tasks.apply_template(empty_db, event_id)
    fixed, _ = tasks.add_task(
        empty_db, TaskData("Payer l'acompte", event_id=event_id, due_date=dt.date(2026, 11, 25))
    )
    with empty_db.transaction() as session:
        event = session.get(Event, event_id)
        assert event is not None
        event.start_local = START + dt.timedelta(days=14)
        event.end_local = event.start_local + dt.timedelta(hours=3)
        session.add(event)
    due = {t.title: t.due for t in tasks.list_tasks(empty_db, event_id=event_id)}
    assert due["Réserver la salle"] == dt.date(2026, 11, 17)
    assert due["Envoyer les invitations"] == dt.date(2026, 11, 26)
    assert due["Faire le débrief"] == dt.date(2026, 12, 24)
    assert due["Payer l'acompte"] == dt.date(2026, 11, 25)  # an absolute date stays put
    overdue = [t.title for t in tasks.list_tasks(empty_db, event_id=event_id) if t.overdue]
    assert overdue == ["Réserver la salle"]
    assert fixed in {t.id for t in tasks.list_tasks(empty_db, due_before=dt.date(2026, 11, 25))}


def test_edited_templates_are_kept(empty_db: Database) -> None:
    tasks.set_templates(empty_db, {"concert": [(" Vérifier la sono ", -3)]})
    assert tasks.templates(empty_db)["concert"] == [("Vérifier la sono", -3)]
    assert tasks.templates(empty_db)["apero"][0] == ("Réserver la salle", -30)
    event_id = _event(empty_db, kind="concert")
    tasks.apply_template(empty_db, event_id)
    (task,) = tasks.list_tasks(empty_db, event_id=event_id)
    assert (task.title, task.due) == ("Vérifier la sono", dt.date(2026, 11, 30))
    with pytest.raises(ValidationError):
        tasks.set_templates(empty_db, {"concert": [("  ", 1)]})


def test_filters_done_and_assignee(empty_db: Database, frozen_clock: dt.datetime) -> None:
    ana, _ = contacts.create_contact(empty_db, ContactData(given_name="Ana", family_name="Lopez"))
    event_id = _event(empty_db)
    a, _ = tasks.add_task(
        empty_db, TaskData("Imprimer les badges", event_id=event_id, due_offset_days=-1)
    )
    b, _ = tasks.add_task(empty_db, TaskData("Appeler la mairie", assignee_id=ana))
    c, _ = tasks.add_task(empty_db, TaskData("Écrire la newsletter", due_date=dt.date(2026, 11, 1)))
    assert [t.id for t in tasks.list_tasks(empty_db)] == [c, a, b]  # undated last
    (mine,) = tasks.list_tasks(empty_db, assignee=ana)
    assert (mine.id, mine.assignee, mine.due, mine.overdue) == (b, "Ana Lopez", None, False)
    tasks.set_done(empty_db, c, True)
    assert [t.id for t in tasks.list_tasks(empty_db)] == [a, b]
    (done,) = [t for t in tasks.list_tasks(empty_db, include_done=True) if t.id == c]
    assert done.done and done.done_at == frozen_clock and not done.overdue
    window = tasks.list_tasks(
        empty_db, due_after=dt.date(2026, 12, 1), due_before=dt.date(2026, 12, 2)
    )
    assert [t.id for t in window] == [a]
    tasks.update_task(
        empty_db, a, TaskData("Imprimer les badges", event_id=event_id, due_offset_days=-3)
    )
    assert tasks.list_tasks(empty_db, event_id=event_id)[0].due == dt.date(2026, 11, 30)
    tasks.delete_task(empty_db, b)
    assert b not in {t.id for t in tasks.list_tasks(empty_db, include_done=True)}


def test_task_validation(empty_db: Database) -> None:
    event_id = _event(empty_db)
    with pytest.raises(ValidationError):
        tasks.add_task(empty_db, TaskData(" "))
    with pytest.raises(ValidationError):
        tasks.add_task(empty_db, TaskData("Relative", due_offset_days=-2))
    with pytest.raises(ValidationError):
        tasks.add_task(
            empty_db,
            TaskData("Both", event_id=event_id, due_offset_days=-2, due_date=dt.date(2026, 1, 1)),
        )


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("J-21", -21),
        ("j+2", 2),
        ("J", 0),
        ("Jour J", 0),
        ("J0", 0),
        ("D-7", -7),
        ("d+3", 3),
        ("D-day", 0),
        (" J - 21 ", -21),
        ("J−7", -7),  # a typographic minus
        ("-21", -21),
        ("5", 5),
    ],
)
def test_offsets_are_typed_as_the_cm_writes_them(text: str, days: int) -> None:
    assert tasks.parse_offset(text) == days


@pytest.mark.parametrize("text", ["", "J-", "X-2", "J-2a", "+", "21 days", "J--2"])
def test_a_wrong_offset_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValidationError, match=r"D-21 .21 days before.*D\+2"):
        tasks.parse_offset(text)


def test_an_offset_too_far_is_refused(empty_db: Database) -> None:
    with pytest.raises(ValidationError, match="too far"):
        tasks.parse_offset("J-5000")
    with pytest.raises(ValidationError, match="too far"):
        tasks.set_templates(empty_db, {"apero": [("Réserver", -5000)]})


def test_offsets_are_shown_as_d_minus_in_english_j_moins_in_french() -> None:
    assert [tasks.format_offset(d) for d in (-21, 0, 2)] == ["D-21", "D-day", "D+2"]
    for days in (-30, -1, 0, 1, 7):
        assert tasks.parse_offset(tasks.format_offset(days)) == days


def test_offsets_read_j_moins_in_french() -> None:
    from cmplanner.i18n import set_language

    set_language("fr")
    try:
        assert [tasks.format_offset(d) for d in (-21, 0, 2)] == ["J-21", "J", "J+2"]
        with pytest.raises(ValidationError, match="écrivez J-21"):
            tasks.parse_offset("bientôt")
    finally:
        set_language("en")


def test_filter_choices_are_the_people_and_events_with_tasks(
    empty_db: Database, frozen_clock: dt.datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    zoe, _ = contacts.create_contact(empty_db, ContactData(given_name="Zoé", family_name="Roy"))
    ana, _ = contacts.create_contact(empty_db, ContactData(given_name="ana", family_name="Lopez"))
    nick, _ = contacts.create_contact(empty_db, ContactData(nickname="Bibi"))
    contacts.create_contact(empty_db, ContactData(given_name="Sans", family_name="Tâche"))
    later = _event(empty_db)  # 3 December
    read, _ = events.create_event(
        empty_db,
        EventCreate(
            title="Atelier de novembre",
            kind="workshop",
            start_local=START - dt.timedelta(days=10),
            end_local=START - dt.timedelta(days=10, hours=-2),
        ),
    )
    sooner = read.id
    _event(empty_db)  # an event with no task is no filter
    tasks.add_task(empty_db, TaskData("Badges", event_id=later, assignee_id=zoe))
    tasks.add_task(empty_db, TaskData("Salle", event_id=sooner, assignee_id=ana))
    tasks.add_task(empty_db, TaskData("Affiches", event_id=sooner, assignee_id=nick))
    tasks.add_task(empty_db, TaskData("Sans événement"))

    # Read without the ORM: it runs after every change and its garbage stalled the window.
    def no_orm() -> None:
        raise AssertionError("filter_choices went through the ORM")

    monkeypatch.setattr(empty_db, "session", no_orm)
    choices = tasks.filter_choices(empty_db)
    assert choices.assignees == [(ana, "ana Lopez"), (nick, "Bibi"), (zoe, "Zoé Roy")]
    assert choices.events == [(sooner, "Atelier de novembre"), (later, "Apéro de décembre")]


def test_each_date_of_a_series_has_its_own_checklist(
    empty_db: Database, frozen_clock: dt.datetime
) -> None:
    read, _ = events.create_event(
        empty_db,
        EventCreate(
            title="Apéro du jeudi",
            start_local=dt.datetime(2026, 10, 1, 19),
            end_local=dt.datetime(2026, 10, 1, 22),
            rrule="FREQ=WEEKLY;BYDAY=TH",
        ),
    )
    tonight, next_week = dt.datetime(2026, 11, 19, 19), dt.datetime(2026, 11, 26, 19)
    tasks.apply_template(empty_db, read.id, tonight)
    tasks.apply_template(empty_db, read.id, next_week)
    assert tasks.apply_template(empty_db, read.id, next_week).tasks == frozenset()
    mine = tasks.checklist(empty_db, read.id, tonight)
    theirs = tasks.checklist(empty_db, read.id, next_week)
    assert len(mine) == len(theirs) == 7
    assert {t.due for t in mine if t.title == "Réserver la salle"} == {dt.date(2026, 10, 20)}
    assert {t.due for t in theirs if t.title == "Réserver la salle"} == {dt.date(2026, 10, 27)}
    # Ticking tonight's task leaves next week's alone.
    [booked] = [t for t in mine if t.title == "Réserver la salle"]
    tasks.set_done(empty_db, booked.id, True)
    assert not any(t.done for t in tasks.checklist(empty_db, read.id, next_week))
    # The listing and the dashboard count each date's due day.
    listed = {(t.title, t.due) for t in tasks.list_tasks(empty_db, event_id=read.id)}
    assert ("Faire le débrief", dt.date(2026, 12, 3)) in listed
    from cmplanner.services.browse import TASKS

    due = TASKS.column_keys().index("due")
    rows = TASKS.rows(empty_db, [booked.id])
    assert rows[booked.id][due] == dt.date(2026, 10, 20)
    with pytest.raises(ValidationError):
        tasks.apply_template(empty_db, read.id, dt.datetime(2026, 11, 20, 19))  # a Friday
