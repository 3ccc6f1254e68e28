"""Contact book benchmark: four ratios measured in the same run (issue 3, point 8).

    python bench/contacts.py [--quick] [--runs N] [--only import,cli,search,heartbeat]
                             [--db PATH] [--cards N]

1. import    importing N vCard 3.0 cards into an empty database through the real path
             (`parse_file` → `plan_import` → `apply_import`) against a bare vobject parse of
             the same file (every card and its properties materialised). Goal ≤ 2.0.
2. cli       `cmplanner --db DB contacts list --search TERM` on the database those cards
             make, a fresh process each time, against `khard list TERM` over the same cards
             (one .vcf per card, a throw-away khard config). Goal ≤ 0.1.
3. search    one search keystroke in the contacts view on the scale database (the listing's
             ids for the term, then the first page of rows, as the view's model asks them)
             against the bare FTS5 query for the same term on an open connection. Goal ≤ 5.
4. heartbeat a 10 ms QTimer on the GUI thread while `apply_import` runs on the real worker
             thread (`ui.kit.jobs.run_in_background`): the longest gap between ticks. Goal:
             never more than 100 ms.

Figures are medians of several runs; the two sides of a ratio alternate so a slow patch of
the machine hits both. It is a report, not a test: it exits 0 whatever the figures, and 1
only when something could not be measured. The cards are generated from a fixed seed, so
every run imports the same file.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (ROOT, BENCH):  # run as a script from a source tree; generate.py sits beside us
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from generate import (  # noqa: E402
    CITIES,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MAIL_DOMAINS,
    ORG_WORDS,
    ROLES,
    STREET_KINDS,
    STREET_NAMES,
    TAG_NAMES,
    ascii_slug,
)
from startup import QUICK_DB, SCALE_DB, ensure_database  # noqa: E402

IMPORT_GOAL = 2.0
CLI_GOAL = 0.1
SEARCH_GOAL = 5.0
HEARTBEAT_GOAL_MS = 100.0
HEARTBEAT_MS = 10
PIECES = ("import", "cli", "search", "heartbeat")
SEED = 20261121


class Unmeasured(Exception):
    """A figure could not be measured; the message says why."""


@dataclass(frozen=True)
class Sizes:
    cards: int
    import_runs: int
    cli_runs: int
    khard_runs: int
    search_runs: int
    heartbeat_runs: int


FULL = Sizes(
    cards=10_000, import_runs=2, cli_runs=5, khard_runs=2, search_runs=15, heartbeat_runs=1
)
QUICK = Sizes(cards=200, import_runs=1, cli_runs=1, khard_runs=1, search_runs=3, heartbeat_runs=1)


# --- the cards -------------------------------------------------------------------------------

NOTES = (
    "Rencontrée au forum des associations\\, très motivée.",
    "Préfère être contacté le soir.\\nDisponible le week-end.",
    "A proposé d'animer un atelier « zéro déchet ».",
    "Ancien trésorier\\; connaît bien les subventions.",
    "Allergique aux fruits à coque (prévoir au buffet).",
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _phone(rng: Random, mobile: bool) -> str:
    head = rng.choice(("06", "07")) if mobile else rng.choice(("01", "02", "03", "04", "05"))
    digits = [head] + [f"{rng.randrange(100):02d}" for _ in range(4)]
    return " ".join(digits) if rng.random() < 0.7 else "+33 " + " ".join([head[1:], *digits[1:]])


def make_cards(count: int, seed: int = SEED) -> list[str]:
    """`count` vCard 3.0 cards (CRLF lines), the same for the same seed: French names with
    accents, one or two e-mails, phones, ORG/TITLE, ADR, CATEGORIES, NOTE; no photos."""
    rng = Random(seed)
    cards = []
    for n in range(count):
        given = rng.choice(GIVEN_NAMES)
        family = rng.choice(FAMILY_NAMES)
        city, postal, region = rng.choice(CITIES)
        slug = f"{ascii_slug(given)}.{ascii_slug(family)}".replace(" ", "")
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"UID:bench-{seed}-{n:06d}",
            f"N:{_escape(family)};{_escape(given)};;;",
            f"FN:{_escape(given)} {_escape(family)}",
            f"EMAIL;TYPE=INTERNET,HOME:{slug}{n}@{rng.choice(MAIL_DOMAINS)}",
        ]
        if rng.random() < 0.4:
            lines.append(
                f"EMAIL;TYPE=INTERNET,WORK:{slug[0]}.{slug.split('.')[-1]}{n}@asso{n % 97}.org"
            )
        lines.append(f"TEL;TYPE=CELL:{_phone(rng, True)}")
        if rng.random() < 0.3:
            lines.append(f"TEL;TYPE=HOME,VOICE:{_phone(rng, False)}")
        if rng.random() < 0.6:
            kind = rng.choice(("Association", "Collectif", "Café", "Atelier"))
            org = f"{kind} {rng.choice(ORG_WORDS)}"
            lines.append(f"ORG:{_escape(org)}")
            title = rng.choice(ROLES)
            if title:
                lines.append(f"TITLE:{_escape(title)}")
        if rng.random() < 0.8:
            street = f"{rng.randint(1, 140)} {rng.choice(STREET_KINDS)} {rng.choice(STREET_NAMES)}"
            lines.append(
                f"ADR;TYPE=HOME:;;{_escape(street)};{_escape(city)};{_escape(region)};{postal};France"
            )
        if rng.random() < 0.5:
            tags = rng.sample(TAG_NAMES, rng.randint(1, 3))
            lines.append("CATEGORIES:" + ",".join(_escape(t) for t in tags))
        if rng.random() < 0.3:
            lines.append(f"NOTE:{rng.choice(NOTES)}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines) + "\r\n")
    return cards


def write_cards(cards: Sequence[str], path: Path) -> Path:
    path.write_text("".join(cards), encoding="utf-8", newline="")
    return path


def write_khard_book(cards: Sequence[str], folder: Path) -> Path:
    """One .vcf per card in `folder`/book and a khard config naming it; returns the config."""
    book = folder / "book"
    book.mkdir(parents=True, exist_ok=True)
    for n, card in enumerate(cards):
        (book / f"{n:06d}.vcf").write_text(card, encoding="utf-8", newline="")
    config = folder / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[bench]]\npath = {book}\n\n[general]\ndebug = no\n",
        encoding="utf-8",
    )
    return config


# --- helpers ---------------------------------------------------------------------------------


def timed(fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def empty_database(folder: Path) -> Path:
    """A fresh database (the real migrations), made once and copied for every run."""
    from cmplanner.storage import Database

    template = folder / "empty-template.cmplanner"
    if not template.exists():
        Database.open(template, backup=False).close()
    return template


def fresh_copy(template: Path, folder: Path, name: str) -> Path:
    target = folder / name
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def bare_parse(path: Path) -> int:
    """The baseline: vobject reads the file; every card and its properties materialised."""
    import vobject

    text = path.read_text(encoding="utf-8")
    properties = 0
    for card in vobject.readComponents(text):
        for values in card.contents.values():
            for prop in values:
                _ = prop.value
                properties += 1
    return properties


def real_import(path: Path, database: Path) -> int:
    """The app's import, as the CLI and the wizard run it: parse, plan, apply."""
    from cmplanner.interop.contacts.parse import parse_file
    from cmplanner.interop.contacts.plan import plan_import
    from cmplanner.interop.contacts.write import apply_import
    from cmplanner.storage import Database

    db = Database.open(database, backup=False)
    try:
        parsed = parse_file(path)
        plans = plan_import(db, parsed.items)
        report = apply_import(db, parsed.items, [p.decision for p in plans])
    finally:
        db.close()
    if len(report.created) + len(report.merged) != len(parsed.items):
        raise Unmeasured(f"the import wrote {len(report.created)} of {len(parsed.items)} cards")
    return len(report.created)


# --- 1. import -------------------------------------------------------------------------------


def bench_import(work: Path, vcf: Path, runs: int, imported_db: Path) -> float:
    template = empty_database(work)
    bare_times: list[float] = []
    real_times: list[float] = []
    for run in range(runs):
        seconds, _props = timed(bare_parse, vcf)
        bare_times.append(seconds)
        target = fresh_copy(template, work, f"import-{run}.cmplanner")
        seconds, _created = timed(real_import, vcf, target)
        real_times.append(seconds)
        if run == 0:
            shutil.copyfile(target, imported_db)  # the book for the CLI figure
    bare, real = median(bare_times), median(real_times)
    ratio = real / bare
    print(f"  median bare vobject parse: {bare:.2f} s  (runs: {_list(bare_times)})")
    print(f"  median CM Planner import:  {real:.2f} s  (runs: {_list(real_times)})")
    print(f"  import ratio: {ratio:.2f}  goal ≤ {IMPORT_GOAL}: {verdict(ratio <= IMPORT_GOAL)}")
    return ratio


def _list(values: Sequence[float], unit: str = "") -> str:
    return " ".join(f"{v:.3f}{unit}" for v in values)


# --- 2. cli ----------------------------------------------------------------------------------


def _cmplanner_command(database: Path, term: str) -> list[str]:
    script = Path(sys.executable).with_name("cmplanner")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "cmplanner"]
    return [*head, "--db", str(database), "contacts", "list", "--search", term]


def _khard_command(config: Path, term: str) -> list[str]:
    script = Path(sys.executable).with_name("khard")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "khard"]
    return [*head, "-c", str(config), "list", term]


def run_command(command: list[str], timeout: float = 300) -> tuple[float, str]:
    env = {**os.environ, "COLUMNS": "200", "LANG": "C.UTF-8", "PYTHONUTF8": "1"}
    started = time.perf_counter()
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unmeasured(f"{Path(command[0]).name} could not run: {exc}") from exc
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise Unmeasured(
            f"{Path(command[0]).name} exited with code {result.returncode}:"
            f" {result.stderr.strip()[-800:]}"
        )
    return seconds, result.stdout


def bench_cli(
    work: Path, cards: Sequence[str], database: Path, terms: Sequence[str], sizes: Sizes
) -> float:
    config = write_khard_book(cards, work / "khard")
    ours: list[float] = []
    theirs: list[float] = []
    for term in terms:
        for run in range(max(sizes.cli_runs, sizes.khard_runs)):
            if run < sizes.khard_runs:
                seconds, out = run_command(_khard_command(config, term))
                theirs.append(seconds)
                khard_lines = _khard_count(out)
            if run < sizes.cli_runs:
                seconds, out = run_command(_cmplanner_command(database, term))
                ours.append(seconds)
                our_lines = len([line for line in out.splitlines() if line.strip()])
        print(f"  term {term!r}: cmplanner lists {our_lines}, khard lists {khard_lines}")
    mine, khard = median(ours), median(theirs)
    ratio = mine / khard
    print(f"  median cmplanner contacts list --search: {mine * 1000:.0f} ms  ({len(ours)} runs)")
    print(f"  median khard list:                       {khard * 1000:.0f} ms  ({len(theirs)} runs)")
    print(f"  cli ratio: {ratio:.3f}  goal ≤ {CLI_GOAL}: {verdict(ratio <= CLI_GOAL)}")
    return ratio


def _khard_count(out: str) -> int:
    """khard prints a header line, then one numbered line per contact."""
    return sum(1 for line in out.splitlines() if line.strip()[:1].isdigit())


# --- 3. search -------------------------------------------------------------------------------


def search_terms(database: Path) -> list[str]:
    """A common first-name prefix, a rare family name and an e-mail domain found in `database`."""
    import sqlite3

    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        common = con.execute(
            "SELECT given_name, count(*) AS n FROM contact GROUP BY given_name"
            " ORDER BY n DESC, given_name LIMIT 1"
        ).fetchone()
        rare = con.execute(
            "SELECT family_name, count(*) AS n FROM contact WHERE family_name != ''"
            " GROUP BY family_name ORDER BY n, family_name LIMIT 1"
        ).fetchone()
        domain = con.execute(
            "SELECT substr(address, instr(address, '@') + 1) AS d, count(*) AS n"
            " FROM contact_email GROUP BY d ORDER BY n DESC, d LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    if not (common and rare and domain):
        raise Unmeasured(f"{database} has no contacts to search")
    return [str(common[0])[:3], str(rare[0]), str(domain[0])]


def bench_search(database: Path, runs: int) -> float:
    import sqlite3

    from cmplanner.services.browse import CONTACTS
    from cmplanner.storage import Database
    from cmplanner.storage.search_index import TABLE as SEARCH_TABLE
    from ui.kit.models import BATCH  # the rows the view's model fetches first

    terms = search_terms(database)
    try:
        db = Database.open(database, backup=False)
    except Exception:  # another process (the app) holds the writer lock: read like the CLI
        db = Database.open(database, writer=False)
    bare_con = sqlite3.connect(database)
    ratios: list[float] = []
    CONTACTS.ids(db, "family_name")  # the view opens on the whole list before any keystroke
    try:
        for term in terms:
            # The bare query the issue names: the term as one prefix phrase.
            query = '"' + term.replace('"', '""') + '"*'
            sql = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?"

            def bare(query: str | None = query, sql: str = sql) -> int:
                return len(bare_con.execute(sql, (query,)).fetchall())

            def keystroke(term: str = term) -> int:
                ids = CONTACTS.ids(db, "family_name", False, term)
                CONTACTS.rows(db, ids[:BATCH])
                return len(ids)

            bare(), keystroke()  # warm the page cache for both
            bare_times, view_times = [], []
            for _ in range(runs):
                seconds, found_bare = timed(bare)
                bare_times.append(seconds)
                seconds, found_view = timed(keystroke)
                view_times.append(seconds)
            b, v = median(bare_times), median(view_times)
            ratios.append(v / b)
            print(
                f"  term {term!r}: {found_view} contacts (FTS {found_bare});"
                f" keystroke {v * 1000:.1f} ms, bare FTS {b * 1000:.1f} ms, ratio {v / b:.1f}"
            )
    finally:
        bare_con.close()
        db.close()
    worst = max(ratios)
    met = verdict(worst <= SEARCH_GOAL)
    print(f"  search ratio (worst term): {worst:.1f}  goal ≤ {SEARCH_GOAL:g}: {met}")
    return worst


# --- 4. heartbeat ----------------------------------------------------------------------------


def _whole_import(db: Any, vcf: Path) -> Any:
    """What the wizard runs in the background, end to end: read, plan, write."""
    from cmplanner.interop.contacts.parse import parse_file
    from cmplanner.interop.contacts.plan import plan_import
    from cmplanner.interop.contacts.write import apply_import

    parsed = parse_file(vcf)
    decisions = [p.decision for p in plan_import(db, parsed.items)]
    return apply_import(db, parsed.items, decisions)


def _heartbeat_run(app: Any, db: Any, vcf: Path) -> tuple[float, list[float], dict[str, Any]]:
    """One background import with a heartbeat: (seconds, gaps in ms, outcome)."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    from ui.kit import jobs as tasks

    gaps: list[float] = []
    outcome: dict[str, Any] = {}
    clock = QElapsedTimer()
    heartbeat = QTimer()
    heartbeat.setInterval(HEARTBEAT_MS)

    def tick() -> None:
        gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()

    def done(key: str, value: Any) -> None:
        outcome[key] = value
        QTimer.singleShot(3 * HEARTBEAT_MS, app.quit)  # a few more ticks after the end

    def start() -> None:
        clock.start()
        heartbeat.start()
        tasks.run_in_background(
            _whole_import,
            db,
            vcf,
            on_success=lambda report: done("report", report),
            on_failure=lambda exc: done("error", exc),
            label="bench import",
        )

    heartbeat.timeout.connect(tick)
    QTimer.singleShot(0, start)
    started = time.perf_counter()
    app.exec()
    seconds = time.perf_counter() - started
    heartbeat.stop()
    return seconds, gaps, outcome


def bench_heartbeat(work: Path, vcf: Path, runs: int) -> float:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from cmplanner.storage import Database
    from ui.kit import jobs as tasks

    app = QApplication.instance() or QApplication(["cmplanner-bench"])
    template = empty_database(work)
    worst: list[float] = []
    for run in range(runs):
        target = fresh_copy(template, work, f"heartbeat-{run}.cmplanner")
        db = Database.open(target, backup=False)
        try:
            seconds, gaps, outcome = _heartbeat_run(app, db, vcf)
        finally:
            db.close()
        if "error" in outcome:
            raise Unmeasured(f"the background import failed: {outcome['error']!r}")
        if "report" not in outcome or len(gaps) < 2:
            raise Unmeasured("the background import never reported back")
        longest = max(gaps)
        worst.append(longest)
        print(
            f"  run {run + 1}: {len(outcome['report'].created)} cards in {seconds:.1f} s,"
            f" {len(gaps)} ticks, longest gap {longest:.0f} ms,"
            f" median gap {median(gaps):.0f} ms"
        )
    tasks.runner().shutdown()
    result = max(worst)
    print(
        f"  longest event-loop stall: {result:.0f} ms"
        f"  goal ≤ {HEARTBEAT_GOAL_MS:.0f} ms: {verdict(result <= HEARTBEAT_GOAL_MS)}"
    )
    return result


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--cards", type=int, help="how many vCards to import (default 10,000)")
    parser.add_argument("--runs", type=int, help="runs per figure (default: per figure)")
    parser.add_argument(
        "--only", default=",".join(PIECES), help=f"comma-separated pieces: {','.join(PIECES)}"
    )
    parser.add_argument("--db", type=Path, help="the database searched (default: scale DB)")
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(PIECES)
    if unknown:
        parser.error(f"unknown pieces: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.cards:
        sizes = dataclasses.replace(sizes, cards=args.cards)
    if args.runs:
        runs = {f.name: args.runs for f in dataclasses.fields(Sizes) if f.name != "cards"}
        sizes = dataclasses.replace(sizes, **runs)
    pieces = [p for p in PIECES if p in args.only.split(",")]
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cmplanner-bench-") as tmp:
        work = Path(tmp)
        # Backups (apply_import makes one), logs and preferences stay in the throw-away folder.
        os.environ["CMPLANNER_HOME"] = str(work / "home")
        cards = make_cards(sizes.cards)
        vcf = write_cards(cards, work / "cards.vcf")
        imported = work / "imported.cmplanner"
        print(
            f"{sizes.cards} generated vCard 3.0 cards ({vcf.stat().st_size / 1e6:.1f} MB)",
            flush=True,
        )

        def piece(name: str, title: str, fn: Callable[[], Any]) -> None:
            if name not in pieces:
                return
            print(f"\n{title}", flush=True)
            try:
                fn()
            except Exception as exc:  # report it, measure the rest
                if not isinstance(exc, Unmeasured):
                    traceback.print_exc()
                print(f"  {name}: not measured: {exc}", file=sys.stderr, flush=True)
                print(f"  {name}: not measured", flush=True)
                failures.append(name)
            sys.stdout.flush()

        piece(
            "import",
            f"1. Import of {sizes.cards} vCards vs a bare vobject parse",
            lambda: bench_import(work, vcf, sizes.import_runs, imported),
        )
        if "cli" in pieces and not imported.exists():
            template = empty_database(work)
            real_import(vcf, fresh_copy(template, work, imported.name))

        piece(
            "cli",
            f"2. contacts list --search vs khard list, {sizes.cards} contacts",
            lambda: bench_cli(work, cards, imported, search_terms(imported), sizes),
        )

        def search() -> None:
            database = args.db or (QUICK_DB if args.quick else SCALE_DB)
            if args.db is None:
                ensure_database(database, 2_000 if args.quick else None, rebuild=False)
            bench_search(database, sizes.search_runs)

        piece("search", "3. GUI search keystroke vs bare FTS5 query", search)
        piece(
            "heartbeat",
            f"4. Event-loop heartbeat while the GUI imports {sizes.cards} vCards",
            lambda: bench_heartbeat(work, vcf, sizes.heartbeat_runs),
        )
    if failures:
        print(f"\nNot measured: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
