"""The fast e-mail check gives email-validator's own answer, address for address."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cmplanner.services.validation import _validated_email, normalize_email

LOCAL_CHARS = "aZ09._-+!#$%&'*/=?^`{|}~\"(),:;<>@[\\] é"
DOMAIN_CHARS = "aZ09.-_é"
labels = st.one_of(
    st.sampled_from(
        ["com", "FR", "orange", "xn--bcher-kva", "localhost", "test", "local", "123", "a" * 64]
    ),
    st.text(DOMAIN_CHARS, min_size=0, max_size=12),
)
domains = st.lists(labels, min_size=1, max_size=4).map(".".join)
locals_ = st.one_of(
    st.sampled_from(["info", "Postmaster", "jean.dupont", "a" * 65, "x" * 200, ".a", "a..b"]),
    st.text(LOCAL_CHARS, min_size=0, max_size=20),
)
addresses = st.one_of(
    st.builds(lambda a, b: f"{a}@{b}", locals_, domains),
    st.builds(lambda a, b, c: f"{a}@{b}@{c}", locals_, locals_, domains),
    st.text(LOCAL_CHARS + DOMAIN_CHARS, max_size=30),
)


@settings(max_examples=2000, deadline=None)
@given(addresses, st.sampled_from(["", " ", "\t"]))
def test_fast_path_agrees_with_email_validator(address: str, pad: str) -> None:
    text = pad + address + pad
    assert normalize_email(text) == _validated_email(text.strip())


def test_known_addresses() -> None:
    assert normalize_email(" Jean.Dupont@Orange.FR ") == ("Jean.Dupont@orange.fr", None)
    assert normalize_email("INFO@exemple.fr") == ("info@exemple.fr", None)
    assert normalize_email("a@xn--bcher-kva.ch") == ("a@bücher.ch", None)
    assert normalize_email("a@b")[1] is not None
    assert normalize_email("a@localhost")[1] is not None
