"""Checking and normalising what people type: e-mails (email-validator, no DNS) and phone
numbers (phonenumbers, national numbers read in the default region)."""

from __future__ import annotations

import dataclasses
import functools
import re

from cmplanner.i18n import N_, _
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
        reason = str(exc)
        return text, _("“{value}” is not a valid e-mail address: {reason}").format(
            value=text, reason=_(reason) if reason in EMAIL_REASONS else reason
        )
    return result.normalized, None


# email-validator explains in English only: its most common reasons, for the catalog.
EMAIL_REASONS = {
    N_("An email address must have an @-sign."),
    N_("There must be something after the @-sign."),
    N_("There must be something before the @-sign."),
    N_("The part after the @-sign is not valid. It should have a period."),
    N_("An email address cannot have two periods in a row."),
    N_("An email address cannot end with a period."),
    N_("An email address cannot start with a period."),
    N_("An email address cannot have a hyphen immediately after the @-sign."),
    N_("A bracketed IP address after the @-sign is not allowed here."),
}


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
