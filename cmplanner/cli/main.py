"""The `cmplanner` command: its parser, assembled from each group's module, and `main()`.
No sub-command opens the GUI (Qt is imported only then)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cmplanner import __version__
from cmplanner.cli.common import (
    EXIT_USER_ERROR,
    Handler,
    check_arguments,
    database_path,
    input_path,
    later,
    output_file,
    print_error,
    refused,
)
from cmplanner.errors import CMPlannerError, DatabaseLocked, explained
from cmplanner.i18n import N_, _, set_language

GUI_MODULE = "ui.shell.app"  # provides run(db_path | None, demo) -> exit code

# argparse's own words, so its help and errors follow the interface language too
# (argparse looks `_` up in its module at call time).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)
argparse._ = _  # type: ignore[attr-defined]


# --- no sub-command: the GUI ----------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    # With no database named, the GUI reopens the one used last (else the default one).
    chosen = args.demo or args.db or os.environ.get("CMPLANNER_DB")
    path = database_path(args)
    if args.demo:
        # Imported here: the demo data loads the services, which `--help` does not need.
        from cmplanner.demo import create_demo_database

        # If a demo window is already open, the GUI brings it to the front instead.
        with contextlib.suppress(DatabaseLocked):
            create_demo_database(path, force=True)
    # The core never imports the Qt face: the GUI is loaded by name, and only here.
    gui = importlib.import_module(GUI_MODULE)
    return int(gui.run(path if chosen else None, demo=args.demo))


# --- parser ---------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, as every refusal (`--help` shows how the command is written).
        self.exit(
            EXIT_USER_ERROR,
            _("{prog}: error: {message}").format(
                prog=self.prog, message=" ".join(message.splitlines())
            )
            + "\n",
        )


class _Unsure(Exception):
    """The window's own parser cannot tell: the whole command's parser says it."""


class _WindowParser(_Parser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Unsure(message)


# The options of `cmplanner` with no sub-command: how many values each takes.
WINDOW_OPTIONS = {"--db": 1, "--demo": 0, "--lang": 1}


def _window_only(argv: Sequence[str]) -> bool:
    """Whether `argv` holds nothing but the window's options, written in full (so no
    sub-command, no --help: a start of the window)."""
    rest = iter(argv)
    for arg in rest:
        name = arg.split("=", 1)[0]
        if name not in WINDOW_OPTIONS:
            return False
        if "=" not in arg:
            for _value in range(WINDOW_OPTIONS[name]):
                if next(rest, None) is None:
                    return False
    return True


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """`argv` parsed; SystemExit for --help, --version or a refused argument (said already).

    A start of the window parses with the window's options alone: the sub-commands' modules
    (and their argparse tables) load for a command, --help or a refusal, not at every start."""
    if _window_only(argv):
        with contextlib.suppress(_Unsure):
            return _options(_WindowParser(prog="cmplanner")).parse_args(argv)
    return build_parser().parse_args(argv)


def _options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`parser` with the options of `cmplanner` itself (with no sub-command: the window)."""
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=input_path,
        help=_("database file (default: $CMPLANNER_DB or the data folder)"),
    )
    parser.add_argument("--demo", action="store_true", help=_("use a fresh demo database instead"))
    parser.add_argument("--lang", choices=["fr", "en"], help=_("interface language"))
    parser.set_defaults(handler=cmd_gui)
    return parser


def build_parser() -> argparse.ArgumentParser:
    # The command groups' modules: imported here, for start-up time (see parse_arguments).
    from cmplanner.cli import communities, contacts, events, named_records

    parser = _options(
        _Parser(
            prog="cmplanner",
            description=_("CM Planner: plan real-world community life."),
        )
    )
    sub = parser.add_subparsers(title=_("commands"), metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser("demo", help=_("fill a database with demo data"))
    demo.add_argument("--force", action="store_true", help=_("replace a database that holds data"))
    demo.set_defaults(handler=later("cmplanner.cli.database", "cmd_demo"))

    info = sub.add_parser("info", help=_("show the database's path, schema and record counts"))
    info.set_defaults(handler=later("cmplanner.cli.database", "cmd_info"))

    backup = sub.add_parser("backup", help=_("back up the database now"))
    backup.add_argument("--list", action="store_true", help=_("list the existing backups"))
    backup.set_defaults(handler=later("cmplanner.cli.database", "cmd_backup"))

    restore = sub.add_parser("restore", help=_("replace the database with a backup"))
    restore.add_argument("file", type=input_path, help=_("the backup file"))
    restore.set_defaults(handler=later("cmplanner.cli.database", "cmd_restore"))

    # The groups, in the order `--help` lists them.
    contacts.register(sub)
    named_records.register(sub)  # organizations, tags, venues
    events.register(sub)
    communities.register(sub)

    dashboard = sub.add_parser(
        "dashboard",
        help=_("the morning digest: what is due, which community fades, who drifts away"),
    )
    dashboard.add_argument(
        "--json", action="store_true", help=_("print JSON (the same figures as the home screen)")
    )
    dashboard.add_argument(
        "--pdf", type=output_file, metavar="FILE.pdf", help=_("write the dashboard as a PDF")
    )
    dashboard.set_defaults(handler=later("cmplanner.cli.dashboard", "cmd_dashboard"))
    return parser


class _NoticeLine(logging.Handler):
    """What opening a database did that the user should know (an interrupted upgrade undone,
    storage/upgrade.py): one line on stderr, whichever command opened it."""

    def emit(self, record: logging.LogRecord) -> None:
        print_error(record.getMessage())


def _say_storage_notices() -> None:
    logger = logging.getLogger("cmplanner.storage.upgrade")
    if not any(isinstance(h, _NoticeLine) for h in logger.handlers):
        logger.addHandler(_NoticeLine(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    set_language(os.environ.get("CMPLANNER_LANG") or None)
    argv = list(sys.argv[1:] if argv is None else argv)
    # A file name that is not UTF-8 is printed back as the bytes it was given in.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="surrogateescape")  # type: ignore[union-attr]
    # The language option must act before the parser builds its (translated) help.
    if "--lang" in argv[:-1]:
        set_language(argv[argv.index("--lang") + 1])
    if any("\x00" in arg for arg in argv):
        # No file, name or date holds one; a shell cannot even pass it.
        print_error(_("An argument holds a NUL character."))
        return EXIT_USER_ERROR
    try:
        args = parse_arguments(argv)
    except SystemExit as stop:  # --help, --version, or a refused argument (said already)
        return stop.code if isinstance(stop.code, int) else EXIT_USER_ERROR
    handler: Handler = args.handler
    _say_storage_notices()
    database: Path | None = None
    try:
        database = database_path(args)
        check_arguments(args, database)
        return handler(args)
    except CMPlannerError as exc:
        return refused(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`cmplanner contacts list | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:
        # A full disk, a read-only file, a value beyond any date: said in one line. Anything
        # else is a bug, and its traceback is what a report needs.
        found = explained(exc, database)
        if found is None:
            raise
        return refused(found)
