"""How names are shown: as people write them."""

from __future__ import annotations

import pytest

from cmplanner.model.names import display_name, family_name_first, written_together
from cmplanner.services.contact_data import ContactData, Labelled


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
        ("太郎", "佐々木", "", "佐々木太郎"),  # 々 is part of the name, not a foreign letter
        ("ケン", "スズキ", "", "スズキケン"),  # katakana
        ("Bruce", "李", "", "Bruce 李"),  # mixed scripts: the usual order
        ("Ελένη", "Παπαδοπούλου", "", "Ελένη Παπαδοπούλου"),
        (" Zoé ", " Zimmer ", "", "Zoé Zimmer"),
    ],
)
def test_display_name(given: str, family: str, nickname: str, shown: str) -> None:
    assert display_name(given, family, nickname) == shown


@pytest.mark.parametrize(
    ("given", "family", "language", "shown"),
    [
        ("János", "Nagy", "hu", "Nagy János"),  # Hungarian: family name first, a space
        ("Văn An", "Nguyễn", "vi", "Nguyễn Văn An"),
        ("Taro", "Yamada", "ja-JP", "Yamada Taro"),  # a region or a script after the language
        ("Xiaoming", "Wang", "zh_Hant", "Wang Xiaoming"),
        ("Minjun", "Kim", "KO", "Kim Minjun"),
        ("Zoé", "Zimmer", "fr", "Zoé Zimmer"),
        ("Zoé", "Zimmer", "", "Zoé Zimmer"),
        ("Zoé", "Zimmer", "huh", "Zoé Zimmer"),  # not Hungarian
        ("小龍", "李", "en", "李小龍"),  # the script wins over the language
        ("János", "", "hu", "János"),  # one part: itself
    ],
)
def test_the_contacts_language_can_put_the_family_name_first(
    given: str, family: str, language: str, shown: str
) -> None:
    assert display_name(given, family, "", language) == shown
    if given and family:
        assert family_name_first(given, family, language) == shown.startswith(family)


def test_written_together_needs_both_parts_in_east_asian_script() -> None:
    assert written_together("小明", "王")
    assert not written_together("Bruce", "李")
    assert not written_together("", "王")


def test_a_card_shows_its_name_in_the_same_order() -> None:
    card = ContactData(given_name="János", family_name="Nagy", language="hu")
    assert card.display_name == "Nagy János"
    assert ContactData(given_name="小明", family_name="王").display_name == "王小明"
    assert ContactData(emails=(Labelled("x@example.org"),)).display_name == "x@example.org"
