"""Fuzzing every importer: random bytes and mutated real-looking files give a clear error
(CMPlannerError) or items — never another exception, and never a partial write."""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import io
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from PIL import Image

from cmplanner.errors import CMPlannerError
from cmplanner.interop.contacts.csv_files import guess_mapping, parse_csv
from cmplanner.interop.contacts.items import ParsedFile
from cmplanner.interop.contacts.parse import parse_bytes
from cmplanner.interop.contacts.write import apply_import
from cmplanner.services.contact_data import ContactData
from cmplanner.services.validation import NOTE_MAX_CHARS
from cmplanner.storage import Database
from tests.time_limit import time_limit

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
def fuzz_db(
    tmp_path_factory: pytest.TempPathFactory, new_database: Callable[[Path], Path]
) -> Database:
    return Database.open(new_database(tmp_path_factory.mktemp("fuzz") / "fuzz.cmplanner"))


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


# --- every importer by property (issue 14): vCard, CSV, .ics and mail replies built from their
# parts — long lines, photos, notes at the limits, folding, quoted-printable — never raise
# anything but a clear error, never run unbounded, and leave the database exactly as it was
# when they refuse. `make test` runs a few examples; CMPLANNER_FUZZ_EXAMPLES=500 runs more.

# CMPLANNER_FUZZ_EXAMPLES=500 runs a longer, randomised search (the normal suite runs a few
# examples, the same ones every time); CMPLANNER_FUZZ_DEADLINE sets the seconds an example may
# take (Hypothesis re-runs one that took longer, to tell a slow input from a loaded machine).
LONG_RUN = "CMPLANNER_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("CMPLANNER_FUZZ_EXAMPLES", "20"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    # An example takes under a second here (the slowest few, 0.7 s); the deadline leaves room
    # for a loaded CI machine. Hypothesis measures an example once it returns: `bounded`
    # below stops one that would never return.
    deadline=dt.timedelta(seconds=float(os.environ.get("CMPLANNER_FUZZ_DEADLINE", "15"))),
    derandomize=not LONG_RUN,
    # The explain phase traces every line run (ten times slower): the failing input and its
    # traceback are what a report needs.
    phases=[phase for phase in Phase if phase is not Phase.explain],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
SECONDS = 30  # per example, on a slow CI machine; a few hundred ms here


def bounded(seconds: float = SECONDS) -> contextlib.AbstractContextManager[None]:
    """Fail, rather than hang, when the block runs longer than `seconds`."""
    return time_limit(seconds)


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def said(message: str) -> None:
    """A message for the terminal or a dialog: words, on one line, no control character
    from the file (a vertical tab, an escape sequence) that would move or recolour it."""
    assert message.strip() and not CONTROL.search(message) and "\n" not in message, message


def dump(db: Database | Path) -> str:
    """Every row of the database, as SQL: what "unchanged" means."""
    con = sqlite3.connect(db.path if isinstance(db, Database) else db)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def sound(db: Database) -> None:
    """What is written is consistent: no broken page, no row pointing at nothing."""
    with db.read() as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def _png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


SMALL_PNG = base64.b64encode(_png((40, 30))).decode()
LARGE_PNG = base64.b64encode(_png((1300, 700))).decode()
long_values = st.builds(
    lambda char, n: char * n,
    st.sampled_from(["x", "é", "\\n", ";", ",", "=C3=A9", " "]),
    st.sampled_from([1, 100, NOTE_MAX_CHARS - 1, NOTE_MAX_CHARS + 1, 210_000]),
)
values = st.one_of(st.text(max_size=40), long_values)
photo_values = st.sampled_from(
    [
        SMALL_PNG,
        LARGE_PNG,
        "data:image/png;base64," + LARGE_PNG,
        "data:image/png," + SMALL_PNG,
        base64.b64encode(b"\xff\xd8\xff" + bytes(range(256)) * 20).decode(),  # no picture
        "https://exemple.fr/photo.jpg",
        "!!! pas du base64 !!!",
        "",
        "A" * 300_000,
    ]
)
PROPERTIES = [
    "FN",
    "N",
    "EMAIL",
    "TEL",
    "ADR",
    "ORG",
    "TITLE",
    "NOTE",
    "CATEGORIES",
    "BDAY",
    "NICKNAME",
    "UID",
    "KIND",
    "URL",
    "X-CUSTOM",
    "item1.X-ABLabel",
    "ANNIVERSARY",
]
PARAMETERS = [
    "",
    ";TYPE=work",
    ";TYPE=HOME,CELL",
    ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE",
    ";QUOTED-PRINTABLE",
    ";VALUE=uri",
    ';X-P="a:b"',
]


@st.composite
def vcard_files(draw: st.DrawFn) -> bytes:
    cards = []
    for _card in range(draw(st.integers(1, 3))):
        version = draw(st.sampled_from(["2.1", "3.0", "4.0"]))
        lines = ["BEGIN:VCARD", f"VERSION:{version}"]
        if draw(st.booleans()):
            lines.append("FN:" + draw(st.text(min_size=1, max_size=20)))
        for _prop in range(draw(st.integers(0, 5))):
            if draw(st.integers(0, 4)) == 0:
                kind = draw(
                    st.sampled_from(["ENCODING=b;TYPE=PNG", "ENCODING=BASE64", "VALUE=uri"])
                )
                lines.append(f"{draw(st.sampled_from(['PHOTO', 'LOGO']))};{kind}:"
                             + draw(photo_values))  # fmt: skip
            else:
                name = draw(st.sampled_from(PROPERTIES))
                lines.append(name + draw(st.sampled_from(PARAMETERS)) + ":" + draw(values))
        if draw(st.booleans()):
            lines.append("END:VCARD")
        text = "\r\n".join(lines)
        width = draw(st.sampled_from([0, 1, 75, 1000]))
        if width:  # folded as writers do: a space opens each continuation
            text = "\r\n".join(
                "\r\n ".join(line[n : n + width] for n in range(0, max(len(line), 1), width))
                for line in text.split("\r\n")
            )
        cards.append(text)
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    return (
        (newline.join(cards) + newline)
        .replace("\r\n", newline)
        .encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])), "replace")
    )


CSV_HEADERS = [
    "First Name",
    "Last Name",
    "E-mail Address",
    "Mobile Phone",
    "Notes",
    "Company",
    "Job Title",
    "Categories",
    "Birthday",
    "Name",
    "Group Membership",
    "Nickname",
]


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    headers = draw(st.lists(st.sampled_from(CSV_HEADERS), min_size=1, max_size=6, unique=True))
    cell = st.one_of(st.text(max_size=20), long_values, st.just("=1+1"), st.just("a@b.fr"))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(headers) + 1), max_size=4))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), "replace")


def _imported_whole_or_not_at_all(db: Database, data: bytes, skip: bool) -> None:
    """Parse and write `data`: a clear refusal leaves every row as it was; an import writes
    what its report says, every photo at most 512 pixels, every note within the limit."""
    before = dump(db)
    with bounded():
        parsed = parse_or_refuse(data, "auto")
        if parsed is None:
            assert dump(db) == before
            return
        for item in parsed.items:
            assert item.valid or item.problem_text(), item
            assert f"line {item.line}" in item.where()
            for message in [*item.warnings, *([item.problem_text()] if not item.valid else [])]:
                said(message)
            person = item.data
            if item.valid and isinstance(person, ContactData):
                assert len(person.notes) <= NOTE_MAX_CHARS
                if person.photo is not None:
                    assert max(Image.open(io.BytesIO(person.photo)).size) <= 512
        with db.read() as con:
            people = con.execute("SELECT count(*) FROM contact").fetchone()[0]
        try:
            report = apply_import(db, parsed.items, skip_invalid=skip)
        except CMPlannerError as exc:
            assert str(exc).strip()
            assert dump(db) == before
            return
    with db.read() as con:
        assert con.execute("SELECT count(*) FROM contact").fetchone()[0] == people + len(
            report.created
        )
    sound(db)


@PROPERTY
@given(data=vcard_files(), skip=st.booleans())
def test_any_vcard_is_imported_whole_or_refused_untouched(
    fuzz_db: Database, data: bytes, skip: bool
) -> None:
    _imported_whole_or_not_at_all(fuzz_db, data, skip)


@PROPERTY
@given(data=csv_files(), skip=st.booleans())
def test_any_csv_is_imported_whole_or_refused_untouched(
    fuzz_db: Database, data: bytes, skip: bool
) -> None:
    _imported_whole_or_not_at_all(fuzz_db, data, skip)


ICS = FIXTURES / "ics" / "import"
CALENDARS = sorted(p.read_bytes() for p in ICS.iterdir() if not p.name.startswith("reply"))
REPLIES = sorted(p.read_bytes() for p in ICS.iterdir() if p.name.startswith("reply"))


@st.composite
def calendar_files(draw: st.DrawFn, samples: list[bytes]) -> bytes:
    """A calendar with a few bytes or a long line put in, some cut out."""
    data = bytearray(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(("insert", "delete", "replace", "long")))
        if action == "insert":
            data[at:at] = draw(
                st.sampled_from([b"\r\n", b"\r\n ", b":", b";", b"=", b"\x00", b"\xff",
                                 b"END:VEVENT\r\n", b"BEGIN:VEVENT\r\n", b"DTSTART:2026\r\n",
                                 b"ATTENDEE;PARTSTAT=DECLINED:mailto:x@y\r\n"])
            )  # fmt: skip
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 30))]
        elif action == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = b"DESCRIPTION:" + b"d" * draw(st.sampled_from([10, 100_000])) + b"\r\n"
    return bytes(data)


@PROPERTY
@given(data=calendar_files(CALENDARS), skip=st.booleans())
def test_any_calendar_is_imported_whole_or_refused_untouched(
    fuzz_db: Database, tmp_path_factory: pytest.TempPathFactory, data: bytes, skip: bool
) -> None:
    from cmplanner.interop.ics import write

    path = tmp_path_factory.mktemp("ics") / "calendar.ics"
    path.write_bytes(data)
    before = dump(fuzz_db)
    with bounded():
        try:
            report = write.import_file(fuzz_db, path, skip_invalid=skip)
        except CMPlannerError as exc:
            assert str(exc).strip()
            assert dump(fuzz_db) == before
            return
    if not (report.created or report.updated):
        assert dump(fuzz_db) == before
    sound(fuzz_db)


@PROPERTY
@given(
    data=calendar_files(REPLIES),
    as_mail=st.booleans(),
    attached=st.sampled_from([0, 1, 3_000_000]),
)
def test_any_reply_is_applied_or_named_never_raised(
    fuzz_db: Database,
    tmp_path_factory: pytest.TempPathFactory,
    data: bytes,
    as_mail: bool,
    attached: int,
) -> None:
    from email.message import EmailMessage

    from cmplanner.interop.ics.replies import apply_replies
    from cmplanner.interop.ics.write import import_file

    folder = tmp_path_factory.mktemp("replies")
    with fuzz_db.read() as con:
        known = con.execute("SELECT count(*) FROM event").fetchone()[0]
    if not known:
        import_file(fuzz_db, ICS / "meetups.ics")  # the events the replies answer
    if as_mail:
        message = EmailMessage()
        message["From"] = "alice@tests.example"
        message.set_content("Réponse")
        message.add_attachment(data, maintype="text", subtype="calendar", filename="r.ics")
        if attached:
            message.add_attachment(bytes(attached), maintype="image", subtype="jpeg")
        (folder / "reply.eml").write_bytes(bytes(message))
    else:
        (folder / "reply.ics").write_bytes(data)
    before = dump(fuzz_db)
    with bounded():
        report = apply_replies(fuzz_db, [folder])
    for source, why in report.problems:
        assert source
        said(why)
    if not (report.applied or report.unchanged or report.older or report.delegated):
        assert dump(fuzz_db) == before
    sound(fuzz_db)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the events the replies answer, copied for each example."""
    from cmplanner.interop.ics.write import import_file

    path = tmp_path_factory.mktemp("template") / "book.cmplanner"
    with Database.open(path) as db:
        import_file(db, ICS / "meetups.ics")
    return path


@settings(PROPERTY, max_examples=max(4, EXAMPLES // 2))
@given(
    command=st.sampled_from(["contacts", "events", "rsvp"]),
    data=st.one_of(vcard_files(), csv_files(), calendar_files(CALENDARS + REPLIES)),
    skip=st.booleans(),
)
def test_the_commands_never_end_in_a_traceback(
    tmp_path_factory: pytest.TempPathFactory,
    template_db: Path,
    command: str,
    data: bytes,
    skip: bool,
) -> None:
    """`contacts import`, `events import`, `events rsvp`: an exit code, one line per error,
    and a refused file (exit 2) leaves the database as it was."""
    from cmplanner.cli.main import main

    folder = tmp_path_factory.mktemp("cli")
    database = folder / "book.cmplanner"
    shutil.copy(template_db, database)
    # A copy opened for writing the first time draws an id of its own (its backups are not the
    # original's): that is the opening's doing, not the command's, so it is done before.
    Database.open(database, backup=False).close()
    before = dump(database)
    source = folder / {"contacts": "book.vcf", "events": "cal.ics", "rsvp": "reply.ics"}[command]
    source.write_bytes(data)
    argv = {
        "contacts": ["contacts", "import", str(source)],
        "events": ["events", "import", str(source)],
        "rsvp": ["events", "rsvp", str(source)],
    }[command]
    if skip and command != "rsvp":
        argv.append("--skip-invalid")
    err, out = io.StringIO(), io.StringIO()
    with bounded(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(["--db", str(database), *argv])
    assert code in (0, 1, 2), (code, err.getvalue())
    assert "Traceback" not in err.getvalue() + out.getvalue()
    for line in (err.getvalue() + out.getvalue()).splitlines():
        assert not CONTROL.search(line), line
    if code == 2:  # refused: said on stderr (after the entries skipped, if asked to skip)
        lines = err.getvalue().strip().splitlines()
        assert any(line.startswith("cmplanner: ") for line in lines), (lines, out.getvalue())
        assert dump(database) == before
        if not skip:  # the reason, then at most a hint
            assert len(lines) <= 2 and lines[0].startswith("cmplanner: "), lines
