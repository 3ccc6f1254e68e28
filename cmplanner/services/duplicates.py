"""Likely duplicates: the same e-mail, the same phone number, or (nearly) the same name."""

from __future__ import annotations

import difflib
import json
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cmplanner.bus import Changes
from cmplanner.i18n import N_
from cmplanner.model.names import display_name
from cmplanner.services.contact_data import ContactData
from cmplanner.services.validation import phone_digits
from cmplanner.storage import Database

SAME_EMAIL = N_("same e-mail")
SAME_PHONE = N_("same phone number")
SAME_NAME = N_("same name")
SIMILAR_NAME = N_("similar name")
NAME_SIMILARITY = 0.88
# The pairs someone said are two different people (JSON: [[first, second], …], first < second).
NOT_THE_SAME = "duplicates.not_the_same"


@dataclass(frozen=True)
class Duplicate:
    first: int
    second: int
    reason: str  # msgid: translate where shown


def name_key(given: str, family: str) -> str:
    """Case-, accent- and order-insensitive: "Benoît DUBOIS" == "dubois benoit"."""
    text = unicodedata.normalize("NFKD", f"{given} {family}")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(text.replace("-", " ").split()))


def likely_matches(db: Database, card: ContactData, region: str = "FR") -> list[tuple[int, str]]:
    """Existing contacts that `card` probably is, with why; best reasons first."""
    found: dict[int, str] = {}
    emails = [e.value.casefold() for e in card.emails if e.value]
    digits = [d for d in (phone_digits(p.value, region) for p in card.phones) if d]
    key = name_key(card.given_name, card.family_name)
    with db.read() as con:
        if emails:
            marks = ",".join("?" * len(emails))
            for (cid,) in con.execute(
                f"SELECT DISTINCT contact_id FROM contact_email WHERE lower(address) IN ({marks})",
                emails,
            ):
                found.setdefault(cid, SAME_EMAIL)
        for number in digits:
            # The index holds each number's digits: a cheap exact look-up, then a check.
            for cid, stored in con.execute(
                "SELECT p.contact_id, p.number FROM contact_phone p WHERE p.contact_id IN "
                "(SELECT rowid FROM contact_search WHERE contact_search MATCH ?)",
                (f'phones:"{number}"',),
            ):
                if phone_digits(stored, region) == number:
                    found.setdefault(cid, SAME_PHONE)
        if key:
            family = card.family_name.strip()
            candidates = con.execute(
                "SELECT id, given_name, family_name FROM contact"
                " WHERE family_name = ? COLLATE NOCASE OR given_name = ? COLLATE NOCASE",
                (family or card.given_name.strip(), family or card.given_name.strip()),
            ).fetchall()
            for cid, given, fam in candidates:
                if name_key(given, fam) == key:
                    found.setdefault(cid, SAME_NAME)
    order = {SAME_EMAIL: 0, SAME_PHONE: 1, SAME_NAME: 2}
    return sorted(found.items(), key=lambda item: (order[item[1]], item[0]))


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _nocase(text: str) -> str:
    """SQLite's NOCASE and lower(): ASCII letters only."""
    return text.translate(_ASCII_LOWER)


class BookMatcher:
    """`likely_matches` for many cards: the book's e-mails and names read once (one scan
    each), its phones looked up in the search index. Same answers, card for card."""

    def __init__(self, con: sqlite3.Connection, region: str = "FR") -> None:
        self.con = con
        self.region = region
        self.emails: dict[str, list[int]] = defaultdict(list)
        for cid, address in con.execute("SELECT contact_id, lower(address) FROM contact_email"):
            self.emails[address].append(cid)
        self.names: dict[int, tuple[str, str]] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for cid, given, family in con.execute("SELECT id, given_name, family_name FROM contact"):
            self.names[cid] = (given, family)
            self.by_name[_nocase(family)].append(cid)
            if _nocase(given) != _nocase(family):
                self.by_name[_nocase(given)].append(cid)
        self.has_phones = con.execute("SELECT 1 FROM contact_phone LIMIT 1").fetchone() is not None
        self._keys: dict[int, str] = {}
        self._phones: dict[str, list[int]] = {}

    def display_name(self, contact_id: int) -> str:
        """The contact's whole name as lists show it ("" when it has none)."""
        row = self.con.execute(
            "SELECT given_name, family_name, nickname, language FROM contact WHERE id = ?",
            (contact_id,),
        ).fetchone()
        if row is None or not any(part.strip() for part in row[:3]):
            return ""
        return display_name(*row)

    def likely_matches(self, card: ContactData) -> list[tuple[int, str]]:
        found: dict[int, str] = {}
        if self.emails:
            for e in card.emails:
                for cid in self.emails.get(e.value.casefold(), ()) if e.value else ():
                    found.setdefault(cid, SAME_EMAIL)
        if self.has_phones:
            for p in card.phones:
                number = phone_digits(p.value, self.region)
                if number:
                    for cid in self._same_phone(number):
                        found.setdefault(cid, SAME_PHONE)
        key = name_key(card.given_name, card.family_name) if self.names else ""
        if key:
            value = card.family_name.strip() or card.given_name.strip()
            for cid in sorted(set(self.by_name.get(_nocase(value), ()))):
                if self._key(cid) == key:
                    found.setdefault(cid, SAME_NAME)
        order = {SAME_EMAIL: 0, SAME_PHONE: 1, SAME_NAME: 2}
        return sorted(found.items(), key=lambda item: (order[item[1]], item[0]))

    def _key(self, contact_id: int) -> str:
        key = self._keys.get(contact_id)
        if key is None:
            key = self._keys[contact_id] = name_key(*self.names[contact_id])
        return key

    def _same_phone(self, number: str) -> list[int]:
        found = self._phones.get(number)
        if found is None:
            found = self._phones[number] = [
                cid
                for cid, stored in self.con.execute(
                    "SELECT p.contact_id, p.number FROM contact_phone p WHERE p.contact_id IN "
                    "(SELECT rowid FROM contact_search WHERE contact_search MATCH ?)",
                    (f'phones:"{number}"',),
                )
                if phone_digits(stored, self.region) == number
            ]
        return found


class FileMatcher:
    """Cards of one file that are probably the same person as an earlier card of it: the same
    e-mail, the same (international) phone number, the same name. Cheap: no phone parsing (an
    imported card's numbers are already normalised; one that is not is not compared)."""

    def __init__(self) -> None:
        self._emails: dict[str, int] = {}
        self._phones: dict[str, int] = {}
        self._names: dict[str, int] = {}

    def match_and_add(self, card: ContactData, position: int) -> tuple[int, str] | None:
        """The earlier card `card` probably is (its position, why), then remember `card`."""
        emails = [e.value.casefold() for e in card.emails if e.value]
        phones = [
            "".join(c for c in p.value if c.isdigit())
            for p in card.phones
            if p.value.startswith("+")
        ]
        key = name_key(card.given_name, card.family_name)
        found: tuple[int, str] | None = None
        for keys, seen, reason in (
            (emails, self._emails, SAME_EMAIL),
            (phones, self._phones, SAME_PHONE),
            ([key] if key else [], self._names, SAME_NAME),
        ):
            if found is None:
                found = next(((seen[k], reason) for k in keys if k in seen), None)
            for k in keys:
                seen.setdefault(k, position)
        return found


def not_the_same(db: Database) -> set[tuple[int, int]]:
    """The pairs said to be two different people ("Not a duplicate")."""
    from cmplanner.services import preferences

    try:
        stored = json.loads(preferences.get(db, NOT_THE_SAME) or "[]")
        return {(min(a, b), max(a, b)) for a, b in stored if isinstance(a, int) and a != b}
    except (ValueError, TypeError):
        return set()  # a damaged value only forgets the pairs set aside, it never fails


def set_not_the_same(db: Database, first: int, second: int, apart: bool = True) -> Changes:
    """Remember (or, `apart=False`, forget: undo) that two contacts are different people, so
    `find_duplicates` no longer pairs them."""
    from cmplanner.services import preferences

    pairs = not_the_same(db)
    key = (min(first, second), max(first, second))
    if apart:
        pairs.add(key)
    else:
        pairs.discard(key)
    return preferences.put(db, NOT_THE_SAME, json.dumps(sorted(pairs)))


def find_duplicates(db: Database, region: str = "FR") -> list[Duplicate]:
    """Pairs of contacts that are probably the same person, across the whole book, but for
    the pairs said to be different people."""
    pairs: dict[tuple[int, int], str] = {}

    def pair_up(groups: Iterable[list[int]], reason: str) -> None:
        for ids in groups:
            ids = sorted(set(ids))
            for n, first in enumerate(ids):
                for second in ids[n + 1 :]:
                    pairs.setdefault((first, second), reason)

    with db.read() as con:
        by_email: dict[str, list[int]] = defaultdict(list)
        for cid, address in con.execute("SELECT contact_id, lower(address) FROM contact_email"):
            by_email[address].append(cid)
        pair_up((ids for ids in by_email.values() if len(ids) > 1), SAME_EMAIL)

        by_phone: dict[str, list[int]] = defaultdict(list)
        for cid, number in con.execute("SELECT contact_id, number FROM contact_phone"):
            digits = phone_digits(number, region)
            if digits:
                by_phone[digits].append(cid)
        pair_up((ids for ids in by_phone.values() if len(ids) > 1), SAME_PHONE)

        by_name: dict[str, list[int]] = defaultdict(list)
        for cid, given, family in con.execute("SELECT id, given_name, family_name FROM contact"):
            key = name_key(given, family)
            if key:
                by_name[key].append(cid)
    pair_up((ids for ids in by_name.values() if len(ids) > 1), SAME_NAME)

    # Near-identical names ("Benoit Dubois" / "Benoît Duboi"), compared within buckets of
    # the same first letters so 100,000 contacts stay far from 10^10 comparisons.
    buckets: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, ids in by_name.items():
        buckets[key[:2]].append((key, ids[0]))
    for items in buckets.values():
        if len(items) > 400:
            continue  # too common a prefix to compare pairwise; exact matches still count
        for n, (key_a, a) in enumerate(items):
            for key_b, b in items[n + 1 :]:
                if abs(len(key_a) - len(key_b)) > 2:
                    continue
                if difflib.SequenceMatcher(None, key_a, key_b).ratio() >= NAME_SIMILARITY:
                    pairs.setdefault((min(a, b), max(a, b)), SIMILAR_NAME)
    order = {SAME_EMAIL: 0, SAME_PHONE: 1, SAME_NAME: 2, SIMILAR_NAME: 3}
    apart = not_the_same(db)
    return sorted(
        (Duplicate(a, b, reason) for (a, b), reason in pairs.items() if (a, b) not in apart),
        key=lambda d: (order[d.reason], d.first, d.second),
    )
