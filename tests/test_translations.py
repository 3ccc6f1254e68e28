"""The interface is complete in French: every message of the code has a French translation."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from cmplanner.i18n import _, set_language

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "resources" / "locale" / "fr" / "LC_MESSAGES" / "cmplanner.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\(\w+\)[rsd]|%[sd]")


# What `make translations` extracts: gettext's keywords, and NP_ (a message and its context).
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}


def extracted() -> set[tuple[str | tuple[str, ...], str | None]]:
    """Each message of the code, with its context (None for most)."""
    found: set[tuple[str | tuple[str, ...], str | None]] = set()
    for folder in ("cmplanner", "ui"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS
        ):
            found.add((message if isinstance(message, str) else tuple(message), context))
    return found


def code_messages() -> set[str | tuple[str, ...]]:
    return {message for message, _context in extracted()}


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    with PO.open("rb") as f:
        return read_po(f)


def test_every_message_has_a_french_translation(catalog) -> None:  # type: ignore[no-untyped-def]
    untranslated = []
    for message, context in sorted(extracted(), key=str):
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key, context=context)
        strings = () if entry is None else entry.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(strings):
            untranslated.append(message)
    assert untranslated == [], "run `make translations` and translate these"


def test_no_message_is_both_singular_and_plural() -> None:
    # gettext keeps a plural entry under (msgid, n): `_()` of the same msgid finds nothing and
    # shows English. One catalog entry per msgid, so each is used one way only.
    messages = code_messages()
    plural_ids = {m[0] for m in messages if isinstance(m, tuple)}
    both = sorted(m for m in messages if isinstance(m, str) and m in plural_ids)
    assert both == []


def test_translations_keep_their_placeholders(catalog) -> None:  # type: ignore[no-untyped-def]
    for entry in catalog:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        every = set(PLACEHOLDER.findall(ids[-1]))
        for n, string in enumerate(strings):
            found = set(PLACEHOLDER.findall(string))
            if n == 0 and len(ids) > 1:
                # The singular may leave the count out ("Every month"), like the English one.
                assert set(PLACEHOLDER.findall(ids[0])) <= found <= every, entry.id
            else:
                assert found == every, entry.id


def test_compiled_catalog_matches_the_po(catalog) -> None:  # type: ignore[no-untyped-def]
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for entry in catalog:
        if entry.id and isinstance(entry.id, str):
            found = (
                compiled.pgettext(entry.context, entry.id)
                if entry.context
                else compiled.gettext(entry.id)
            )
            assert found == entry.string, "run `make translations`"


def test_language_switch() -> None:
    set_language("fr")
    assert _("Dashboard") == "Tableau de bord"
    set_language("en")
    assert _("Dashboard") == "Dashboard"


def test_no_message_is_hidden_inside_an_f_string() -> None:
    """The extractor cannot see `_("…")` written inside an f-string: it would stay English."""
    # `_(` or `ngettext(` anywhere inside an f-string's braces: "{_('…')}", "{x(_('…'))}".
    hidden = re.compile(r"""\bf(["']).*?\{[^}]*\b(?:_|ngettext)\(["']""")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("cmplanner", "ui")
        for path in (ROOT / folder).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if hidden.search(line)
    ]
    assert offenders == []


def test_e_mail_problems_are_explained_in_french() -> None:
    from cmplanner.services.validation import normalize_email

    set_language("fr")
    try:
        assert normalize_email("lea@")[1] == (
            "« lea@ » n'est pas une adresse e-mail valide : Il manque la partie après le @."
        )
    finally:
        set_language("en")


def test_french_punctuation_never_starts_a_line(catalog) -> None:  # type: ignore[no-untyped-def]
    """French puts a space before : ; ! ? » and after «; a plain one lets the line break
    there ("Débrief de « Apéro du jeudi" / "»"): it is a no-break space."""
    breakable = re.compile(r"[ \t\n]([:;!?»])|«[ \t\n]")
    offenders = []
    for entry in catalog:
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        offenders += [s for s in strings if s and breakable.search(s)]
    assert offenders == []
