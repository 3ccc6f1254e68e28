"""Fault injection: every writer killed (SIGKILL) at many moments, then the database checked.

    python bench/torture.py [--trials N] [--writers NAME,NAME] [--contacts N] [--seed S]
                            [--spread] [--keep DIR] [--list]

For each writer of WRITERS (a name → how to prepare its database, the command line that
writes, and what to check), one full run first, untouched: it must succeed, and it tells how
long the writer takes, when it starts writing (the database's log grows, or a backup begins)
and the database's content once it is done. Then N trials, each on a fresh copy of the same
database and a data folder of its own: the writer is started and killed with SIGKILL after a
delay drawn at random between when it starts writing and when it ends (`--seed`), or with
`--spread`, at N points spread evenly over that span (what `make test` does). Then:

- `PRAGMA integrity_check` and `PRAGMA foreign_key_check`;
- the contacts' search index: its own integrity check, every row equal to what its triggers
  would write from the tables, and its triggers not left paused by a bulk writer;
- all or nothing: the content (every row of every table, timestamps aside) is exactly the
  content before the run, or exactly the content after the full run; writers that commit in
  steps by design (a CalDAV publish, the app's services one call at a time) check that each
  step is whole instead;
- the writer's own checks (a publish killed halfway is finished by the next one, an erased
  person leaves no trace, a backup that was not finished left no file…);
- the app opens the database for writing, a contact is added and found by search, the
  database is checked again; every backup left is a whole database; no temporary backup file
  is left behind.

Prints a table (writer, trials, killed, failures) and every failure with its trial's folder
(kept with `--keep DIR`); exits 1 on any failure. `make test` runs every writer with a small
count (tests/storage/test_torture.py); this script is for the large one.

The registry is open: `WRITERS[name] = Writer(...)` adds a writer (the schema upgrade is one),
checked like the others.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, BENCH):  # run as a script from a source tree; generate.py sits beside us
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from cmplanner.storage import identity, search_index  # noqa: E402
from cmplanner.storage.backup import BACKUP_SUFFIX  # noqa: E402
from cmplanner.storage.database import REVISIONS  # noqa: E402

# Columns stamped with the time of the run: two runs of the same writer differ only there.
STAMPS = frozenset({"created_at", "updated_at"})
TIMEOUT = 600.0  # a writer that runs longer than this has hung: that is a failure too


# --- the registry ---------------------------------------------------------------------------


@dataclass
class Trial:
    """One run of a writer: a fresh copy of its database and a data folder of its own."""

    writer: str
    number: int  # 0 is the full run
    folder: Path
    db: Path
    home: Path  # CMPLANNER_HOME: the trial's backups
    env: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)  # what `start` set up for the checks


@dataclass
class Writer:
    """A writer to torture.

    `prepare(lab)` returns the database every trial starts from (made once, with any input
    files beside it, in `lab.folder(name)`: a trial's folder is inside it); `command(trial)`
    the command line that writes (a `cmplanner` command: `Lab.cli(trial, ...)`, or any
    program); `start(lab, trial)` readies a trial before it runs (a calendar of its own on the
    server…); `check(trial, full)` returns what is wrong after the kill, beyond the common
    checks (`full` is the full run's trial).

    `whole`: the run is one transaction, so the content must be all or nothing. Kills fall
    between the moment the full run started writing and its end, or from its very start with
    `from_start` (a publish talks to the server long before it writes its first rows)."""

    name: str
    prepare: Callable[[Lab], Path]
    command: Callable[[Trial], list[str]]
    start: Callable[[Lab, Trial], None] | None = None
    check: Callable[[Trial, Trial], list[str]] | None = None
    whole: bool = True
    from_start: bool = False
    ignore: frozenset[str] = STAMPS  # columns left out of the content compared


class Lab:
    """What the writers of one run share: a work folder, a generated database, a CalDAV
    server, and what to close at the end."""

    def __init__(self, folder: Path, contacts: int, stack: contextlib.ExitStack) -> None:
        self.root = folder
        self.contacts = contacts
        self.stack = stack
        self._base: Path | None = None
        self._radicale: Any = None

    def folder(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def base(self) -> Path:
        """A database as a CM uses it (bench/generate.py): contacts, organizations,
        communities, events and series, invitations, interactions, tasks…"""
        if self._base is None:
            path = self.folder("base") / "base.cmplanner"
            for suffix in ("", "-wal", "-shm"):  # a --keep folder used before
                Path(str(path) + suffix).unlink(missing_ok=True)
            subprocess.run(
                [sys.executable, str(BENCH / "generate.py"), "--contacts", str(self.contacts),
                 "--out", str(path)],
                check=True, capture_output=True, env=self.env(self.folder("base") / "home"),
                timeout=TIMEOUT,
            )  # fmt: skip
            self._base = path
        return self._base

    def copy_of_base(self, name: str) -> Path:
        target = self.folder(name) / "template.cmplanner"
        copy_database(self.base(), target)
        return target

    def radicale(self) -> Any:
        """A Radicale server on 127.0.0.1 (tests/interop/radicale_server.py), started once."""
        if self._radicale is None:
            from tests.interop.radicale_server import running_radicale

            self._radicale = self.stack.enter_context(running_radicale(self.folder("radicale")))
        return self._radicale

    def env(self, home: Path) -> dict[str, str]:
        home.mkdir(parents=True, exist_ok=True)
        return {
            **os.environ,
            "CMPLANNER_HOME": str(home),
            "TZ": "Europe/Paris",
            "PYTHONPATH": str(ROOT),
        }

    @staticmethod
    def cli(trial: Trial, *args: str) -> list[str]:
        return [sys.executable, "-m", "cmplanner", "--lang", "en", "--db", str(trial.db), *args]


# --- writers --------------------------------------------------------------------------------


def _cards(path: Path, count: int, seed: int = 7) -> Path:
    from contacts import make_cards, write_cards  # bench/contacts.py

    return write_cards(make_cards(count, seed=seed), path)


def in_process(home: Path, *argv: str) -> None:
    """A `cmplanner` command run in this process (preparing, not tortured: no start-up)."""
    import io

    from cmplanner.cli.main import main as cmplanner

    with _home(home), contextlib.redirect_stdout(io.StringIO()):
        code = cmplanner(["--lang", "en", *argv])
    if code != 0:
        raise RuntimeError(f"cmplanner {' '.join(argv)} failed ({code})")


def _prepare_vcard(lab: Lab) -> Path:
    _cards(lab.folder("contacts-vcard") / "cards.vcf", lab.contacts // 2)
    return lab.copy_of_base("contacts-vcard")


def _prepare_csv(lab: Lab) -> Path:
    """A CSV as CM Planner itself exports it (the spreadsheet dialect), of new people."""
    folder = lab.folder("contacts-csv")
    cards = _cards(folder / "cards.vcf", lab.contacts // 2)
    scratch, home = str(folder / "scratch.cmplanner"), folder / "scratch-home"
    in_process(home, "--db", scratch, "contacts", "import", str(cards))
    in_process(home, "--db", scratch, "contacts", "export", str(folder / "contacts.csv"),
               "--format", "csv")  # fmt: skip
    return lab.copy_of_base("contacts-csv")


def _prepare_ics(lab: Lab) -> Path:
    from ics_import import generate_calendar  # bench/ics_import.py

    generate_calendar(lab.folder("events-ics") / "calendar.ics", max(20, lab.contacts // 4))
    return lab.copy_of_base("events-ics")


def _busiest(db: Path, count: int) -> list[int]:
    """The contacts with the most history (invitations, interactions), busiest first."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT contact_id FROM invitation WHERE contact_id IS NOT NULL"
            " GROUP BY contact_id ORDER BY count(*) DESC, contact_id LIMIT ?",
            (count,),
        ).fetchall()
    finally:
        con.close()
    return [int(r[0]) for r in rows]


def _add_history(db: Path, contact_id: int, count: int) -> None:
    """Give a contact a long history, so that moving or erasing it takes a while."""
    con = sqlite3.connect(db)
    try:
        with con:
            con.executemany(
                "INSERT INTO interaction (created_at, updated_at, contact_id, occurred_at,"
                " channel, in_person, notes) VALUES (CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?,"
                " ?, 'email', 0, ?)",
                [
                    (contact_id, f"2025-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00.000000",
                     f"Échange n°{n} — nouvelles de l'asso")
                    for n in range(count)
                ],
            )  # fmt: skip
    finally:
        con.close()


def _prepare_merge(lab: Lab) -> Path:
    template = lab.copy_of_base("merge")
    keep, other = _busiest(template, 2)
    _add_history(template, other, lab.contacts * 2)
    (lab.folder("merge") / "pair").write_text(f"{keep} {other}")
    return template


def _merge_command(trial: Trial) -> list[str]:
    keep, other = (trial.folder.parent / "pair").read_text().split()
    return Lab.cli(trial, "contacts", "merge", keep, other)


def _prepare_erase(lab: Lab) -> Path:
    template = lab.copy_of_base("erase")
    (person,) = _busiest(template, 1)
    _add_history(template, person, lab.contacts)
    con = sqlite3.connect(template)
    try:
        (email,) = con.execute(
            "SELECT (SELECT address FROM contact_email WHERE contact_id = c.id LIMIT 1)"
            " FROM contact c WHERE id = ?",
            (person,),
        ).fetchone()
        # A name found nowhere else, to look for in the file's bytes afterwards.
        with con:
            con.execute(
                "UPDATE contact SET family_name = 'Zyxtorturé', notes = 'Secret de Zyx'"
                " WHERE id = ?",
                (person,),
            )
    finally:
        con.close()
    (lab.folder("erase") / "person").write_text(f"{person}\n{email or ''}")
    return template


def _erase_command(trial: Trial) -> list[str]:
    person = (trial.folder.parent / "person").read_text().split()[0]
    return Lab.cli(trial, "contacts", "erase", person, "--yes")


def _erased_leaves_no_trace(trial: Trial, _full: Trial) -> list[str]:
    """Once the person is gone, and the app has opened and closed the database (the common
    checks did), their name and e-mail are nowhere in the file or its log."""
    lines = (trial.folder.parent / "person").read_text().split("\n")
    person, email = int(lines[0]), lines[1]
    con = sqlite3.connect(trial.db)
    try:
        there = con.execute("SELECT 1 FROM contact WHERE id = ?", (person,)).fetchone()
    finally:
        con.close()
    if there:
        return []
    problems = []
    for suffix in ("", "-wal"):
        file = Path(str(trial.db) + suffix)
        raw = file.read_bytes() if file.exists() else b""
        for secret in ("Zyxtorturé", "zyxtorture", "Secret de Zyx", email):
            if secret and secret.encode() in raw:
                problems.append(f"the erased person's {secret!r} is still in {file.name}")
    return problems


def _prepare_restore(lab: Lab) -> Path:
    """The live database holds more than the backup restored into it (more contacts)."""
    folder = lab.folder("restore")
    copy_database(lab.base(), folder / "backup.cmpbak")
    template = lab.copy_of_base("restore")
    cards = _cards(folder / "more.vcf", lab.contacts // 4, seed=11)
    in_process(folder / "prepare-home", "--db", str(template), "contacts", "import", str(cards))
    return template


def _prepare_backup(lab: Lab) -> Path:
    template = lab.copy_of_base("backup")
    _add_history(template, _busiest(template, 1)[0], lab.contacts * 10)  # a bigger file
    return template


def _backups_are_whole(trial: Trial, _full: Trial) -> list[str]:
    """Every backup in the folder (after the common checks opened the database) is whole."""
    problems = []
    for backup in sorted((trial.home / "backups").rglob(f"*{BACKUP_SUFFIX}")):
        problems += [f"{backup.name}: {p}" for p in database_problems(backup)]
    return problems


def _prepare_publish(lab: Lab) -> Path:
    """Fewer events than the base has (a PUT to Radicale takes a tenth of a second)."""
    lab.radicale()
    template = lab.copy_of_base("caldav-publish")
    con = sqlite3.connect(template)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        with con:
            con.execute(
                "DELETE FROM event WHERE id NOT IN (SELECT id FROM event ORDER BY id LIMIT ?)",
                (max(10, lab.contacts // 50),),
            )
    finally:
        con.close()
    return template


def _new_calendar(lab: Lab, trial: Trial) -> None:
    """A calendar of its own on the server, set in the trial's database as Preferences do;
    the password where the app takes it when there is no keyring."""
    from cmplanner.services import caldav_settings
    from cmplanner.storage import Database

    server = lab.radicale()
    url = server.make_calendar(f"{trial.writer}-{trial.number}-{os.getpid()}")
    with _home(trial.home), Database.open(trial.db) as db:
        caldav_settings.save(db, url, server.user)
    trial.env[caldav_settings.PASSWORD_ENVIRONMENT] = server.password
    trial.extra["calendar"] = url
    trial.extra["server"] = server


def _server_hrefs(trial: Trial) -> set[str]:
    import caldav

    server, url = trial.extra["server"], trial.extra["calendar"]
    with caldav.DAVClient(
        url=url, username=server.user, password=server.password, enable_rfc6764=False
    ) as client:
        return {str(o.url.path) for o in client.calendar(url=url).objects(load_objects=False)}


def _published_hrefs(trial: Trial) -> tuple[set[str], int]:
    con = sqlite3.connect(trial.db)
    try:
        rows = {str(r[0]) for r in con.execute("SELECT href FROM caldav_resource")}
        events = int(con.execute("SELECT count(*) FROM event").fetchone()[0])
    finally:
        con.close()
    return rows, events


def _publish_finishes(trial: Trial, _full: Trial) -> list[str]:
    """What the database says was published is on the server (a row is written only once
    the server took it); the next publish finishes the job: the server then holds one
    resource per event, each recorded once."""
    problems = []
    rows, _events = _published_hrefs(trial)
    on_server = _server_hrefs(trial)
    if not rows <= on_server:
        problems.append(f"{len(rows - on_server)} resources recorded but not on the server")
    try:
        with _environment(trial.env):
            in_process(trial.home, "--db", str(trial.db), "events", "publish")
    except RuntimeError as exc:
        return [*problems, f"the next publish: {exc}"]
    rows, events = _published_hrefs(trial)
    on_server = _server_hrefs(trial)
    if not (rows == on_server and len(rows) == events):
        problems.append(
            f"after the next publish: {len(on_server)} on the server, {len(rows)} recorded,"
            f" {events} events"
        )
    return problems


# The app's own writes, without the GUI: one service call after another, as the views make
# them. Each call is one transaction: every card is whole, every invitation follows its card.
SERVICES = """
import sys
from pathlib import Path
from cmplanner.services import contacts, guests
from cmplanner.services.contact_data import (
    AddressData, AffiliationData, ContactData, Labelled, MembershipData)
from cmplanner.storage import Database

db = Database.open(Path(sys.argv[1]))
event_id = int(sys.argv[2])
for n in range(int(sys.argv[3])):
    data = ContactData(
        given_name=f"Unité {n}", family_name="Torture",
        emails=(Labelled(f"unite{n}@example.org", "perso"), Labelled(f"u{n}@asso.example")),
        phones=(Labelled("+33 6 12 34 56 78"), Labelled("+33 4 78 00 00 00", "work")),
        addresses=(AddressData(street=f"{n} rue de la Paix", city="Lyon"),),
        affiliations=(AffiliationData(f"Atelier {n}", role="bénévole"),),
        tags=("torture", f"lot {n % 7}"),
        communities=(MembershipData("Club des tortures"),),
        notes="Rencontrée au forum",
    )
    contact_id, _ = contacts.create_contact(db, data)
    guests.add_guests(db, event_id, [contact_id])
db.close()
"""


def _prepare_services(lab: Lab) -> Path:
    template = lab.copy_of_base("services")
    con = sqlite3.connect(template)
    try:
        (event_id,) = con.execute("SELECT min(id) FROM event WHERE rrule = ''").fetchone()
    finally:
        con.close()
    units = max(20, lab.contacts // 20)
    (lab.folder("services") / "event").write_text(f"{event_id} {units}")
    return template


def _services_command(trial: Trial) -> list[str]:
    event_id, units = (trial.folder.parent / "event").read_text().split()
    return [sys.executable, "-c", SERVICES, str(trial.db), event_id, units]


def _each_call_whole(trial: Trial, _full: Trial) -> list[str]:
    event_id = int((trial.folder.parent / "event").read_text().split()[0])
    con = sqlite3.connect(trial.db)
    try:
        cards = con.execute(
            "SELECT c.id,"
            " (SELECT count(*) FROM contact_email WHERE contact_id = c.id),"
            " (SELECT count(*) FROM contact_phone WHERE contact_id = c.id),"
            " (SELECT count(*) FROM contact_address WHERE contact_id = c.id),"
            " (SELECT count(*) FROM affiliation WHERE contact_id = c.id),"
            " (SELECT count(*) FROM contact_tag WHERE contact_id = c.id),"
            " (SELECT count(*) FROM community_member WHERE contact_id = c.id),"
            " (SELECT count(*) FROM invitation WHERE contact_id = c.id AND event_id = ?)"
            " FROM contact c WHERE family_name = 'Torture' ORDER BY c.id",
            (event_id,),
        ).fetchall()
    finally:
        con.close()
    problems = [
        f"contact {c[0]} is not whole: {c[1:7]}" for c in cards if c[1:7] != (2, 2, 1, 1, 2, 1)
    ]
    uninvited = [c[0] for c in cards if c[7] != 1]
    if uninvited and uninvited != [cards[-1][0]]:
        problems.append(f"contacts created but not invited (only the last may be): {uninvited}")
    return problems


def _prepare_upgrade(lab: Lab) -> Path:
    """A database of the first revision (tests/golden), upgraded by the next writer that
    opens it: a backup, then every migration."""
    template = lab.folder("upgrade") / "template.cmplanner"
    copy_database(ROOT / "tests" / "golden" / "schema-0001.cmplanner", template)
    return template


WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        Writer(
            "contacts-vcard",
            _prepare_vcard,
            lambda t: Lab.cli(t, "contacts", "import", str(t.folder.parent / "cards.vcf")),
        ),
        Writer(
            "contacts-csv",
            _prepare_csv,
            lambda t: Lab.cli(t, "contacts", "import", str(t.folder.parent / "contacts.csv")),
        ),
        Writer(
            "events-ics",
            _prepare_ics,
            lambda t: Lab.cli(t, "events", "import", str(t.folder.parent / "calendar.ics")),
        ),
        Writer("merge", _prepare_merge, _merge_command),
        Writer("erase", _prepare_erase, _erase_command, check=_erased_leaves_no_trace),
        Writer(
            "restore",
            _prepare_restore,
            lambda t: Lab.cli(t, "restore", str(t.folder.parent / "backup.cmpbak")),
            check=_backups_are_whole,
        ),
        Writer("backup", _prepare_backup, lambda t: Lab.cli(t, "backup"), check=_backups_are_whole),
        Writer(
            "caldav-publish",
            _prepare_publish,
            lambda t: Lab.cli(t, "events", "publish"),
            start=_new_calendar,
            check=_publish_finishes,
            whole=False,  # committed in batches by design: the next publish finishes it
            from_start=True,
        ),
        # The schema upgrade, killed at random moments like the others. tests/faults.py (issue
        # 14, §1) kills it at exact SQL statements instead: the integrator may give this entry
        # those kill points once both are merged.
        Writer("upgrade", _prepare_upgrade, lambda t: Lab.cli(t, "contacts", "list", "--json")),
        Writer(
            "services",
            _prepare_services,
            _services_command,
            check=_each_call_whole,
            whole=False,  # one transaction per call, as in the app
        ),
    )
}


# --- checks ---------------------------------------------------------------------------------


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy (the backup API), so a template is never copied half-written."""
    target.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        src.close()
        dst.close()


def database_problems(path: Path) -> list[str]:
    """SQLite's checks and the search index's, on the file as it is."""
    problems: list[str] = []
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [f"cannot be opened: {exc}"]
    try:
        result = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append(f"integrity_check: {result[:5]}")
        dangling = con.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            problems.append(f"foreign_key_check: {len(dangling)} rows, first {dangling[:3]}")
        if _revision(con) == REVISIONS[-1]:
            # (An older database, one the upgrade did not touch, has an older index or none:
            # all or nothing compares its schema with what it was.)
            problems += index_problems(con)
    except sqlite3.Error as exc:
        problems.append(f"unreadable: {exc}")
    finally:
        con.close()
    return problems


def _revision(con: sqlite3.Connection) -> str | None:
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def index_problems(con: sqlite3.Connection) -> list[str]:
    """The search index against its table: what its triggers would have written."""
    problems = []
    table = search_index.TABLE
    # FTS5's own check is written as an INSERT, which a read-only connection refuses: it
    # runs on a copy in memory, the file left untouched.
    scratch = sqlite3.connect(":memory:")
    try:
        con.backup(scratch)
        scratch.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.Error as exc:
        problems.append(f"search index integrity-check: {exc}")
    finally:
        scratch.close()
    columns = ", ".join(search_index.COLUMNS)
    held = con.execute(f"SELECT rowid, {columns} FROM {table} ORDER BY rowid").fetchall()
    wanted = con.execute(f"{search_index.INDEXED_ROWS} ORDER BY c.id").fetchall()
    if held != wanted:
        missing = {r[0] for r in wanted} - {r[0] for r in held}
        extra = {r[0] for r in held} - {r[0] for r in wanted}
        stale = sum(1 for a, b in zip(held, wanted, strict=False) if a != b)
        problems.append(
            f"search index out of step: {len(missing)} contacts missing, {len(extra)} extra,"
            f" {stale} rows differ"
        )
    paused = con.execute(f"SELECT paused FROM {search_index.STATE_TABLE}").fetchone()
    if paused != (0,):
        problems.append(f"search index triggers left paused: {paused}")
    return problems


def content(path: Path, ignore: frozenset[str]) -> dict[str, str]:
    """A digest of the schema and of every table's rows (the search index's own tables and
    `ignore`d columns aside), to compare a database's content with another's."""
    out = {}
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith((search_index.TABLE, "sqlite_"))
        ]
        schema = sorted(
            repr(r) for r in con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        )
        out["<schema>"] = hashlib.sha256("\n".join(schema).encode()).hexdigest()
        for table in sorted(tables):
            cursor = con.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            keep = [i for i, name in enumerate(names) if name not in ignore]
            rows = sorted(repr(tuple(_drawn(table, names, row)[i] for i in keep)) for row in cursor)
            out[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    finally:
        con.close()
    return out


def _drawn(table: str, names: list[str], row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The row with what each run draws afresh put as a mark: a UID the input did not bring
    (a uuid4), the database's id (drawn by the upgrade that adds it)."""
    values = list(row)
    if "uid" in names and _is_uuid4(values[names.index("uid")]):
        values[names.index("uid")] = "<uuid4>"
    if table == "setting" and values[names.index("key")] == identity.KEY:
        values[names.index("value")] = "<database id>"
    return tuple(values)


def _is_uuid4(value: Any) -> bool:
    """A UID drawn afresh by each run (one the input did not bring): compared as such."""
    try:
        return isinstance(value, str) and uuid.UUID(value).version == 4
    except ValueError:
        return False


def app_problems(trial: Trial) -> list[str]:
    """The app opens the database for writing and takes a write; what it leaves is sound."""
    from cmplanner.services import contacts
    from cmplanner.services.browse import CONTACTS
    from cmplanner.services.contact_data import ContactData, Labelled
    from cmplanner.storage import Database

    problems = []
    try:
        with _home(trial.home), Database.open(trial.db) as db:
            contact_id, _ = contacts.create_contact(
                db,
                ContactData(
                    given_name="Rescapée",
                    family_name="Aprèskill",
                    emails=(Labelled("rescapee@example.org"),),
                ),
            )
            if contact_id not in CONTACTS.ids(db, text="apreskill rescapee"):
                problems.append("a contact added after the kill is not found by search")
    except Exception as exc:  # whatever it is, a failure to report (not to stop the run)
        first = (str(exc).splitlines() or [""])[0]  # an SQL error adds the statement below
        return [f"the app cannot open it and write: {type(exc).__name__}: {first}"]
    problems += [f"after a write: {p}" for p in database_problems(trial.db)]
    left = sorted(p.name for p in (trial.home / "backups").rglob(f"*{BACKUP_SUFFIX}.tmp*"))
    if left:
        problems.append(f"temporary backup files left after opening: {left}")
    return problems


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """These environment variables set for this process's own calls into the app."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _home(home: Path) -> contextlib.AbstractContextManager[None]:
    """CMPLANNER_HOME set to `home` for this process's own calls into the app."""
    return _environment({"CMPLANNER_HOME": str(home)})


# --- running --------------------------------------------------------------------------------


@dataclass
class Result:
    writer: str
    trials: int = 0
    killed: int = 0  # trials whose writer was still running when killed
    failures: list[tuple[Trial, str]] = field(default_factory=list)  # (trial, a problem)
    seconds: float = 0.0  # the full run
    writing_from: float = 0.0  # when the full run started writing

    @property
    def failed(self) -> int:
        """How many trials (the full run counts) had a problem, however many each had."""
        return len({trial.number for trial, _problem in self.failures})


def new_trial(writer: Writer, lab: Lab, template: Path, number: int) -> Trial:
    folder = lab.folder(writer.name) / f"trial-{number:03d}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    db = folder / "planner.cmplanner"
    copy_database(template, db)
    trial = Trial(writer.name, number, folder, db, folder / "home", lab.env(folder / "home"))
    if writer.start is not None:
        writer.start(lab, trial)
    return trial


def _written(trial: Trial) -> bool:
    """Has the writer started writing: the database's log grew, or a backup began?"""
    wal = Path(str(trial.db) + "-wal")
    try:
        if wal.stat().st_size > 0:
            return True
    except OSError:
        pass
    backups = trial.home / "backups"
    return backups.exists() and any(backups.iterdir())


def full_run(writer: Writer, trial: Trial) -> tuple[float, float]:
    """Run the writer to its end; return (seconds, when it started writing)."""
    command = writer.command(trial)
    started = time.monotonic()
    child = subprocess.Popen(
        command, env=trial.env, cwd=trial.folder, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    writing = None
    while child.poll() is None:
        if writing is None and _written(trial):
            writing = time.monotonic() - started
        if time.monotonic() - started > TIMEOUT:
            child.kill()
        time.sleep(0.002)
    seconds = time.monotonic() - started
    out, err = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(
            f"{writer.name}: the full run failed ({child.returncode}): {' '.join(command)}\n"
            f"{out}{err}"
        )
    return seconds, writing if writing is not None else 0.0


def killed_run(writer: Writer, trial: Trial, delay: float) -> bool:
    """Start the writer and SIGKILL it `delay` seconds after it starts writing (after it
    starts, for `from_start`); True if it was still running then."""
    child = subprocess.Popen(
        writer.command(trial), env=trial.env, cwd=trial.folder, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    started = time.monotonic()
    if not writer.from_start:
        while child.poll() is None and not _written(trial):
            if time.monotonic() - started > TIMEOUT:
                break
            time.sleep(0.001)
    try:
        child.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        return True
    return False


def problems_after(
    writer: Writer, trial: Trial, full: Trial, states: tuple[dict[str, str], ...]
) -> list[str]:
    problems = database_problems(trial.db)
    if writer.whole:
        now = content(trial.db, writer.ignore)
        if now not in states:
            before, after = states
            differ = sorted({t for t in now if now[t] != before.get(t)} | set(before) ^ set(now))
            differ_after = sorted({t for t in now if now[t] != after.get(t)})
            problems.append(
                f"neither all nor nothing: differs from before in {differ},"
                f" from after in {differ_after}"
            )
    problems += app_problems(trial)
    if writer.check is not None:
        problems += writer.check(trial, full)
    return problems


def run_writer(
    writer: Writer, lab: Lab, trials: int, rng: random.Random | None, log: Callable[[str], None]
) -> Result:
    """The full run, then `trials` killed runs: at random moments (`rng`), or spread evenly
    over the span where the full run was writing."""
    result = Result(writer.name)
    template = writer.prepare(lab)
    full = new_trial(writer, lab, template, 0)
    before = content(full.db, writer.ignore)
    result.seconds, result.writing_from = full_run(writer, full)
    after = content(full.db, writer.ignore)
    for problem in problems_after(writer, full, full, (before, after)):
        result.failures.append((full, f"full run: {problem}"))
    writing = result.seconds - (0.0 if writer.from_start else result.writing_from)
    log(f"{writer.name}: full run {result.seconds:.2f} s, writing from {result.writing_from:.2f} s")
    for n in range(1, trials + 1):
        # Seconds after it starts writing: spread over the full run's writing, or at random.
        # (Spread over its first 80 %: a trial may run a little faster than the full run.)
        delay = 0.8 * writing * n / (trials + 1) if rng is None else rng.uniform(0.0, writing)
        trial = new_trial(writer, lab, template, n)
        was_running = killed_run(writer, trial, delay)
        result.trials += 1
        result.killed += was_running
        found = problems_after(writer, trial, full, (before, after))
        for problem in found:
            result.failures.append((trial, f"killed {delay:.3f} s in: {problem}"))
        log(
            f"  trial {n}: {'killed' if was_running else 'finished'} {delay:.3f} s in,"
            f" {'OK' if not found else '; '.join(found)}"
        )
        if not found and not _keep_all:
            shutil.rmtree(trial.folder, ignore_errors=True)
    return result


_keep_all = False


def run(
    names: list[str],
    trials: int,
    *,
    seed: int | None,
    contacts: int,
    folder: Path,
    log: Callable[[str], None] = print,
) -> list[Result]:
    results = []
    with contextlib.ExitStack() as stack:
        lab = Lab(folder, contacts, stack)
        rng = random.Random(seed) if seed is not None else None
        for name in names:
            results.append(run_writer(WRITERS[name], lab, trials, rng, log))
    return results


def table(results: list[Result]) -> str:
    lines = [f"{'writer':<16} {'trials':>6} {'killed':>6} {'failures':>8}  full run"]
    for r in results:
        lines.append(
            f"{r.writer:<16} {r.trials:>6} {r.killed:>6} {r.failed:>8}  {r.seconds:.2f} s"
            f" (writing from {r.writing_from:.2f} s)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    global _keep_all
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=30, help="kills per writer")
    parser.add_argument("--writers", default=",".join(WRITERS), help="which, comma-separated")
    parser.add_argument("--contacts", type=int, default=2000, help="size of the database")
    parser.add_argument("--seed", type=int, default=1, help="the random kill moments' seed")
    parser.add_argument(
        "--spread", action="store_true", help="kill at evenly spread moments, not at random"
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep every trial")
    parser.add_argument("--list", action="store_true", help="list the writers and stop")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(WRITERS))
        return 0
    names = [n.strip() for n in args.writers.split(",") if n.strip()]
    unknown = [n for n in names if n not in WRITERS]
    if unknown:
        parser.error(f"unknown writers: {', '.join(unknown)} (known: {', '.join(WRITERS)})")
    with contextlib.ExitStack() as stack:
        if args.keep:
            folder = args.keep
            folder.mkdir(parents=True, exist_ok=True)
            _keep_all = True
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="torture-")))
        results = run(
            names,
            args.trials,
            seed=None if args.spread else args.seed,
            contacts=args.contacts,
            folder=folder,
        )
        print()
        print(table(results))
        failures = [f for r in results for f in r.failures]
        for trial, problem in failures:
            print(f"FAIL {trial.writer} trial {trial.number} ({trial.folder}): {problem}")
        if failures and not args.keep:
            print("(run again with --keep DIR to keep the failing trials' databases)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
