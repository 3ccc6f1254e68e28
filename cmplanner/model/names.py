"""How a person's name is shown (kept apart from the tables: cheap to import).

One rule for every place a name is written whole — lists, pickers, vCard FN, PDFs, the CLI:

1. Both parts in Chinese, Japanese or Korean script (Han, kana, Hangul): family name first,
   no space between the parts, as the name is written (李 + 小龍 → 李小龍, 김 + 민준 → 김민준),
   whatever the contact's language.
2. Else, a contact whose language writes the family name first (FAMILY_NAME_FIRST: Hungarian,
   Japanese, Korean, Chinese, Vietnamese, Khmer…): family name, a space, given name
   ("Nagy" + "János" → "Nagy János", "Nguyễn" + "Văn An" → "Nguyễn Văn An").
3. Else given name, a space, family name ("Zoé Zimmer").

Only given name or only family name: that one; neither: the nickname; nothing: "?".
Sorting is not changed by this: lists sort on the family name column.
"""

import unicodedata

# Primary language subtags (ISO 639) whose names are written family name first.
FAMILY_NAME_FIRST = frozenset({"hu", "ja", "km", "ko", "vi", "yue", "zh"})
# Unicode character names of Han, kana and Hangul, with the marks names are written with
# (佐々木's 々, ー in katakana).
_EAST_ASIAN_SCRIPTS = (
    "CJK ",
    "HANGUL ",
    "HIRAGANA ",
    "KATAKANA",
    "IDEOGRAPHIC ITERATION MARK",
    "VERTICAL IDEOGRAPHIC ITERATION MARK",
    "IDEOGRAPHIC CLOSING MARK",
)


def east_asian_script(text: str) -> bool:
    """True when every letter of `text` is Chinese, Japanese or Korean script."""
    letters = [c for c in text if not c.isspace()]
    return bool(letters) and all(
        unicodedata.name(c, "").startswith(_EAST_ASIAN_SCRIPTS) for c in letters
    )


def written_together(given: str, family: str) -> bool:
    """Both parts in Chinese, Japanese or Korean script: written family name first, with no
    space between them."""
    return (
        bool(given.strip() and family.strip())
        and east_asian_script(given)
        and east_asian_script(family)
    )


def family_name_first(given: str, family: str, language: str = "") -> bool:
    """Whether the family name comes first when the whole name is written (rules 1 and 2)."""
    if written_together(given, family):
        return True
    primary = language.strip().replace("_", "-").split("-")[0].casefold()
    return primary in FAMILY_NAME_FIRST


def display_name(given: str, family: str, nickname: str = "", language: str = "") -> str:
    """The whole name as it is written (see the module's rule); `language` is the contact's
    (a code such as "hu", "ja-JP", "zh_Hant")."""
    given, family = given.strip(), family.strip()
    if given and family:
        if written_together(given, family):
            return f"{family}{given}"
        if family_name_first(given, family, language):
            return f"{family} {given}"
        return f"{given} {family}"
    return given or family or nickname.strip() or "?"
