"""Checking and normalising what people type: e-mails (email-validator, no DNS) and phone
numbers (phonenumbers). A national number is read in the region of the card's own address
country when it has one, else in the default region (the preference); one that is not a
valid number of that region, as written there, is a problem (an import keeps it as written,
with a warning): never rewritten into another country's number."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from typing import Any

from cmplanner.formats import count
from cmplanner.i18n import N_, _, current_language, ngettext
from cmplanner.services.contact_data import AddressData, ContactData, FieldProblem, Labelled
from cmplanner.services.partial_dates import parse_partial_date

DEFAULT_REGION = "FR"
NEEDS_A_NAME = N_("A contact needs a name, an e-mail or a phone number.")
# The longest note an import takes, in characters (some 40 printed pages): far beyond what
# anyone writes about a person; a longer one is a file pasted by mistake or a hostile card.
# Notes are kept whole and indexed by the contact search, and a card with a 20 MB note took
# 3 GB of memory to import.
NOTE_MAX_CHARS = 100_000


# A plain ASCII address: the dot-atom local part email-validator accepts as it is, and a
# domain of letters, digits, dots and hyphens. Its domain's check is the same whatever the
# local part, so it is done once per domain (an import has thousands of one domain).
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_PLAIN_DOMAIN = re.compile(r"[A-Za-z0-9.-]+")
_MAX_ADDRESS = 254  # email-validator's limit, in UTF-8 bytes


def normalize_email(value: str) -> tuple[str, str | None]:
    """(normalised address, problem or None). No DNS look-up: offline and instant."""
    text = value.strip()
    local, at, domain = text.rpartition("@")
    if at and _PLAIN_LOCAL.fullmatch(local) and _PLAIN_DOMAIN.fullmatch(domain):
        checked = _checked_domain(domain)
        if checked is not None and local.lower() not in _case_insensitive_mailboxes():
            normalized = f"{local}@{checked[0]}"
            longest = max(len(text), len(normalized.encode()), len(local) + 1 + len(checked[1]))
            if longest <= _MAX_ADDRESS:
                return normalized, None
    return _validated_email(text)


@functools.lru_cache(maxsize=4096)
def _checked_domain(domain: str) -> tuple[str, str] | None:
    """(normalised domain, its IDNA ASCII form) as email-validator gives them, or None when
    it refuses the domain (the full check then says why)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email("a@" + domain, check_deliverability=False)
    except EmailNotValidError:
        return None
    return result.domain, result.ascii_domain


@functools.cache
def _case_insensitive_mailboxes() -> frozenset[str]:
    from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

    return frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)


def _validated_email(text: str) -> tuple[str, str | None]:
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return text, _("“{value}” is not a valid e-mail address: {reason}").format(
            value=text, reason=email_reason(str(exc))
        )
    return result.normalized, None


# email-validator explains in English only: every reason of its 2.x releases, for the catalog
# (tests/services/test_email_reasons.py reads the installed library's source for new ones).
EMAIL_REASONS = {
    N_("A bracketed IP address after the @-sign is not allowed here."),
    N_("A display name and angle brackets around the email address are not permitted here."),
    N_("An email address cannot end with a hyphen."),
    N_("An email address cannot end with a period."),
    N_("An email address cannot have a hyphen immediately after the @-sign."),
    N_("An email address cannot have a hyphen immediately before the @-sign."),
    N_("An email address cannot have a period and a hyphen next to each other."),
    N_("An email address cannot have a period immediately after the @-sign."),
    N_("An email address cannot have a period immediately before the @-sign."),
    N_(
        "An email address cannot have two letters followed by two dashes immediately after"
        " the @-sign or after a period, except Punycode."
    ),
    N_("An email address cannot have two periods in a row."),
    N_("An email address cannot start with a hyphen."),
    N_("An email address cannot start with a period."),
    N_("An email address must have an @-sign."),
    N_(
        "An open angle bracket at the start of the email address has to be followed by a"
        " close angle bracket at the end."
    ),
    N_("Internationalized characters before the @-sign are not supported."),
    N_("Quoting the part before the @-sign is not allowed here."),
    N_("The IPv6 address in brackets after the @-sign is not valid (It has a zone index)."),
    N_("The email address contains an invalid character."),
    N_("The email address contains invalid characters after the @-sign after IDNA encoding."),
    N_("The email address contains invalid characters before the @-sign."),
    N_(
        'The email address has the "full-width" at-sign (@) character instead of a regular at-sign.'
    ),
    N_('The email address has the "small commercial at" character instead of a regular at-sign.'),
    N_("The email address is not valid ASCII."),
    N_("The part after the @-sign contains an invalid address literal tag in brackets."),
    N_(
        "The part after the @-sign in brackets is not an IPv4 address and has no address"
        " literal tag."
    ),
    N_(
        "The part after the @-sign is a special-use or reserved name that cannot be used with"
        " email."
    ),
    N_("The part after the @-sign is not valid. It is not within a valid top-level domain."),
    N_("The part after the @-sign is not valid. It should have a period."),
    N_("There can't be anything after the email address."),
    N_("There must be something after the @-sign."),
    N_("There must be something before the @-sign."),
}
# The reasons that end with the characters at fault or a figure: (their English start, the
# message with the rest as {detail}); longer starts first.
_EMAIL_REASON_STARTS = (
    (
        "The email address contains invalid characters in quotes before the @-sign: ",
        N_("The email address contains invalid characters in quotes before the @-sign: {detail}"),
    ),
    (
        "The email address contains invalid characters before the @-sign: ",
        N_("The email address contains invalid characters before the @-sign: {detail}"),
    ),
    (
        "Internationalized characters before the @-sign are not supported: ",
        N_("Internationalized characters before the @-sign are not supported: {detail}"),
    ),
    (
        "The email address contains unsafe characters: ",
        N_("The email address contains unsafe characters: {detail}"),
    ),
    (
        "The part after the @-sign contains invalid characters after Unicode normalization: ",
        N_(
            "The part after the @-sign contains invalid characters after Unicode"
            " normalization: {detail}"
        ),
    ),
    (
        "The part after the @-sign contains invalid characters in brackets: ",
        N_("The part after the @-sign contains invalid characters in brackets: {detail}"),
    ),
    (
        "The part after the @-sign contains invalid characters: ",
        N_("The part after the @-sign contains invalid characters: {detail}"),
    ),
    (
        "The part after the @-sign contains invalid characters ",
        N_("The part after the @-sign contains invalid characters {detail}"),
    ),
    (
        "The display name contains invalid characters when not quoted: ",
        N_("The display name contains invalid characters when not quoted: {detail}"),
    ),
    (
        "Extra character(s) found after close quote: ",
        N_("Extra characters found after the closing quote: {detail}"),
    ),
    (
        "The email address is too long before the @-sign ",
        N_("The email address is too long before the @-sign {detail}"),
    ),
    (
        "The email address is too long after the @-sign ",
        N_("The email address is too long after the @-sign {detail}"),
    ),
    ("The email address is too long ", N_("The email address is too long {detail}")),
    (
        "After the @-sign, periods cannot be separated by so many characters ",
        N_("After the @-sign, periods cannot be separated by so many characters {detail}"),
    ),
    (
        "The part after the @-sign became invalid after normalizing to international characters ",
        N_(
            "The part after the @-sign became invalid after normalizing to international"
            " characters {detail}"
        ),
    ),
    (
        "The part after the @-sign is not valid IDNA ",
        N_("The part after the @-sign is not valid IDNA {detail}"),
    ),
    ("The part after the @-sign is invalid ", N_("The part after the @-sign is invalid {detail}")),
    (
        "The IPv6 address in brackets after the @-sign is not valid ",
        N_("The IPv6 address in brackets after the @-sign is not valid {detail}"),
    ),
    (
        "The address in brackets after the @-sign is not valid: It is not an IPv4 address ",
        N_(
            "The address in brackets after the @-sign is not valid: it is not an IPv4 address"
            " and has no address literal tag {detail}"
        ),
    ),
    ("After Unicode normalization: ", N_("After Unicode normalization: {detail}")),
)
_TOO_MANY = re.compile(r"\((\d+)(?:-(\d+))? (character|byte)s? too many( after IDNA encoding)?\)")


def email_reason(reason: str) -> str:
    """email-validator's English reason in the interface language (as it is when unknown)."""
    if reason in EMAIL_REASONS:
        return _(reason)
    for start, message in _EMAIL_REASON_STARTS:
        if reason.startswith(start):
            detail = reason[len(start) :]
            if start == "After Unicode normalization: ":
                detail = email_reason(detail)
            else:
                detail = _TOO_MANY.sub(_too_many, detail)
                if "or is missing an address literal tag" in detail:
                    detail = detail.split(" or is missing", 1)[0] + "."
            return _(message).format(detail=detail)
    return reason


def _too_many(match: re.Match[str]) -> str:
    first, second, unit, idna = match.groups()
    n = int(second or first)
    shown = f"{first}-{second}" if second else first  # "3-6": a range the library computed
    if unit == "byte":
        text = ngettext("{n} byte too many", "{n} bytes too many", n)
        if idna:
            text = ngettext(
                "{n} byte too many after IDNA encoding", "{n} bytes too many after IDNA encoding", n
            )
    else:
        text = ngettext("{n} character too many", "{n} characters too many", n)
    return "(" + text.format(n=shown) + ")"


def normalize_phone(value: str, region: str = DEFAULT_REGION) -> tuple[str, str | None]:
    """(number in international format, problem or None); "06 12 34 56 78" → "+33 6 12 34 56 78".

    A number without its country code must be a valid number of `region` written as it is
    written there: "612 345 678" (a Spanish mobile) is not a French number, even though
    "06 12 34 56 78" would be."""
    import phonenumbers

    text = value.strip()
    region = region or DEFAULT_REGION
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return text, _("“{value}” is not a phone number.").format(value=text)
    if not phonenumbers.is_possible_number(number):
        return text, _("“{value}” has too few or too many digits for a phone number.").format(
            value=text
        )
    if not _written_in_region(number, text, region):
        return text, _(
            "“{value}” is not a phone number of {country} as written; add its country code (+…)."
        ).format(value=text, country=country_name(region))
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return formatted, None


def _written_in_region(number: Any, text: str, region: str) -> bool:
    """False for a number read in `region` only because it had no country code, and that is
    not a valid number there or not written as one (its trunk prefix missing: "6 12 34 56 78"
    in France). (Read from the text, not with phonenumbers' raw input: it costs an import of
    thousands of cards a tenth more.)"""
    import phonenumbers

    if "+" in text:
        return True  # "+34 …", "+33 (0)6 …": the number says its country
    national = phonenumbers.national_significant_number(number)
    written = "".join(ch for ch in text if ch.isdigit())
    if not written.endswith(national):
        return False
    head = written[: len(written) - len(national)]
    if head and head.endswith(str(number.country_code)) and head[:1] in "01":
        return True  # "0034 …", "011 1 …": an international call prefix and the country
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
    prefix = (metadata.national_prefix or "") if metadata is not None else ""
    if head == "" and prefix:
        # Without the trunk prefix: right only where it is not written (the US' "1").
        shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        if "".join(ch for ch in shown if ch.isdigit()) != national:
            return False
    elif head != prefix:
        return False
    return _valid(number, national, metadata)


def _valid(number: Any, national: str, metadata: Any) -> bool:
    """`phonenumbers.is_valid_number`, its two commonest answers tried first (a mobile or a
    landline of the region: two patterns instead of a dozen, for every number imported)."""
    import phonenumbers

    if (
        metadata is not None
        and metadata.country_code == number.country_code
        and _matches(national, metadata.general_desc)
        and (_matches(national, metadata.mobile) or _matches(national, metadata.fixed_line))
    ):
        return True
    return bool(phonenumbers.is_valid_number(number))


def _matches(national: str, desc: Any) -> bool:
    """As phonenumbers' own `_is_number_matching_desc`: the lengths, then the pattern."""
    if desc is None or not desc.national_number_pattern:
        return False
    if desc.possible_length and len(national) not in desc.possible_length:
        return False
    return _pattern(desc.national_number_pattern).fullmatch(national) is not None


@functools.lru_cache(maxsize=512)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def phone_digits(value: str, region: str = DEFAULT_REGION) -> str:
    """The number as E.164 digits (no "+"), for matching and searching; "" if unreadable or
    not a number of `region` as written (see `normalize_phone`)."""
    import phonenumbers

    region = region or DEFAULT_REGION
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return ""
    if not _written_in_region(number, value, region):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def country_name(region: str) -> str:
    """A region code's country in the interface language ("BE" → "Belgique")."""
    return _country_name(region.upper(), current_language())


@functools.lru_cache(maxsize=64)
def _country_name(region: str, language: str) -> str:
    from babel import Locale

    try:
        return str(Locale.parse(language).territories.get(region, region))
    except (ValueError, LookupError):
        return region


# Languages whose country names are recognised in an address, most used first: the first
# group is read at the first address with a country, the rest only if that one is unknown.
_COUNTRY_LANGUAGES = (
    ("en", "fr", "de", "es", "it", "nl", "pt"),
    (
        "ca",
        "eu",
        "br",
        "oc",
        "co",
        "lb",
        "rm",
        "pl",
        "cs",
        "sk",
        "sl",
        "hr",
        "sr",
        "bs",
        "ro",
        "hu",
        "bg",
        "el",
        "tr",
        "ru",
        "uk",
        "be",
        "lt",
        "lv",
        "et",
        "fi",
        "sv",
        "da",
        "nb",
        "nn",
        "is",
        "ga",
        "cy",
        "mt",
        "sq",
        "mk",
        "hy",
        "ka",
        "ar",
        "he",
        "fa",
        "hi",
        "bn",
        "ur",
        "zh",
        "ja",
        "ko",
        "vi",
        "th",
        "id",
        "ms",
        "tl",
        "sw",
        "am",
        "wo",
        "ha",
        "yo",
    ),
)


def _country_key(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return " ".join(re.split(r"[\s.,'’()\-]+", folded)).strip()


@functools.cache
def _country_names(group: int) -> dict[str, str]:
    from babel import Locale, localedata
    from babel.core import get_global

    names: dict[str, str] = {}
    if group == 0:
        for alias, codes in get_global("territory_aliases").items():
            if alias.isalpha() and len(codes) == 1:  # "FRA", "UK", "USA"
                names[_country_key(alias)] = codes[0]
    for language in _COUNTRY_LANGUAGES[group]:
        if not localedata.exists(language):
            continue
        for code, name in Locale(language).territories.items():
            if code.isalpha():
                names.setdefault(_country_key(name), code)
    return names


@functools.lru_cache(maxsize=512)
def region_of_country(country: str) -> str | None:
    """The phone region of an address's country, written in any language or as an ISO code:
    "Belgique", "België", "Belgium", "BE", "BEL" → "BE"; None when it is not a country."""
    import phonenumbers

    text = country.strip()
    if len(text) == 2 and text.isalpha() and text.upper() in phonenumbers.SUPPORTED_REGIONS:
        return text.upper()
    key = _country_key(text)
    if not key:
        return None
    for group in range(len(_COUNTRY_LANGUAGES)):
        code = _country_names(group).get(key)
        if code is not None:
            return code if code in phonenumbers.SUPPORTED_REGIONS else None
    return None


def card_region(addresses: Sequence[AddressData], region: str = DEFAULT_REGION) -> str:
    """The region a card's national numbers are read in: its first address country that is
    one, else `region` (the preference)."""
    for address in addresses:
        if address.country.strip():
            found = region_of_country(address.country)
            if found is not None:
                return found
    return region


def _plain_name(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(re.split(r"[\s.,\-]+", folded))).strip()


def formatted_override(
    formatted: str, given: str, family: str, prefix: str = "", suffix: str = ""
) -> str:
    """The formatted name (vCard FN) to keep as the name shown, or "" when it only says the
    given and family names again (in either order, with or without the prefix and suffix,
    case, accents and punctuation aside): "Marie Curie", "CURIE Marie", "Dr. Marie Curie"
    for Marie Curie are not kept; "Maison Curie" or "Marie C." are."""
    formatted = " ".join(formatted.split())
    if not formatted or formatted == " ".join(f"{given} {family}".split()):
        return ""  # nearly every card: first and last name, as they are
    key = _plain_name(formatted)
    plain = {
        _plain_name(" ".join(parts))
        for parts in (
            (given, family),
            (prefix, given, family),
            (given, family, suffix),
            (prefix, given, family, suffix),
            (family + given,),  # Chinese, Japanese, Korean: no space (山田 + 太郎 → 山田太郎)
            (given + family,),
        )
    }
    return "" if key in plain else formatted


def check_contact(
    data: ContactData, region: str = DEFAULT_REGION
) -> tuple[ContactData, list[FieldProblem]]:
    """The contact with e-mails and phones normalised, and what is wrong with it."""
    problems: list[FieldProblem] = []
    named = any(
        n.strip() for n in (data.given_name, data.family_name, data.nickname, data.formatted_name)
    )
    reachable = any(e.value.strip() for e in data.emails) or any(
        p.value.strip() for p in data.phones
    )
    if not named and not reachable:
        problems.append(FieldProblem("given_name", _(NEEDS_A_NAME)))
    for name in ("birthday", "anniversary"):
        value = getattr(data, name)
        if value and parse_partial_date(value) != value:
            message = _("“{value}” is not a date (e.g. 12/04/1985 or 12/04).")
            problems.append(FieldProblem(name, message.format(value=value)))
    region = card_region(data.addresses, region)
    emails = []
    for n, email in enumerate(data.emails):
        if not email.value.strip():
            continue
        value, problem = normalize_email(email.value)
        if problem:
            problems.append(FieldProblem(f"emails[{n}]", problem))
        emails.append(Labelled(value, email.label.strip()))
    phones = []
    for n, phone in enumerate(data.phones):
        if not phone.value.strip():
            continue
        value, problem = normalize_phone(phone.value, region)
        if problem:
            problems.append(FieldProblem(f"phones[{n}]", problem))
        phones.append(Labelled(value, phone.label.strip()))
    if data.cadence_days is not None and data.cadence_days < 1:
        problems.append(
            FieldProblem("cadence_days", _("The keep-in-touch cadence is a number of days."))
        )
    cleaned = dataclasses.replace(
        data,
        given_name=data.given_name.strip(),
        family_name=data.family_name.strip(),
        nickname=data.nickname.strip(),
        name_prefix=data.name_prefix.strip(),
        name_suffix=data.name_suffix.strip(),
        formatted_name=" ".join(data.formatted_name.split()),
        emails=tuple(emails),
        phones=tuple(phones),
        addresses=tuple(a for a in data.addresses if not a.is_empty()),
        tags=tuple(dict.fromkeys(t.strip() for t in data.tags if t.strip())),
    )
    return cleaned, problems


def note_problem(notes: str) -> FieldProblem | None:
    """A note over `NOTE_MAX_CHARS` refuses the card it is on (nothing is cut silently)."""
    if len(notes) <= NOTE_MAX_CHARS:
        return None
    return FieldProblem("notes", note_too_long())


def note_too_long() -> str:
    return _("The note is longer than {limit} characters.").format(limit=count(NOTE_MAX_CHARS))


def check_imported(
    data: ContactData, region: str = DEFAULT_REGION
) -> tuple[ContactData, list[FieldProblem], list[str]]:
    """Like `check_contact`, for a card written by another program: nothing is lost.

    A phone number that cannot be read in the default region ("905-555-1234" from an American
    phone, with no country code) is kept exactly as written, with a warning; an e-mail that is
    not one ("john at example") moves to the notes, with a warning. Only what leaves no
    contact at all (no name, no e-mail) is a problem that refuses the card.
    """
    cleaned, problems = check_contact(data, region)
    if not problems:
        too_long = note_problem(cleaned.notes)
        return cleaned, [too_long] if too_long else [], []
    warnings: list[str] = []
    kept_phones = list(cleaned.phones)
    notes = [cleaned.notes] if cleaned.notes else []
    emails = list(cleaned.emails)
    refusing = []
    for problem in problems:
        kind, _sep, rest = problem.field.partition("[")
        if kind == "phones":
            n = int(rest.rstrip("]"))
            kept_phones[n] = Labelled(data.phones[n].value.strip(), kept_phones[n].label)
            warnings.append(
                _("Phone “{value}” kept as written: {reason}").format(
                    value=data.phones[n].value.strip(), reason=problem.message
                )
            )
        elif kind == "emails":
            n = int(rest.rstrip("]"))
            bad = data.emails[n].value.strip()
            emails = [e for e in emails if e.value != bad]
            notes.append(_("E-mail as written: {value}").format(value=bad))
            warnings.append(problem.message + " " + _("It was kept in the notes."))
        else:
            refusing.append(problem)
    cleaned = dataclasses.replace(
        cleaned, phones=tuple(kept_phones), emails=tuple(emails), notes="\n".join(notes)
    )
    too_long = note_problem(cleaned.notes)  # with the e-mails moved there
    return cleaned, [*refusing, *([too_long] if too_long else [])], warnings
