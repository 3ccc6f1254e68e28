"""Likely duplicates: the same e-mail, the same phone number, or (nearly) the same name.

What is proof that two cards are one person (an import merges them) and what is only a
suggestion (shown with its reason, for the person to decide):

- the same personal e-mail address AND compatible names (`names_compatible`) is identity
  (reason `SAME_EMAIL`); an import's same UID is too (see interop/contacts/plan.py);
- the same e-mail with names that cannot be one person's (`SAME_EMAIL_OTHER_NAME`), the same
  generic address such as contact@ or info@ (`SAME_GENERIC_EMAIL`, see `GENERIC_MAILBOXES`),
  the same phone number (an association's office line), the same or a similar name: only
  suggestions.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cmplanner.bus import Changes
from cmplanner.i18n import N_
from cmplanner.model.names import display_name
from cmplanner.services import preferences
from cmplanner.services.contact_data import ContactData
from cmplanner.services.validation import phone_digits
from cmplanner.storage import Database

SAME_EMAIL = N_("same e-mail")
SAME_EMAIL_OTHER_NAME = N_("same e-mail, another name")
SAME_GENERIC_EMAIL = N_("same generic e-mail")
SAME_PHONE = N_("same phone number")
SAME_NAME = N_("same name")
SIMILAR_NAME = N_("similar name")
# Best reasons first (lists of suggestions are sorted by it).
REASON_ORDER = {
    reason: n
    for n, reason in enumerate(
        (
            SAME_EMAIL,
            SAME_EMAIL_OTHER_NAME,
            SAME_PHONE,
            SAME_GENERIC_EMAIL,
            SAME_NAME,
            SIMILAR_NAME,
        )
    )
}
# The reasons that say two cards are the same person (an import merges them).
IDENTITY_REASONS = frozenset({SAME_EMAIL})

# Mailboxes of a team, a desk or an organization rather than of one person: a shared one
# says two cards belong to the same association, not that they are the same person. Compared
# with the part before "@", lower-cased, accents, dots, hyphens and underscores removed and a
# "+tag" dropped ("Service.Client+x@" is "serviceclient"), or with its first word
# ("contact.lyon@", "info-adherents@"). English, French, German, Spanish and Italian; the
# one list: add a mailbox here.
_GENERIC_MAILBOXES = """
    contact contacts info infos information hello hi hey
    admin administration office team staff mail email enquiries
    enquiry inquiries general reception frontdesk help support
    service services customerservice sales marketing press media
    news newsletter events jobs careers hr billing accounts
    accounting orders shop booking bookings tickets members
    membership volunteers partners president secretary treasurer
    board management direction noreply donotreply webmaster
    postmaster hostmaster abuse security noc www
    bonjour salut accueil secretariat secretaire bureau equipe
    courrier courriel asso association club presidence presidente
    tresorier tresoriere tresorerie compta comptabilite facturation
    communication com presse medias commercial ventes vente
    serviceclient aide assistance recrutement emploi rh
    inscription inscriptions adhesion adhesions adherents membres
    benevoles benevolat partenariats partenaires evenements evenement
    agenda programmation billetterie reservation reservations
    boutique commandes mairie ecole redaction contactez nepasrepondre
    kontakt verwaltung buero hola contacto informacion oficina
    ciao contatti segreteria ufficio
"""
GENERIC_MAILBOXES = frozenset(_GENERIC_MAILBOXES.split())
NAME_SIMILARITY = 0.88
# The pairs someone said are two different people (JSON: [[first, second], …], first < second).
NOT_THE_SAME = "duplicates.not_the_same"


@dataclass(frozen=True)
class Duplicate:
    first: int
    second: int
    reason: str  # msgid: translate where shown


def is_generic_email(address: str) -> bool:
    """True for a shared mailbox (contact@, info@, bonjour@…: `GENERIC_MAILBOXES`)."""
    local = address.rpartition("@")[0].split("+", 1)[0]
    text = unicodedata.normalize("NFKD", local)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = [w for w in re.split(r"[._\-]+", text) if w]
    return bool(words) and ("".join(words) in GENERIC_MAILBOXES or words[0] in GENERIC_MAILBOXES)


def _name_words(given: str, family: str) -> list[str]:
    """The words of a name, case and accents ignored, "J.-P." as "j", "p"."""
    text = unicodedata.normalize("NFKD", f"{given} {family}")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return [w for w in re.split(r"[\s.\-]+", text) if w]


def names_compatible(given: str, family: str, other_given: str, other_family: str) -> bool:
    """Could both names be one person's, as an e-mail address shared by both suggests?

    Yes when either has no name at all (a card with only an e-mail), or when every word of
    the shorter name is a word of the other, an initial of one ("J." for "Jean") or the word
    an initial of the other stands for: "Marie Curie" and "Curie" (the given name missing),
    "J.-P. Dubois" and "Jean-Pierre Dubois", "Dubois Jean" and "jean DUBOIS". No for
    "Anne Martin" and "Sophie Durand", or "Anne Martin" and "Anne Durand"."""
    mine, theirs = _name_words(given, family), _name_words(other_given, other_family)
    if not mine or not theirs:
        return True
    short, long = sorted((mine, theirs), key=len)
    left = list(long)
    for word in short:
        found = next(
            (
                n
                for n, other in enumerate(left)
                if other == word
                or (len(word) == 1 and other.startswith(word))
                or (len(other) == 1 and word.startswith(other))
            ),
            None,
        )
        if found is None:
            return False
        del left[found]
    return True


def email_reason(address: str, card: tuple[str, str], other: tuple[str, str]) -> str:
    """Why two cards sharing `address` look alike: identity (`SAME_EMAIL`) only for a personal
    address and names that can be one person's."""
    if is_generic_email(address):
        return SAME_GENERIC_EMAIL
    return SAME_EMAIL if names_compatible(*card, *other) else SAME_EMAIL_OTHER_NAME


def name_key(given: str, family: str) -> str:
    """Case-, accent- and order-insensitive: "Benoît DUBOIS" == "dubois benoit"."""
    text = unicodedata.normalize("NFKD", f"{given} {family}")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(text.replace("-", " ").split()))


def _keep_best(found: dict[int, str], contact_id: int, reason: str) -> None:
    known = found.get(contact_id)
    if known is None or REASON_ORDER[reason] < REASON_ORDER[known]:
        found[contact_id] = reason


def _best_first(found: dict[int, str]) -> list[tuple[int, str]]:
    return sorted(found.items(), key=lambda item: (REASON_ORDER[item[1]], item[0]))


def likely_matches(db: Database, card: ContactData, region: str = "FR") -> list[tuple[int, str]]:
    """Existing contacts that `card` probably is, with why; best reasons first."""
    found: dict[int, str] = {}
    emails = [e.value.casefold() for e in card.emails if e.value]
    digits = [d for d in (phone_digits(p.value, region) for p in card.phones) if d]
    key = name_key(card.given_name, card.family_name)
    names = (card.given_name, card.family_name)
    with db.read() as con:
        if emails:
            marks = ",".join("?" * len(emails))
            for cid, address, given, family in con.execute(
                "SELECT e.contact_id, lower(e.address), c.given_name, c.family_name"
                f" FROM contact_email e JOIN contact c ON c.id = e.contact_id"
                f" WHERE lower(e.address) IN ({marks})",
                emails,
            ):
                _keep_best(found, cid, email_reason(address, names, (given, family)))
        for number in digits:
            # The index holds each number's digits: a cheap exact look-up, then a check.
            for cid, stored in con.execute(
                "SELECT p.contact_id, p.number FROM contact_phone p WHERE p.contact_id IN "
                "(SELECT rowid FROM contact_search WHERE contact_search MATCH ?)",
                (f'phones:"{number}"',),
            ):
                if phone_digits(stored, region) == number:
                    _keep_best(found, cid, SAME_PHONE)
        if key:
            family = card.family_name.strip()
            candidates = con.execute(
                "SELECT id, given_name, family_name FROM contact"
                " WHERE family_name = ? COLLATE NOCASE OR given_name = ? COLLATE NOCASE",
                (family or card.given_name.strip(), family or card.given_name.strip()),
            ).fetchall()
            for cid, given, fam in candidates:
                if name_key(given, fam) == key:
                    _keep_best(found, cid, SAME_NAME)
    return _best_first(found)


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
            "SELECT given_name, family_name, nickname, language, formatted_name FROM contact"
            " WHERE id = ?",
            (contact_id,),
        ).fetchone()
        if row is None or not any(part.strip() for part in (*row[:3], row[4])):
            return ""
        return display_name(*row)

    def likely_matches(self, card: ContactData) -> list[tuple[int, str]]:
        found: dict[int, str] = {}
        if self.emails:
            names = (card.given_name, card.family_name)
            for e in card.emails:
                address = e.value.casefold()
                for cid in self.emails.get(address, ()) if address else ():
                    _keep_best(found, cid, email_reason(address, names, self.names[cid]))
        if self.has_phones:
            for p in card.phones:
                number = phone_digits(p.value, self.region)
                if number:
                    for cid in self._same_phone(number):
                        _keep_best(found, cid, SAME_PHONE)
        key = name_key(card.given_name, card.family_name) if self.names else ""
        if key:
            value = card.family_name.strip() or card.given_name.strip()
            for cid in sorted(set(self.by_name.get(_nocase(value), ()))):
                if self._key(cid) == key:
                    _keep_best(found, cid, SAME_NAME)
        return _best_first(found)

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
        self._emails: dict[str, tuple[int, tuple[str, str]]] = {}
        self._phones: dict[str, int] = {}
        self._names: dict[str, int] = {}

    def match_and_add(self, card: ContactData, position: int) -> tuple[int, str] | None:
        """The earlier card `card` probably is (its position, why), then remember `card`."""
        names = (card.given_name, card.family_name)
        emails = [e.value.casefold() for e in card.emails if e.value]
        phones = [
            "".join(c for c in p.value if c.isdigit())
            for p in card.phones
            if p.value.startswith("+")
        ]
        key = name_key(card.given_name, card.family_name)
        found: tuple[int, str] | None = None
        for address in emails:
            earlier = self._emails.setdefault(address, (position, names))
            if earlier[0] != position:
                reason = email_reason(address, names, earlier[1])
                if found is None or REASON_ORDER[reason] < REASON_ORDER[found[1]]:
                    found = (earlier[0], reason)
        for keys, seen, reason in (
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
    try:
        stored = json.loads(preferences.get(db, NOT_THE_SAME) or "[]")
        return {(min(a, b), max(a, b)) for a, b in stored if isinstance(a, int) and a != b}
    except (ValueError, TypeError):
        return set()  # a damaged value only forgets the pairs set aside, it never fails


def are_apart(db: Database, first: int, second: int) -> bool:
    """Whether the two contacts were said to be different people (`set_not_the_same`)."""
    return (min(first, second), max(first, second)) in not_the_same(db)


def set_not_the_same(db: Database, first: int, second: int, apart: bool = True) -> Changes:
    """Remember (or, `apart=False`, forget: undo) that two contacts are different people, so
    `find_duplicates` no longer pairs them."""
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

    def pair_up(groups: Iterable[list[int]], reason: Callable[[int, int], str]) -> None:
        for ids in groups:
            ids = sorted(set(ids))
            for n, first in enumerate(ids):
                for second in ids[n + 1 :]:
                    why = reason(first, second)
                    known = pairs.get((first, second))
                    if known is None or REASON_ORDER[why] < REASON_ORDER[known]:
                        pairs[(first, second)] = why

    with db.read() as con:
        names: dict[int, tuple[str, str]] = {
            cid: (given, family)
            for cid, given, family in con.execute("SELECT id, given_name, family_name FROM contact")
        }
        by_email: dict[str, list[int]] = defaultdict(list)
        for cid, address in con.execute("SELECT contact_id, lower(address) FROM contact_email"):
            by_email[address].append(cid)
        for address, ids in by_email.items():
            if len(ids) > 1:

                def why(a: int, b: int, e: str = address) -> str:
                    return email_reason(e, names[a], names[b])

                pair_up([ids], why)

        by_phone: dict[str, list[int]] = defaultdict(list)
        for cid, number in con.execute("SELECT contact_id, number FROM contact_phone"):
            digits = phone_digits(number, region)
            if digits:
                by_phone[digits].append(cid)
        pair_up((ids for ids in by_phone.values() if len(ids) > 1), lambda a, b: SAME_PHONE)

    by_name: dict[str, list[int]] = defaultdict(list)
    for cid, (given, family) in names.items():
        key = name_key(given, family)
        if key:
            by_name[key].append(cid)
    pair_up((ids for ids in by_name.values() if len(ids) > 1), lambda a, b: SAME_NAME)

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
    apart = not_the_same(db)
    return sorted(
        (Duplicate(a, b, reason) for (a, b), reason in pairs.items() if (a, b) not in apart),
        key=lambda d: (REASON_ORDER[d.reason], d.first, d.second),
    )
