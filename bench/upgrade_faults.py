"""Schema upgrades under faults, at scale: what `make test` samples, done at every point.

1. kill -9 before every N-th SQL statement of a writer opening (backing up, upgrading) the
   golden schema-0001 file, in a real child process (tests/faults.py);
2. a disk that fills up after the backup, at many sizes (RLIMIT_FSIZE: writes fail);
3. with --tmpfs (root, Linux): a really full disk, a small tmpfs holding the database;
4. every half-applied file CM Planner up to schema 0012 could leave (tests/storage/
   migrations.py builds them the way that code did), from each revision and from a creation.

After each trial the file must be the old revision with every row of the golden file, or the
head with every row of a clean upgrade; integrity_check and foreign_key_check clean, the
search index whole; and every writer must open it and write. Prints the trials and failures;
exits 1 on any failure.

    .venv/bin/python bench/upgrade_faults.py [--every 1] [--limits 12] [--tmpfs]
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.faults import kill_points, open_for_writing  # noqa: E402
from tests.storage.migrations import (  # noqa: E402
    GOLDEN_V1,
    assert_old_or_new,
    assert_opens_and_writes,
    golden_chain,
    half_applied_files,
)


class Tally:
    def __init__(self) -> None:
        self.trials: dict[str, int] = {}
        self.failures: list[str] = []

    def trial(self, kind: str, label: str, check: Callable[[], None]) -> None:
        self.trials[kind] = self.trials.get(kind, 0) + 1
        try:
            check()
        except Exception:  # every failure is counted and reported
            self.failures.append(f"{kind} {label}: {traceback.format_exc(limit=3)}")
            print(f"  FAILED {kind} {label}", flush=True)


def fresh_copy(folder: Path) -> Path:
    for old in folder.glob("old.cmplanner*"):
        old.unlink()
    path = folder / "old.cmplanner"
    shutil.copyfile(GOLDEN_V1, path)
    return path


def kills(tally: Tally, work: Path, golden: dict[str | None, Path], every: int) -> None:
    statements = open_for_writing(fresh_copy(work)).statements
    # Every `every`-th statement, and both sides of every BEGIN, COMMIT and CREATE.
    points = kill_points(statements, len(statements) // every, marks=("BEGIN", "COMMIT", "CREATE"))
    print(f"kill -9: {len(statements)} statements, {len(points)} kill points", flush=True)
    for point in points:

        def check(point: int = point) -> None:
            path = fresh_copy(work)
            assert open_for_writing(path, kill_at=point).killed
            assert_old_or_new(path, golden)
            assert_opens_and_writes(path)

        tally.trial("kill", f"before statement {point}", check)


def file_limits(tally: Tally, work: Path, golden: dict[str | None, Path], count: int) -> None:
    statements = open_for_writing(fresh_copy(work)).statements
    after_backup = statements.index("PRAGMA journal_mode=DELETE") + 2
    sizes = [4096 * round(1.6**i) for i in range(count)]
    print(f"full disk (file size limit): {sizes}", flush=True)
    for size in sizes:

        def check(size: int = size) -> None:
            path = fresh_copy(work)
            run = open_for_writing(path, file_limit=size, limit_at=after_backup)
            assert run.returncode in (0, 2) and run.stderr.count("\n") <= 1, run.stderr
            assert_old_or_new(path, golden)
            assert_opens_and_writes(path)

        tally.trial("file-limit", f"{size} bytes", check)


def tmpfs(tally: Tally, work: Path, golden: dict[str | None, Path]) -> None:
    """A really full disk: the database alone on a small tmpfs, its backups elsewhere."""
    disk = work / "disk"
    disk.mkdir()
    size = GOLDEN_V1.stat().st_size // 1024
    sizes = [size + extra for extra in (8, 32, 64, 128, 256, 512, 1024)]
    print(f"full disk (tmpfs of KiB): {sizes}", flush=True)
    for kib in sizes:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(disk)], check=True
        )
        try:

            def check(kib: int = kib) -> None:
                path = disk / "old.cmplanner"
                shutil.copyfile(GOLDEN_V1, path)
                run = open_for_writing(path)
                assert run.returncode in (0, 2) and run.stderr.count("\n") <= 1, run.stderr
                if run.returncode == 2:
                    assert "disk" in run.stderr and "nothing was lost" in run.stderr, run.stderr
                # Space freed, the file where it is (on a full disk even a read may fail:
                # SQLite needs room for its shared-memory index): old or new, and it writes.
                subprocess.run(
                    ["mount", "-o", f"remount,size={kib + 4096}k", str(disk)], check=True
                )
                assert_old_or_new(path, golden)
                assert_opens_and_writes(path)

            tally.trial("tmpfs", f"{kib} KiB", check)
        finally:
            gc.collect()  # no connection of this process left open on it
            if subprocess.run(["umount", str(disk)]).returncode:
                subprocess.run(["umount", "--lazy", str(disk)], check=True)


def half_applied(tally: Tally, work: Path, golden: dict[str | None, Path]) -> None:
    from cmplanner.storage import Database
    from cmplanner.storage.database import REVISIONS, head_revision
    from tests.storage.migrations import schema_sql

    for revision in [None, *REVISIONS[:-1]]:
        source = golden[revision] if revision else work / "none.cmplanner"
        files = half_applied_files(source, revision, work / f"half-{revision}")
        print(f"half-applied from {revision or 'a creation'}: {len(files)} files", flush=True)
        for n, path in enumerate(files):

            def check(path: Path = path, revision: str | None = revision) -> None:
                with Database.open(path) as db:
                    assert db.revision() == head_revision()
                    assert len(db.notices) == 1
                if revision is None:
                    assert schema_sql(path) == schema_sql(golden[None])
                else:
                    assert_old_or_new(path, golden)
                    assert_opens_and_writes(path)

            tally.trial("half-applied", f"{revision} #{n}", check)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=1, help="kill before every N-th statement")
    parser.add_argument("--limits", type=int, default=12, help="how many file size limits")
    parser.add_argument("--tmpfs", action="store_true", help="also a real full disk (root)")
    args = parser.parse_args()
    # The lines opening prints about what it undid: counted here, not printed.
    logging.getLogger("cmplanner.storage.upgrade").addHandler(logging.NullHandler())
    started = time.perf_counter()
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="cmplanner-upgrade-faults-") as scratch:
        work = Path(scratch)
        os.environ["CMPLANNER_HOME"] = str(work / "home")
        golden = golden_chain(work)
        kills(tally, work, golden, args.every)
        file_limits(tally, work, golden, args.limits)
        if args.tmpfs:
            tmpfs(tally, work, golden)
        half_applied(tally, work, golden)
    print()
    for kind, count in tally.trials.items():
        failed = sum(f.startswith(kind + " ") for f in tally.failures)
        print(f"{kind:<13} {count:>5} trials  {failed:>3} failures")
    print(f"{time.perf_counter() - started:.0f} s")
    for failure in tally.failures:
        print("\n" + failure)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
