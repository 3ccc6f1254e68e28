"""The printable documents opened from the Events and Communities rows: the preview loads
the PDF, and Save suggests a name with the subject and the date."""

from __future__ import annotations

import datetime as dt

from cmplanner.services import events as event_service
from cmplanner.services import vocabulary
from ui.shell.main_window import MainWindow


def _event_id(window: MainWindow, title: str) -> int:
    view = window.view("events")
    for event_id in view.model.ids():
        if view.event_title(event_id) == title:
            return int(event_id)
    raise AssertionError(title)


def test_brief_of_a_single_event_suggests_its_date(window: MainWindow) -> None:
    window.show_section("events")
    view = window.view("events")
    event_id = _event_id(window, "Meetup des ambassadeurs")
    start = dt.datetime.fromisoformat(event_service.event_details(window.db, event_id)["start"])
    for document, stem in (("brief", "brief"), ("signin", "sign-in"), ("badges", "badges")):
        dialog = view.preview_document(event_id, document)
        assert dialog.page_count() >= 1
        name = dialog.suggested_path().name
        assert name.startswith(stem) and "meetup-des-ambassadeurs" in name
        assert name.endswith(f"{start.date().isoformat()}.pdf")
        dialog.close()


def test_a_series_has_no_date_in_the_suggested_name(window: MainWindow) -> None:
    window.show_section("events")
    view = window.view("events")
    dialog = view.preview_document(_event_id(window, "Apéro du jeudi"), "signin")
    assert dialog.page_count() >= 1
    assert dialog.suggested_path().name == "sign-in-apero-du-jeudi.pdf"
    dialog.close()


def test_dossier_of_a_community(window: MainWindow, frozen_clock: dt.datetime) -> None:
    window.show_section("communities")
    view = window.view("communities")
    community_id = next(
        c.id for c in vocabulary.communities(window.db) if c.name == "Apéros du jeudi"
    )
    dialog = view.preview_dossier(community_id)
    assert dialog.page_count() >= 2
    assert dialog.suggested_path().name == (
        f"dossier-aperos-du-jeudi-{frozen_clock.date().isoformat()}.pdf"
    )
    dialog.close()
