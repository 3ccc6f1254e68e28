"""How a person's name is shown (kept apart from the tables: cheap to import).

One rule for every place a name is written whole — lists, pickers, vCard FN, PDFs, the CLI:

1. Both parts in Chinese, Japanese or Korean script (Han, kana, Hangul): family name first,
   no space between the parts, as the name is written (李 + 小龍 → 李小龍, 김 + 민준 → 김민준),
   whatever the contact's language.
2. Else, a contact whose language writes the family name first (FAMILY_NAME_FIRST: Hungarian,
   Japanese, Korean, Chinese, Vietnamese, Khmer…): family name, a space, given name
   ("Nagy" + "János" → "Nagy János", "Nguyễn" + "Văn An" → "Nguyễn Văn An").
3. Else given name, a space, family name ("Zoé Zimmer").

A name the person chose to be shown (vCard FN, `formatted`) wins over all of this. Only given
name or only family name: that one; neither: the nickname, else the first e-mail, else the
first phone number; nothing: "?".
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


def display_name(
    given: str,
    family: str,
    nickname: str = "",
    language: str = "",
    formatted: str = "",
    email: str = "",
    phone: str = "",
) -> str:
    """The whole name as it is written (see the module's rule); `language` is the contact's
    (a code such as "hu", "ja-JP", "zh_Hant"). The name the person chose to be shown
    (`formatted`, vCard FN) comes first; a card without any name shows its nickname, else its
    e-mail, else its phone number (`contact_name_sql` reads them all)."""
    if formatted.strip():
        return formatted.strip()
    given, family = given.strip(), family.strip()
    if given and family:
        if written_together(given, family):
            return f"{family}{given}"
        if family_name_first(given, family, language):
            return f"{family} {given}"
        return f"{given} {family}"
    return given or family or nickname.strip() or email.strip() or phone.strip() or "?"


def contact_name_sql(alias: str = "c") -> str:
    """The seven columns `display_name` takes, in its order, for the contact table aliased
    `alias` (the first e-mail and phone as the lists show them)."""

    def first(column: str, table: str) -> str:
        return (
            f"coalesce((SELECT {column} FROM {table} x WHERE x.contact_id = {alias}.id"
            " ORDER BY position, id LIMIT 1), '')"
        )

    return ", ".join(
        (
            f"{alias}.given_name",
            f"{alias}.family_name",
            f"{alias}.nickname",
            f"{alias}.language",
            f"{alias}.formatted_name",
            first("address", "contact_email"),
            first("number", "contact_phone"),
        )
    )
