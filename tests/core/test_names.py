"""How names are shown: as people write them."""

from __future__ import annotations

import pytest

from cmplanner.model.names import display_name


@pytest.mark.parametrize(
    ("given", "family", "nickname", "shown"),
    [
        ("Zoé", "Zimmer", "", "Zoé Zimmer"),
        ("", "Zimmer", "", "Zimmer"),
        ("", "", "Zizou", "Zizou"),
        ("", "", "", "?"),
        ("小龍", "李", "", "李小龍"),  # Chinese: family name first, no space
        ("민준", "김", "", "김민준"),  # Korean
        ("太郎", "山田", "", "山田太郎"),  # Japanese
        ("Bruce", "李", "", "Bruce 李"),  # mixed scripts: the usual order
        ("Ελένη", "Παπαδοπούλου", "", "Ελένη Παπαδοπούλου"),
    ],
)
def test_display_name(given: str, family: str, nickname: str, shown: str) -> None:
    assert display_name(given, family, nickname) == shown
