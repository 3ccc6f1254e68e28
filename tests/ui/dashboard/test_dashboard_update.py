"""A recompute of the home screen updates its cards in place: the same community keeps the
same card (and the same chart views), which shows the new figures; a new community gets a
card in its place; the card of a community gone is dropped."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import shiboken6

from cmplanner.services import communities as community_service
from tests.ui.conftest import written
from ui.dashboard.cards import light_text
from ui.shell.main_window import MainWindow


def _dashboard(window: MainWindow) -> Any:
    view = window.view("dashboard")
    view.ensure_loaded()
    view.finish_building()
    return view


def _changed(c: Any) -> Any:
    """`c` with other figures: members, vitality, both charts' bars, a readiness item."""
    last = c.readiness[-1]
    readiness = (*c.readiness[:-1], dataclasses.replace(last, ok=not last.ok))
    return dataclasses.replace(
        c,
        members=c.members + 3,
        vitality=7,
        attendance=tuple(dataclasses.replace(p, attended=p.attended + 2) for p in c.attendance),
        new_members_by_month=tuple(
            dataclasses.replace(m, value=m.value + 1) for m in c.new_members_by_month
        ),
        readiness=readiness,
        ready=all(item.ok for item in readiness),
    )


def test_new_figures_keep_the_same_cards_and_charts_and_show_the_new_numbers(
    window: MainWindow,
) -> None:
    view = _dashboard(window)
    d = view.dashboard
    cards = list(view.cards)
    index = next(i for i, c in enumerate(d.communities) if c.attendance)
    before = d.communities[index]
    card = cards[index]
    attendance_chart, members_chart = card.attendance_chart, card.members_chart
    missing_before = set(card.fix_buttons)
    new = _changed(before)
    communities = list(d.communities)
    communities[index] = new

    view.show_dashboard(dataclasses.replace(d, communities=tuple(communities)))
    view.finish_building()

    assert view.cards == cards and all(a is b for a, b in zip(view.cards, cards, strict=True))
    assert card.community == new
    assert card.vitality_label.text() == "7"
    assert card.light_label.text() == light_text(new.light)
    assert str(new.members) in card.subtitle.text()
    assert card.attendance_chart is attendance_chart  # refilled, not rebuilt
    assert [attendance_chart.attended.at(i) for i in range(attendance_chart.attended.count())] == [
        float(p.attended) for p in new.attendance
    ]
    assert members_chart is not None and card.members_chart is members_chart
    assert [members_chart.members.at(i) for i in range(members_chart.members.count())] == [
        float(m.value) for m in new.new_members_by_month
    ]
    last = str(new.readiness[-1].key)
    # The item turned the other way: its fix buttons appear, or go.
    assert (last in card.fix_buttons) != (last in missing_before)
    total = len(new.readiness)
    ok = sum(1 for i in new.readiness if i.ok)
    status = card.readiness_status.text()
    assert status == ("Ready to launch" if new.ready else f"{ok} of {total} ready")
    # The other cards kept their figures.
    for other, c in zip(view.cards, d.communities, strict=True):
        if other is not card:
            assert other.community == c


def test_a_fix_button_of_an_updated_card_still_opens_its_community(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.communities.editor import CommunityEditor
    from ui.events.editor import EventEditor

    monkeypatch.setattr(CommunityEditor, "open", lambda _self: None)
    monkeypatch.setattr(EventEditor, "open", lambda _self: None)
    view = _dashboard(window)
    d = view.dashboard
    emitted: list[tuple[int, str]] = []
    card = view.cards[0]
    card.fix.connect(lambda community_id, action: emitted.append((community_id, action)))
    changed = _changed(d.communities[0])
    view.show_dashboard(dataclasses.replace(d, communities=(changed, *d.communities[1:])))
    view.finish_building()
    assert view.cards[0] is card
    buttons = next(iter(card.fix_buttons.values()))
    buttons[0].click()
    assert emitted and emitted[0][0] == changed.community_id


def test_a_community_added_then_deleted_gets_then_loses_its_card(window: MainWindow, qtbot) -> None:
    view = _dashboard(window)
    cards = list(view.cards)
    community_id, _changes = written(
        community_service.create_community,
        window.db,
        community_service.CommunityData(name="Aaa — première du tableau"),
    )
    qtbot.waitUntil(lambda: len(view.cards) == len(cards) + 1 and not view._build_queue)
    assert view.cards[0].community.community_id == community_id
    assert view.cards[0].community.name == "Aaa — première du tableau"
    assert view.cards[1:] == cards  # the others kept, one place further
    assert all(a is b for a, b in zip(view.cards[1:], cards, strict=True))
    grid = view.cards_grid
    for i, card in enumerate(view.cards):
        assert grid.itemAtPosition(*divmod(i, 2)).widget() is card

    new_card = view.cards[0]
    written(community_service.delete_community, window.db, community_id)
    qtbot.waitUntil(lambda: len(view.cards) == len(cards) and not view._build_queue)
    assert all(a is b for a, b in zip(view.cards, cards, strict=True))
    for i, card in enumerate(view.cards):
        assert grid.itemAtPosition(*divmod(i, 2)).widget() is card
    # The card of the community gone is deleted (one such card per event-loop turn).
    qtbot.waitUntil(lambda: not view._doomed and not shiboken6.isValid(new_card))
