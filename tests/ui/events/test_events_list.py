"""The events list: a series shows (and sorts by) its next date, not the date it began."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from cmplanner.services.browse import EVENTS
from cmplanner.storage import Database
from ui.events.view import EventsView
from ui.kit.display import format_value

SERIES = 1  # the demo's weekly "Apéro du jeudi", begun on 8 October 2026


def test_a_series_shows_its_next_date_and_sorts_by_it(
    qtbot, demo_db: Database, frozen_clock: dt.datetime
) -> None:
    view = EventsView()
    qtbot.addWidget(view)
    view.undo_stack = QUndoStack(view)
    view.set_database(demo_db)
    view.refresh()
    keys = view.model.listing.column_keys()
    row = view.model.ids().index(SERIES)
    shown = view.model.index(row, keys.index("start")).data(Qt.ItemDataRole.DisplayRole)
    # Today is Thursday 19 November 2026, 18:30 in Paris: tonight's apéro is the next date.
    assert EVENTS.rows(demo_db, [SERIES])[SERIES][0] == dt.datetime(2026, 11, 19, 19)
    assert shown == format_value(dt.datetime(2026, 11, 19, 19), "datetime")

    # In date order it sits among this week's events, not with October's.
    ordered = EVENTS.ids(demo_db, sort_key="start")
    rows = EVENTS.rows(demo_db, ordered)
    starts = [rows[i][0] for i in ordered]
    assert starts == sorted(starts)
