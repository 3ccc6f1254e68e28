"""The lazy listing model: valid for Qt, fetches rows only when shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cmplanner.services.browse import LISTINGS
from cmplanner.storage import Database
from cmplanner.storage.backup import create_backup, list_backups
from ui.kit.models import BATCH, BackupListModel, IdRole, ListingModel


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listing_model_passes_qt_model_tester(qtmodeltester, demo_db: Database, name: str) -> None:
    listing = LISTINGS[name]
    model = ListingModel(listing, demo_db)
    ids = listing.ids(demo_db)
    assert ids, f"the demo has no {name}"
    model.set_ids(ids)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(ids)
    assert model.columnCount() == len(listing.columns)
    assert model.headerData(0, Qt.Orientation.Horizontal) == listing.columns[0].title


def test_empty_listing_model_passes_qt_model_tester(qtmodeltester, empty_db: Database) -> None:
    model = ListingModel(LISTINGS["contacts"], empty_db)
    model.set_ids(LISTINGS["contacts"].ids(empty_db))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 0


def test_rows_are_fetched_lazily_by_batches(demo_db: Database) -> None:
    listing = LISTINGS["contacts"]
    model = ListingModel(listing, demo_db)
    ids = listing.ids(demo_db)
    model.set_ids(ids * 10)  # more ids than one batch (repeats are fine for this test)
    assert model.fetches == 0
    assert model.data(model.index(0, 0))
    assert model.fetches == 1
    for row in range(min(BATCH // 2, len(ids))):
        model.data(model.index(row, 1))
    assert model.fetches == 1  # the first batch covered them
    assert model.data(model.index(0, 0), IdRole) == ids[0]


def test_values_are_formatted_for_people(demo_db: Database) -> None:
    listing = LISTINGS["events"]
    model = ListingModel(listing, demo_db)
    model.set_ids(listing.ids(demo_db))
    keys = listing.column_keys()
    kinds = {model.index(r, keys.index("kind")).data() for r in range(model.rowCount())}
    statuses = {model.index(r, keys.index("status")).data() for r in range(model.rowCount())}
    assert "Apéro" in kinds and "apero" not in kinds
    assert statuses <= {"Idea", "Planned", "Confirmed", "Done", "Cancelled"}
    start = model.index(0, keys.index("start")).data()
    assert "/" in start and ":" in start  # a localized date and time, not an ISO string


def test_backup_model_passes_qt_model_tester(qtmodeltester, demo_db: Database) -> None:
    create_backup(demo_db.path, "manual")
    create_backup(demo_db.path, "scheduled")
    model = BackupListModel(list_backups(demo_db.path))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2
    reasons = {model.index(r, 1).data() for r in range(2)}
    assert reasons == {"Manual", "Scheduled"}


def test_instants_are_shown_in_local_time(monkeypatch) -> None:
    import datetime as dt

    from ui.kit.display import format_value

    monkeypatch.setenv("TZ", "Europe/Paris")
    import time

    time.tzset()
    try:
        utc = dt.datetime(2026, 11, 12, 18, 40, tzinfo=dt.UTC)
        assert format_value(utc, "instant") == "12/11/2026 19:40"
        assert format_value(utc.replace(tzinfo=None), "instant") == "12/11/2026 19:40"
        assert format_value(dt.datetime(2026, 11, 12, 18, 40), "datetime") == "12/11/2026 18:40"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
