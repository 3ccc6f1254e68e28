"""`cmplanner events export FILE.ics [--from] [--to] [--community] [--event]`."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from cmplanner.cli.main import main


def _uids(path: Path) -> set[str]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(c["UID"]) for c in calendar.walk("VEVENT")}


def _rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_export_everything(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.ics"
    assert main(["--db", str(demo_path), "events", "export", str(out)]) == 0
    total = _rows(demo_path, "SELECT COUNT(*) FROM event")[0][0]
    assert capsys.readouterr().out.strip() == f"{total} events written to {out}."
    assert _uids(out) == {r[0] for r in _rows(demo_path, "SELECT uid FROM event")}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_one_event_passes_radicale(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event_id, uid = _rows(demo_path, "SELECT id, uid FROM event WHERE rrule != '' LIMIT 1")[0]
    out = tmp_path / "one.ics"
    assert (
        main(["--db", str(demo_path), "events", "export", str(out), "--event", str(event_id)]) == 0
    )
    assert capsys.readouterr().out.strip() == f"1 event written to {out}."
    assert _uids(out) == {uid}
    done = subprocess.run(
        [sys.executable, "-m", "radicale", "--verify-item", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_export_a_community(demo_path: Path, tmp_path: Path) -> None:
    name, community_id = _rows(
        demo_path,
        "SELECT c.name, c.id FROM community c JOIN event e ON e.community_id = c.id"
        " GROUP BY c.id ORDER BY COUNT(*) DESC LIMIT 1",
    )[0]
    out = tmp_path / "group.ics"
    assert main(["--db", str(demo_path), "events", "export", str(out), "--community", name]) == 0
    expected = {
        r[0] for r in _rows(demo_path, "SELECT uid FROM event WHERE community_id = ?", community_id)
    }
    assert _uids(out) == expected
    assert 0 < len(expected) < _rows(demo_path, "SELECT COUNT(*) FROM event")[0][0]


def test_export_a_date_range_keeps_series_whole(demo_path: Path, tmp_path: Path) -> None:
    rows = _rows(demo_path, "SELECT uid, start_local, rrule FROM event ORDER BY start_utc")
    single = [r for r in rows if not r[2]]
    day = dt.date.fromisoformat(str(single[0][1])[:10])
    out = tmp_path / "range.ics"
    args = ["--from", day.isoformat(), "--to", day.isoformat()]
    assert main(["--db", str(demo_path), "events", "export", str(out), *args]) == 0
    uids = _uids(out)
    assert single[0][0] in uids
    # Every other one-off event of the range starts that day (or spans it).
    others = {r[0] for r in single if dt.date.fromisoformat(str(r[1])[:10]) > day}
    assert not uids & others


@pytest.mark.parametrize(
    ("option", "message", "code"),
    [
        # An unknown community or event is an error (2); nothing matching is not (1).
        (["--community", "Nulle part"], "There is no community “Nulle part”.", 2),
        (["--event", "99999"], "Event 99999 does not exist.", 2),
        (
            ["--from", "2001-01-01", "--to", "2001-01-02"],
            "No event matches: nothing was written.",
            1,
        ),
    ],
)
def test_nothing_or_unknown_writes_no_file(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    option: list[str],
    message: str,
    code: int,
) -> None:
    out = tmp_path / "none.ics"
    assert main(["--db", str(demo_path), "events", "export", str(out), *option]) == code
    captured = capsys.readouterr()
    assert captured.err.strip() == f"cmplanner: {message}"
    assert captured.out == ""
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".ics", ".tmp"))]


def test_a_failed_export_leaves_the_existing_file(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kept.ics"
    out.write_bytes(b"mine")
    assert main(["--db", str(demo_path), "events", "export", str(out), "--event", "99999"]) == 2
    assert out.read_bytes() == b"mine"


def test_bad_dates_are_refused(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bad.ics"
    assert main(["--db", str(demo_path), "events", "export", str(out), "--from", "demain"]) == 2
    assert "“demain” is not a date" in capsys.readouterr().err
    args = ["--from", "2027-02-01", "--to", "2027-01-01"]
    assert main(["--db", str(demo_path), "events", "export", str(out), *args]) == 2
    assert "before the first day" in capsys.readouterr().err
    assert not out.exists()


def test_a_folder_that_does_not_exist(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "x.ics"
    assert main(["--db", str(demo_path), "events", "export", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"The folder {out.parent} does not exist: nothing was written." in err
    assert err.count("\n") == 1 and not out.parent.exists()


def test_french_messages(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "fr.ics"
    assert main(["--lang", "fr", "--db", str(demo_path), "events", "export", str(out)]) == 0
    assert "événements écrits dans" in capsys.readouterr().out
    args = ["--community", "Nulle part"]
    assert main(["--lang", "fr", "--db", str(demo_path), "events", "export", "y.ics", *args]) == 2
    assert "Il n'y a pas de communauté « Nulle part »." in capsys.readouterr().err
