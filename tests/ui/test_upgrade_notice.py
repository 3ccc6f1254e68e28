"""Opening a database whose upgrade an older version left half-done: the window says, in one
line of its status bar, that it was undone and done again."""

from __future__ import annotations

from pathlib import Path

from cmplanner.storage.database import head_revision
from tests.storage.migrations import GOLDEN_V1, half_applied_files
from ui.main_window import MainWindow


def test_switching_to_a_half_upgraded_database_says_it_was_repaired(
    window: MainWindow, tmp_path: Path
) -> None:
    path = half_applied_files(GOLDEN_V1, "0001", tmp_path / "half")[-1]
    window.switch_database(path)
    assert window.db.revision() == head_revision()
    message = window.statusBar().currentMessage()
    assert "an earlier upgrade had been interrupted" in message and "\n" not in message
    window.show_section("contacts")
    assert window.view("contacts").row_count() == 64
