"""What the `cmplanner` commands share: the exit code and the one line of a refusal, the
database a command opens, JSON on stdout, the options of the PDF commands, and what the
arguments may hold.

The argument types refuse, in one line and before anything is opened, an id SQLite cannot
store, a date out of the calendar's range, a count of days beyond any date, and an output
path whose folder does not exist (nothing is ever created above the file or folder asked
for)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmplanner import paths
from cmplanner.errors import CMPlannerError, ValidationError
from cmplanner.i18n import _

if TYPE_CHECKING:
    from cmplanner.storage import Database

EXIT_USER_ERROR = 2

Handler = Callable[[argparse.Namespace], int]


# --- running a command --------------------------------------------------------------------


def later(module: str, name: str) -> Handler:
    """The handler `name` of `module`, imported when the command runs (not at start-up)."""

    def run(args: argparse.Namespace) -> int:
        handler: Handler = getattr(importlib.import_module(module), name)
        return handler(args)

    return run


def database_path(args: argparse.Namespace) -> Path:
    """The database a command works on: `--demo`, `--db`, $CMPLANNER_DB, or the default one."""
    if args.demo:
        return paths.demo_database()
    chosen = args.db or os.environ.get("CMPLANNER_DB")
    return Path(chosen).expanduser() if chosen else paths.default_database()


@contextmanager
def reading(args: argparse.Namespace) -> Iterator[Database]:
    """The database for reading; an older one is upgraded first (that needs the lock)."""
    # Imported here: storage loads when a command runs, not when the parser is built.
    from cmplanner.storage import Database, FileState, inspect_file

    path = database_path(args)
    if inspect_file(path.resolve()).state is FileState.OLDER:
        Database.open(path).close()
    with Database.open(path, writer=False) as db:
        yield db


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def usage(parser: argparse.ArgumentParser) -> int:
    """A group named without its command: its help, on stderr, as a refusal."""
    parser.print_help(sys.stderr)
    return EXIT_USER_ERROR


def print_error(message: str) -> None:
    """A refusal or a failure, on stderr, after the program's name."""
    print(f"cmplanner: {message}", file=sys.stderr)


def refused(exc: CMPlannerError) -> int:
    """Say why the command was refused, in one line, and give its exit code."""
    print_error(" ".join(str(exc).splitlines()))
    return EXIT_USER_ERROR


# --- what the arguments may hold ----------------------------------------------------------

# SQLite's INTEGER PRIMARY KEY is a signed 64-bit integer.
LARGEST_ID = 2**63 - 1
# Some 137 years: "not seen for DAYS days" means nothing beyond (and no date lies there).
MOST_DAYS = 50_000


def record_id(text: str) -> int:
    """An id: a whole number from 1 to SQLite's largest."""
    why = _("“{text}” is not an id (a whole number from 1 to {highest}).")
    return _whole_number(text, 1, LARGEST_ID, why)


def days(text: str) -> int:
    """A count of days, from 0 to MOST_DAYS."""
    why = _("“{text}” is not a number of days (a whole number from 0 to {highest}).")
    return _whole_number(text, 0, MOST_DAYS, why)


def _whole_number(text: str, lowest: int, highest: int, why: str) -> int:
    value = _whole(text)
    if value is None or not lowest <= value <= highest:
        raise argparse.ArgumentTypeError(why.format(text=text, highest=highest))
    return value


def _whole(text: str) -> int | None:
    text = text.strip()
    # int() also reads "١٢", "1_000" and "+5": an id is written with ASCII digits only.
    if not text.isascii() or not text.isdigit():
        return None
    return int(text)


def day(text: str) -> dt.date:
    """A date (YYYY-MM-DD) in the calendar's range (cmplanner.timezones.FIRST_DAY…LAST_DAY)."""
    # Imported here: zoneinfo loads when a date is read, not when the parser is built.
    from cmplanner.timezones import check_day

    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a date (expected YYYY-MM-DD).").format(text=text)
        ) from None
    try:
        check_day(value)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


class InputPath(str):
    """A path the command reads: it may hold bytes that are not UTF-8, as file names may."""


def input_path(text: str) -> InputPath:
    _named(text)  # an empty name (`--db ""`) is refused, not taken for "the default one"
    return InputPath(text)


class OutputPath(str):
    """A path the command writes (a file, or a folder it makes): checked again against the
    database once the command line is read (`check_arguments`)."""


def output_file(text: str) -> OutputPath:
    """A file to write: not a folder, and in a folder that exists (it is never created)."""
    path = _named(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(
            _("{path} is a folder: name a file to write.").format(path=text)
        )
    _check_parent(path)
    return OutputPath(text)


def output_folder(text: str) -> OutputPath:
    """A folder to write into, made if it does not exist; the folder holding it must."""
    path = _named(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(_("{path} is a file, not a folder.").format(path=text))
    _check_parent(path)
    return OutputPath(text)


def _named(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError(_("The file name is empty."))
    return Path(text).expanduser()


def _check_parent(path: Path) -> None:
    folder = path.parent
    if not folder.is_dir():
        what = (
            _("{folder} is not a folder: nothing was written.")
            if folder.exists()
            else _("The folder {folder} does not exist: nothing was written.")
        )
        raise argparse.ArgumentTypeError(what.format(folder=folder))


def check_arguments(args: argparse.Namespace, database: Path) -> None:
    """What no single argument's type can tell: text that is not UTF-8 where only a file name
    may be (a terminal in another encoding), and an output path that is the database itself,
    or one of its own files (an export written there would replace the data it was made
    from)."""
    for value in vars(args).values():
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str) or isinstance(text, (InputPath, OutputPath)):
                continue
            if not _utf8(text):
                raise ValidationError(
                    _("“{text}” is not text CM Planner can read (it is not UTF-8).").format(
                        text=text
                    )
                )

    own = {database.resolve()} | {
        database.resolve().with_name(database.name + suffix)
        for suffix in ("-wal", "-shm", "-journal", ".lock")
    }
    for value in vars(args).values():
        if not isinstance(value, OutputPath):
            continue
        target = Path(value).expanduser()
        if target.resolve() in own:
            raise ValidationError(
                _("{path} is the database itself: choose another file to write.").format(path=value)
            )


def handover_target(text: str) -> OutputPath:
    """A handover pack's target: a .zip file, or a folder."""
    return output_file(text) if text.lower().endswith(".zip") else output_folder(text)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- the options of the PDF commands ------------------------------------------------------

PAGE_CHOICES = ("A4", "Letter")


def pdf_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        type=output_file,
        metavar="FILE.pdf",
        help=_("the PDF file to write"),
    )


def paper_size(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--page", choices=PAGE_CHOICES, default="A4", help=_("paper size (A4)"))
