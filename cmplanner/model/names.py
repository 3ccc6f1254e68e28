"""How a person's name is shown (kept apart from the tables: cheap to import)."""

import unicodedata


def _east_asian(text: str) -> bool:
    """True when every letter of `text` is Chinese, Japanese or Korean script."""
    letters = [c for c in text if not c.isspace()]
    return bool(letters) and all(
        unicodedata.name(c, "").startswith(("CJK ", "HANGUL ", "HIRAGANA ", "KATAKANA "))
        for c in letters
    )


def display_name(
    given: str,
    family: str,
    nickname: str = "",
    formatted: str = "",
    email: str = "",
    phone: str = "",
) -> str:
    """ "Zoé Zimmer"; a Chinese, Japanese or Korean name family name first, without a space,
    as it is written (李 + 小龍 → 李小龍, 김 + 민준 → 김민준). The name the person chose to be
    shown (`formatted`, vCard FN) comes first; a card without any name shows its nickname,
    else its e-mail, else its phone number (`contact_name_sql` reads them all)."""
    if formatted.strip():
        return formatted.strip()
    if given and family and _east_asian(given) and _east_asian(family):
        return f"{family.strip()}{given.strip()}"
    name = f"{given} {family}".strip()
    return name or nickname or email or phone or "?"


def contact_name_sql(alias: str = "c") -> str:
    """The six columns `display_name` takes, in its order, for the contact table aliased
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
            f"{alias}.formatted_name",
            first("address", "contact_email"),
            first("number", "contact_phone"),
        )
    )
