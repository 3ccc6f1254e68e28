"""Fuzzing every importer: random bytes and mutated real-looking files give a clear error
(CMPlannerError) or items — never another exception, and never a partial write."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmplanner.errors import CMPlannerError
from cmplanner.interop.contacts_import import ParsedFile, apply_import, parse_bytes
from cmplanner.interop.csv_contacts import guess_mapping, parse_csv
from cmplanner.storage import Database

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = sorted(p.read_bytes() for p in FIXTURES.iterdir() if p.is_file())
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORMATS = ("auto", "vcard", "google", "outlook", "csv")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A fixture with a few bytes replaced, inserted or cut out, or lines shuffled."""
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(("replace", "insert", "delete", "truncate", "line")))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(
                st.sampled_from([b"=", b";", b",", b":", b"\r\n", b"\n ", b'"', b"\x00", b"\xff",
                                 b"BEGIN:VCARD\r\n", b"END:VCARD\r\n", b" ::: ", b"=C3"])
            )  # fmt: skip
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif action == "truncate":
            del data[at:]
        else:
            lines = bytes(data).split(b"\n")
            n = draw(st.integers(0, len(lines) - 1))
            lines.insert(draw(st.integers(0, len(lines))), lines.pop(n))
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def parse_or_refuse(data: bytes, fmt: str) -> ParsedFile | None:
    try:
        return parse_bytes(data, fmt)
    except CMPlannerError as exc:
        assert str(exc).strip()
        return None


@FUZZ
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(FORMATS))
def test_random_bytes(data: bytes, fmt: str) -> None:
    parse_or_refuse(data, fmt)


@FUZZ
@given(data=st.text(max_size=500), fmt=st.sampled_from(FORMATS))
def test_random_text(data: str, fmt: str) -> None:
    parse_or_refuse(data.encode("utf-8"), fmt)


@FUZZ
@given(data=mutated(), fmt=st.sampled_from(FORMATS))
def test_mutated_files(data: bytes, fmt: str) -> None:
    parsed = parse_or_refuse(data, fmt)
    if parsed is not None:
        for item in parsed.items:
            assert item.valid or item.problem_text()


@FUZZ
@given(data=mutated())
def test_generic_csv_with_any_mapping(data: bytes) -> None:
    try:
        text = data.decode("utf-8", "replace")
        headers = text.splitlines()[0].split(",") if text.strip() else []
        parse_csv(data, guess_mapping(headers))
    except CMPlannerError as exc:
        assert str(exc).strip()


@pytest.fixture
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    return Database.open(tmp_path_factory.mktemp("fuzz") / "fuzz.cmplanner")


def _counts(db: Database) -> tuple[int, ...]:
    with db.read() as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("contact", "contact_email", "contact_phone", "organization", "tag")
        )


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated(), skip=st.booleans())
def test_mutated_file_is_written_whole_or_not_at_all(
    fuzz_db: Database, data: bytes, skip: bool
) -> None:
    parsed = parse_or_refuse(data, "auto")
    if parsed is None:
        return
    before = _counts(fuzz_db)
    try:
        report = apply_import(fuzz_db, parsed.items, skip_invalid=skip)
    except CMPlannerError:
        assert _counts(fuzz_db) == before
        return
    after = _counts(fuzz_db)
    assert after[0] == before[0] + len(report.created)
    assert after[3] >= before[3] + len(report.organizations_created)
