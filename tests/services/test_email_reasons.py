"""email-validator explains in English only: every reason it can give reaches a French user in
French, the fixed ones and the ones ending with the characters at fault or a count."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator

import pytest

from cmplanner.i18n import set_language
from cmplanner.services import validation
from cmplanner.services.validation import EMAIL_REASONS, email_reason, normalize_email

ENGLISH = ("@-sign", "email address", "must", "cannot", "too many", "characters", "period")


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("en")


def library_reasons() -> set[str]:
    """Every fixed reason in the installed email-validator's source: the literal strings given
    to EmailSyntaxError, and the start/end sentences it formats with "period" and "hyphen"."""
    import email_validator.syntax
    import email_validator.validate_email

    found: set[str] = set()
    for module in (email_validator.syntax, email_validator.validate_email):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", "")
            args = [a for a in node.args if isinstance(a, ast.Constant)]
            text = args[0].value if args else None
            # (The ones ending in ": " go on with the characters at fault.)
            if name == "EmailSyntaxError" and isinstance(text, str) and not text.endswith(": "):
                found.add(text)
            if name == "check_dot_atom":
                for template in (a.value for a in args if isinstance(a.value, str)):
                    found |= {template.format(thing) for thing in ("period", "hyphen")}
    return found


def test_every_fixed_reason_of_the_library_is_in_the_catalog() -> None:
    reasons = library_reasons()
    assert len(reasons) > 25  # the parse found them
    assert reasons - EMAIL_REASONS == set(), "add them to validation.EMAIL_REASONS"


def test_every_fixed_reason_reads_in_french(french: None) -> None:
    for reason in EMAIL_REASONS:
        said = email_reason(reason)
        assert said != reason and not any(word in said for word in ENGLISH), reason


@pytest.mark.parametrize(
    "address",
    [
        "lea@",
        "@exemple.fr",
        "lea.exemple.fr",
        "lea..martin@exemple.fr",
        ".lea@exemple.fr",
        "lea.@exemple.fr",
        "lea@-exemple.fr",
        "lea@exemple.fr.",
        "lea@exemple..fr",
        "lea@localhost",
        "lea@exemple.invalid",
        "lea@[192.168.0.1]",
        '"lea martin"@exemple.fr',
        "Léa <lea@exemple.fr>",
        "lea\uff20exemple.fr",
        "lea(x)@exemple.fr",
        "lea@exa_mple.fr",
        "lea@" + "a" * 70 + ".fr",
        "lea@" + ".".join(["a" * 60] * 5) + ".fr",
    ],
)
def test_a_bad_address_is_explained_in_french(address: str, french: None) -> None:
    _value, problem = normalize_email(address)
    assert problem is not None and "n'est pas une adresse e-mail valide" in problem
    assert not any(word in problem for word in ENGLISH), problem


def test_counts_and_characters_are_kept(french: None) -> None:
    assert email_reason(
        "The email address is too long before the @-sign (6 characters too many)."
    ) == ("L'adresse e-mail est trop longue avant le @ (6 caractères de trop).")
    assert email_reason("The email address is too long (3-6 characters too many).") == (
        "L'adresse e-mail est trop longue (3-6 caractères de trop)."
    )
    assert email_reason(
        "The email address contains invalid characters before the @-sign: '(', ')'."
    ) == ("L'adresse e-mail contient des caractères non valides avant le @ : '(', ')'.")
    assert email_reason("Something new in a later release.") == "Something new in a later release."
    assert validation.email_reason("There must be something after the @-sign.") != (
        "There must be something after the @-sign."
    )
