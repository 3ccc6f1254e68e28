"""Checking and normalising what people type: e-mails (email-validator, no DNS) and phone
numbers (phonenumbers, national numbers read in the default region)."""

from __future__ import annotations

import dataclasses
import functools
import re

from cmplanner.i18n import N_, _, ngettext
from cmplanner.services.contact_data import ContactData, FieldProblem, Labelled

DEFAULT_REGION = "FR"


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
# (tests/core/test_email_reasons.py reads the installed library's source for new ones).
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
    """(number in international format, problem or None); "06 12 34 56 78" → "+33 6 12 34 56 78"."""
    import phonenumbers

    text = value.strip()
    try:
        number = phonenumbers.parse(text, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return text, _("“{value}” is not a phone number.").format(value=text)
    if not phonenumbers.is_possible_number(number):
        return text, _("“{value}” has too few or too many digits for a phone number.").format(
            value=text
        )
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return formatted, None


def phone_digits(value: str, region: str = DEFAULT_REGION) -> str:
    """The number as E.164 digits (no "+"), for matching and searching; "" if unreadable."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def check_contact(
    data: ContactData, region: str = DEFAULT_REGION
) -> tuple[ContactData, list[FieldProblem]]:
    """The contact with e-mails and phones normalised, and what is wrong with it."""
    problems: list[FieldProblem] = []
    named = data.given_name.strip() or data.family_name.strip() or data.nickname.strip()
    if not named and not data.emails:
        problems.append(
            FieldProblem(
                "given_name", _("A contact needs a first name, a last name or a nickname.")
            )
        )
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
        emails=tuple(emails),
        phones=tuple(phones),
        addresses=tuple(a for a in data.addresses if not a.is_empty()),
        tags=tuple(dict.fromkeys(t.strip() for t in data.tags if t.strip())),
    )
    return cleaned, problems


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
        return cleaned, [], []
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
    return cleaned, refusing, warnings
