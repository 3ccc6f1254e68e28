"""How a person's name is shown (kept apart from the tables: cheap to import)."""

import unicodedata


def _east_asian(text: str) -> bool:
    """True when every letter of `text` is Chinese, Japanese or Korean script."""
    letters = [c for c in text if not c.isspace()]
    return bool(letters) and all(
        unicodedata.name(c, "").startswith(("CJK ", "HANGUL ", "HIRAGANA ", "KATAKANA "))
        for c in letters
    )


def display_name(given: str, family: str, nickname: str = "") -> str:
    """ "Zoé Zimmer"; a Chinese, Japanese or Korean name family name first, without a space,
    as it is written (李 + 小龍 → 李小龍, 김 + 민준 → 김민준)."""
    if given and family and _east_asian(given) and _east_asian(family):
        return f"{family.strip()}{given.strip()}"
    name = f"{given} {family}".strip()
    return name or nickname or "?"
