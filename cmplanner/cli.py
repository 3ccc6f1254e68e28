"""The `cmplanner` command. No sub-command opens the GUI (Qt is imported only then)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cmplanner import __version__, paths
from cmplanner.cli_values import input_path
from cmplanner.errors import CMPlannerError, explained
from cmplanner.i18n import N_, _, labelled, set_language

EXIT_USER_ERROR = 2
GUI_MODULE = "ui.app"  # provides run(db_path | None, demo) -> exit code

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

Handler = Callable[[argparse.Namespace], int]


def _database_path(args: argparse.Namespace) -> Path:
    if args.demo:
        return paths.demo_database()
    chosen = args.db or os.environ.get("CMPLANNER_DB")
    return Path(chosen).expanduser() if chosen else paths.default_database()


# --- sub-commands ---------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    # With no database named, the GUI reopens the one used last (else the default one).
    chosen = args.demo or args.db or os.environ.get("CMPLANNER_DB")
    path = _database_path(args)
    if args.demo:
        from cmplanner.demo import create_demo_database
        from cmplanner.errors import DatabaseLocked

        # If a demo window is already open, the GUI brings it to the front instead.
        with contextlib.suppress(DatabaseLocked):
            create_demo_database(path, force=True)
    # The core never imports the Qt face: the GUI is loaded by name, and only here.
    gui = importlib.import_module(GUI_MODULE)
    return int(gui.run(path if chosen else None, demo=args.demo))


def cmd_demo(args: argparse.Namespace) -> int:
    from cmplanner.demo import create_demo_database

    path = _database_path(args)
    create_demo_database(path, force=args.force)
    print(_("Demo data written to {path}").format(path=path))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from cmplanner.services.stats import LABELS, record_counts
    from cmplanner.storage import Database
    from cmplanner.storage.backup import latest_backup
    from cmplanner.storage.database import head_revision

    path = _database_path(args).resolve()
    with Database.open(path, writer=False) as db:
        revision = db.revision()
        counts = record_counts(db)
    last = latest_backup(path)
    print(_("Database: {path}").format(path=path))
    print(_("Schema revision: {revision}").format(revision=revision))
    if revision != head_revision():
        print(
            _("  (upgraded to {head} the next time CM Planner opens it)").format(
                head=head_revision()
            )
        )
    for name, count in counts.items():
        label = _(LABELS[name])
        print("  " + labelled(label, count))
    if last is None:
        print(_("Latest backup: none"))
    else:
        print(
            _("Latest backup: {when} ({path})").format(
                when=last.created.astimezone().strftime("%Y-%m-%d %H:%M"), path=last.path
            )
        )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from cmplanner.storage import inspect_file
    from cmplanner.storage.backup import create_backup, list_backups

    path = _database_path(args).resolve()
    if args.list:
        backups = list_backups(path)
        if not backups:
            print(_("No backups of {path} yet.").format(path=path))
        for b in backups:
            when = b.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            print(f"{when}  {b.reason:<18} {b.size / 1024:>8.0f} KiB  {b.path}")
        return 0
    info = inspect_file(path)  # refuses garbage and newer files before reading anything
    if info.revision is None:
        raise CMPlannerError(_("There is no database at {path}.").format(path=path))
    target = create_backup(path, reason="manual")
    print(_("Backup written to {path}").format(path=target))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from cmplanner.storage import Database, inspect_file
    from cmplanner.storage.database import restore_into

    path = _database_path(args).resolve()
    source = Path(args.file).expanduser()
    if not source.is_file():
        raise CMPlannerError(_("No backup file at {path}.").format(path=source))
    inspect_file(source.resolve())  # a file that is not ours is refused before anything opens
    with Database.open(path) as db:
        safety = restore_into(db, source)
    print(_("Restored {source} into {path}.").format(source=source, path=path))
    print(_("The previous content was backed up to {path}").format(path=safety))
    return 0


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cmplanner",
        description=_("CM Planner: plan real-world community life."),
    )
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
    sub = parser.add_subparsers(title=_("commands"), metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser("demo", help=_("fill a database with demo data"))
    demo.add_argument("--force", action="store_true", help=_("replace a database that holds data"))
    demo.set_defaults(handler=cmd_demo)

    info = sub.add_parser("info", help=_("show the database's path, schema and record counts"))
    info.set_defaults(handler=cmd_info)

    backup = sub.add_parser("backup", help=_("back up the database now"))
    backup.add_argument("--list", action="store_true", help=_("list the existing backups"))
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help=_("replace the database with a backup"))
    restore.add_argument("file", type=input_path, help=_("the backup file"))
    restore.set_defaults(handler=cmd_restore)
    from cmplanner.cli_contacts import register as register_contacts

    register_contacts(sub)
    from cmplanner.cli_events import register as register_events

    register_events(sub)
    from cmplanner.cli_documents import register_communities_group

    register_communities_group(sub)
    from cmplanner.cli_dashboard import register as register_dashboard

    register_dashboard(sub)
    # Later capabilities add their groups here: events, communities, dashboard.
    return parser


class _NoticeLine(logging.Handler):
    """What opening a database did that the user should know (an interrupted upgrade undone,
    storage/upgrade.py): one line on stderr, whichever command opened it."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"cmplanner: {record.getMessage()}", file=sys.stderr)


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
        print("cmplanner: " + _("An argument holds a NUL character."), file=sys.stderr)
        return EXIT_USER_ERROR
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a refused argument (said already)
        return stop.code if isinstance(stop.code, int) else EXIT_USER_ERROR
    handler: Handler = args.handler
    _say_storage_notices()
    database: Path | None = None
    try:
        from cmplanner.cli_values import check_arguments

        database = _database_path(args)
        check_arguments(args, database)
        return handler(args)
    except CMPlannerError as exc:
        return _refused(exc)
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
        return _refused(found)


def _refused(exc: CMPlannerError) -> int:
    print("cmplanner: " + " ".join(str(exc).splitlines()), file=sys.stderr)
    return EXIT_USER_ERROR
