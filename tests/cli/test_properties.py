"""Every `cmplanner` command, with hostile arguments: never a traceback, an exit code as
documented (0; 1 only where a command says "done in part" or "nothing matched"; 2 for a
refusal, said on stderr), a bounded time, and a refused command leaves the database as it was.

The commands and their options come from the parser itself, so a new one is tested too.
Values are what a tired person or a script gets wrong: huge, negative or non-ASCII ids,
dates at the ends of the calendar, line breaks and NUL characters, very long text, files that
do not exist or are not what they say, outputs in folders that do not exist or onto the
database itself.

`make test` tries a few deterministic examples per command (the whole file in some 20 s);
CMPLANNER_CLI_EXAMPLES=500 tries that many random ones per command."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmplanner.cli import common as cli_values
from cmplanner.cli.main import build_parser, main
from tests.rows import file_dump
from tests.time_limit import time_limit

EXAMPLES = int(os.environ.get("CMPLANNER_CLI_EXAMPLES", "0"))
CHECKS = settings(
    max_examples=EXAMPLES or 4,
    derandomize=not EXAMPLES,  # the same cases on every `make test`
    deadline=None,  # time is bounded below, by an alarm that also stops a real hang
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SECONDS_PER_COMMAND = 60
# The commands whose exit code 1 is documented: done in part (a message not sent, a reply
# not used) or nothing matched (no event to export).
MAY_EXIT_1 = {("events", "export"), ("events", "invite"), ("events", "cancel"), ("events", "rsvp")}
FIXTURES = Path(__file__).parents[1] / "interop" / "fixtures"
ENDS_BEFORE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//CLI//EN\r\nBEGIN:VEVENT\r\n"
    "UID:backwards\r\nDTSTAMP:20270101T000000Z\r\nSUMMARY:À l'envers\r\n"
    "DTSTART:20270512T190000Z\r\nDTEND:20270512T170000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _commands() -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command of the parser (its leaves), with the parser that reads its arguments."""
    found: list[tuple[tuple[str, ...], argparse.ArgumentParser]] = []

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not groups:
            found.append((path, parser))
            return
        for name, child in groups[0].choices.items():
            walk(child, (*path, name))

    walk(build_parser(), ())
    return [(path, parser) for path, parser in found if path]  # () is the GUI


COMMANDS = _commands()


# --- hostile values -----------------------------------------------------------------------

TEXT = st.one_of(
    st.sampled_from(
        [
            "", " ", "x" * 301, "y" * 20_000, "A\r\nB", "\t", "\u2028", "%s", "{id}", "-1",
            "'; DROP TABLE contact; --", "Zoé", "王小明", "\udcff", "a\x00b", "--json", "*",
            "Apéro du jeudi", "Vélo Lyon", "Le Périscope", "Bénévoles", "guest", "speaker",
        ]
    ),
    st.text(max_size=30),
)  # fmt: skip
IDS = st.one_of(
    st.integers(1, 12).map(str),
    st.sampled_from(
        ["0", "-1", "9223372036854775807", str(2**63), str(2**64), "1.5", "1e3", "abc", "",
         " 2", "٣", "0x10", "1_000"]
    ),
    st.integers(-(2**70), 2**70).map(str),
)  # fmt: skip
DAYS = st.one_of(
    st.sampled_from(["0", "30", "50000", "50001", "99999999", "-5", "", "3.5", "a"]),
    st.integers(-(2**40), 2**40).map(str),
)
DATES = st.one_of(
    st.sampled_from(
        ["0001-01-01", "0999-12-31", "1000-01-01", "9997-12-31", "9998-01-01", "9999-12-31",
         "10000-01-01", "2026-02-30", "2027-13-01", "", "today", "2026-11-19T10:00",
         "20261119", "2026-11-19\n", "2026-11-26"]
    ),
    st.dates().map(lambda d: d.isoformat()),
)  # fmt: skip
OFFSETS = st.sampled_from(["", "", "Z", "+14:00", "-12:00", "+05:45"])
MOMENTS = st.one_of(
    st.sampled_from(
        ["0001-01-01T00:00", "9999-12-31T23:59", "9997-12-31T23:59+14:00", "2027-01-01T10:00",
         "2027-01-01", "2027-01-01T25:00", "2027-01-01T10:00Z", "soon", "", "2027-03-28T02:30"]
    ),
    st.builds(lambda m, o: m.isoformat() + o, st.datetimes(), OFFSETS),
)  # fmt: skip
ZONES = st.sampled_from(
    ["Europe/Paris", "Asia/Tokyo", "Pacific/Kiritimati", "Etc/GMT+12", "America/St_Johns",
     "UTC", "Nowhere/Land", "../../etc/passwd", "", "europe/paris"]
)  # fmt: skip
# Rule content is checked by its own tests (and bounded there): here, rules as they come.
RULES = st.sampled_from(
    ["", "FREQ=WEEKLY;COUNT=3", "FREQ=DAILY;UNTIL=20270110T000000Z", "FREQ=MONTHLY;BYDAY=-1TH",
     "not a rule", "FREQ=WEEKLY;BYDAY=XX"]
)  # fmt: skip
MONTHS = st.one_of(st.sampled_from(["1", "12", "13", "0", "this", "-1", "", "mai"]), TEXT)
ID_LISTS = st.one_of(
    st.sampled_from(["1,2,3", "1,,2", str(2**63), "-1", "a", " 1 , 2 "]),
    st.lists(IDS, min_size=1, max_size=3).map(",".join),
)


@dataclass(frozen=True)
class Place:
    """One example's folder: its copy of the database, and what paths point at."""

    root: Path
    db: Path
    world: Path  # files shared by every example (read only)

    def inputs(self) -> list[str]:
        w = self.world
        return [
            str(w / "meetups.ics"), str(w / "ends_before.ics"), str(w / "reply.ics"),
            str(w / "replies"), str(w / "cards.vcf"), str(w / "people.csv"), str(w / "empty"),
            str(w / "garbage.bin"), str(w / "backup.cmplanner"), str(self.db),
            str(self.root / "missing.ics"), "/nonexistent/file.ics", "", str(self.root),
            str(w / "é\udcff.ics"),
        ]  # fmt: skip

    def outputs(self) -> list[str]:
        out = self.root / "out"
        return [
            str(out / "x.ics"), str(out / "x.pdf"), str(out / "x.vcf"), str(out / "x.csv"),
            str(out / "x.zip"), str(out / "folder"), str(out), str(out / "existing.txt"),
            str(self.root / "missing" / "x.pdf"), str(self.root / "missing" / "deeper" / "d"),
            str(self.db), f"{self.db}-wal", "", str(out / "é\udcff\n.pdf"),
        ]  # fmt: skip


def _values(action: argparse.Action, place: Place) -> st.SearchStrategy[str]:
    """What to try for one argument, from its type, name and choices."""
    kind = action.type
    if action.choices is not None:
        return st.one_of(st.sampled_from([str(c) for c in action.choices]), TEXT)
    if kind is cli_values.record_id:
        return IDS
    if kind is cli_values.days:
        return DAYS
    if kind is cli_values.day:
        return DATES
    if kind in (cli_values.output_file, cli_values.output_folder, cli_values.handover_target):
        return st.sampled_from(place.outputs())
    if action.dest in ("file", "files"):
        return st.sampled_from(place.inputs())
    by_name: dict[str, st.SearchStrategy[str]] = {
        "start": MOMENTS, "end": MOMENTS, "tz": ZONES, "rrule": RULES,
        "birthday_month": MONTHS, "ids": ID_LISTS,
    }  # fmt: skip
    return by_name.get(action.dest, TEXT)


@st.composite
def arguments(draw: st.DrawFn, parser: argparse.ArgumentParser, place: Place) -> list[str]:
    """A command line for `parser`: its positionals, some of its options, in some order."""
    words: list[list[str]] = []
    positionals: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        values = _values(action, place)
        if not action.option_strings:
            count = draw(st.integers(1, 3)) if action.nargs in ("+", "*") else 1
            positionals += [draw(values) for _ in range(count)]
            continue
        if not action.required and not draw(st.booleans()):
            continue
        flag = draw(st.sampled_from(action.option_strings))
        words.append([flag] if action.nargs == 0 else [flag, draw(values)])
    order = draw(st.permutations(words))
    line = [word for group in order for word in group]
    if draw(st.integers(0, 9)) == 0 and line:  # now and then, one argument left out
        line.pop(draw(st.integers(0, len(line) - 1)))
    return [*line, *positionals] if draw(st.booleans()) else [*positionals, *line]


# --- running a command ----------------------------------------------------------------------


def run(argv: list[str], place: Place) -> tuple[int, str, str]:
    """`cmplanner ARGV` in this process, its output encoded as a terminal's (UTF-8, strict)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    here = Path.cwd()
    home = os.environ.get("CMPLANNER_HOME")
    os.environ["CMPLANNER_HOME"] = str(place.root / "home")
    os.chdir(place.root)
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            time_limit(SECONDS_PER_COMMAND),
        ):
            code = main(argv)
    finally:
        os.chdir(here)
        if home is not None:
            os.environ["CMPLANNER_HOME"] = home
    texts = []
    for stream in (out, err):
        stream.flush()
        assert isinstance(stream.buffer, io.BytesIO)
        texts.append(stream.buffer.getvalue().decode("utf-8", "surrogateescape"))
    return code, texts[0], texts[1]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files every example reads, and a demo database to copy."""
    from cmplanner.demo import create_demo_database

    folder = tmp_path_factory.mktemp("cli-world")
    create_demo_database(folder / "template.cmplanner")
    shutil.copyfile(folder / "template.cmplanner", folder / "backup.cmplanner")
    shutil.copyfile(FIXTURES / "ics" / "import" / "meetups.ics", folder / "meetups.ics")
    shutil.copyfile(FIXTURES / "ics" / "import" / "reply_alice_declines.ics", folder / "reply.ics")
    (folder / "replies").mkdir()
    for name in ("reply_alice_declines.ics", "reply_unknown_uid.ics"):
        shutil.copyfile(FIXTURES / "ics" / "import" / name, folder / "replies" / name)
    shutil.copyfile(FIXTURES / "vcard30_accents.vcf", folder / "cards.vcf")
    shutil.copyfile(FIXTURES / "generic.csv", folder / "people.csv")
    (folder / "ends_before.ics").write_text(ENDS_BEFORE, encoding="utf-8")
    (folder / "empty").write_bytes(b"")
    (folder / "garbage.bin").write_bytes(bytes(range(256)) * 8)
    shutil.copyfile(folder / "meetups.ics", folder / "é\udcff.ics")
    return folder


@pytest.mark.parametrize("command", [c for c, _p in COMMANDS], ids=" ".join)
def test_every_command_with_hostile_arguments(command: tuple[str, ...], world: Path) -> None:
    parser = dict(COMMANDS)[command]

    @CHECKS
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        with tempfile.TemporaryDirectory(dir=world.parent) as folder:
            root = Path(folder)
            place = Place(root, root / "book.cmplanner", world)
            shutil.copyfile(world / "template.cmplanner", place.db)
            (root / "out").mkdir()
            (root / "out" / "existing.txt").write_text("mine")
            argv = [*command, *data.draw(arguments(parser, place), label="arguments")]
            before = file_dump(place.db)
            code, out, err = run(["--db", str(place.db), *argv], place)
            assert code in ((0, 1, 2) if command in MAY_EXIT_1 else (0, 2)), (code, err)
            assert "Traceback" not in err
            if code == 1:
                assert err.strip(), "what was not done is said"
            if code == 2 and not (err.strip() or "--json" not in argv):
                assert "error" in json.loads(out), out  # a script asked: it gets JSON
            elif code == 2:
                assert any(line.startswith("cmplanner") for line in err.splitlines()), err
            if code == 2:
                assert file_dump(place.db) == before, "a refused command wrote to the database"
            assert not (root / "missing").exists(), "a folder was made above an output"
            assert not list((root / "out").glob(".*.tmp")), "a temporary file was left"

    check()
