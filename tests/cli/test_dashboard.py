"""`cmplanner dashboard` on the demo database, at the frozen time: the JSON carries the issue's
keys with the very numbers of `dashboard.compute`, the text digest shows every community."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from cmplanner.cli import dashboard as cli_dashboard
from cmplanner.cli.main import main
from cmplanner.services import dashboard
from cmplanner.storage import Database


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--lang", "en", "dashboard", *args])
    out, err = capsys.readouterr()
    return code, out, err


def computed(path: Path) -> dict[str, Any]:
    with Database.open(path, writer=False) as db:
        return dashboard.to_json(dashboard.compute(db))


def test_json_has_the_issue_keys_and_the_numbers_of_compute(
    demo_path: Path, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, demo_path, "--json")
    assert code == 0, err
    printed = json.loads(out)
    expected = json.loads(json.dumps(computed(demo_path), ensure_ascii=False, default=str))
    assert printed == expected  # generated_at too: the clock is frozen
    assert {"communities", "drifting", "in_person_ratio", "due", "upcoming"} <= printed.keys()
    assert set(printed["due"]) >= {"tasks", "commitments", "unconfirmed"}
    assert {"value", "target", "months"} <= printed["in_person_ratio"].keys()
    assert printed["in_person_ratio"]["target"] == 0.3
    assert printed["today"] == "2026-11-19"
    names = {c["name"] for c in printed["communities"]}
    assert {"Apéros du jeudi", "Club des testeurs", "Scène locale"} <= names or not names
    for community in printed["communities"]:
        assert {
            "name",
            "vitality",
            "days_since_last_in_person_event",
            "target_pace_days",
            "returning_rate",
            "readiness",
        } <= community.keys()
        assert {"ready", "missing"} <= community["readiness"].keys()
    for person in printed["drifting"]:
        assert {"id", "name", "last_seen", "cadence_days", "reason"} <= person.keys()
    # The demo has something to say in each part.
    assert printed["upcoming"] and printed["due"]["tasks"] and printed["due"]["commitments"]
    assert any(t["overdue"] for t in printed["due"]["tasks"])


def test_the_text_digest_shows_the_day_what_is_due_and_every_community(
    demo_path: Path, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, demo_path)
    assert code == 0, err
    assert out.startswith("Dashboard — Thursday, 19 November 2026")  # no region said: en_GB
    for heading in ("Next 14 days", "Tasks", "Commitments", "Dates to confirm", "Drifting away"):
        assert heading in out
    assert "In-person ratio, last 90 days:" in out
    with Database.open(demo_path, writer=False) as db:
        board = dashboard.compute(db)
    for event in board.upcoming:
        assert event.title in out
    assert "Apéro du jeudi (Apéros du jeudi)" in out
    assert "14 yes, 0 maybe, 0 no, 0 no answer" in out
    assert "overdue since" in out
    for community in board.communities:
        assert community.name in out
        if community.vitality is not None:
            assert f"{community.name}: vitality {community.vitality}/100" in out
        for item in community.readiness:
            if not item.ok:
                assert item.label in out
    for person in board.drifting:
        assert f"{person.name}" in out and person.reason_text in out


def test_the_digest_speaks_french(
    demo_path: Path, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", str(demo_path), "--lang", "fr", "dashboard"])
    out, _err = capsys.readouterr()
    assert code == 0
    assert out.startswith("Tableau de bord — jeudi 19 novembre 2026")
    assert "14 prochains jours" in out
    assert "14 oui, 0 peut-être, 0 non, 0 sans réponse" in out
    assert "Dashboard" not in out


def test_pdf_is_written_when_the_document_exists(
    demo_path: Path, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip(cli_dashboard.PDF_MODULE)
    target = tmp_path / "tableau.pdf"
    code, out, err = run(capsys, demo_path, "--pdf", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF")
    assert str(target) in out


def test_pdf_says_clearly_when_it_is_unavailable(
    demo_path: Path,
    frozen_clock: dt.datetime,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli_dashboard, "PDF_MODULE", "cmplanner.documents.no_such_document")
    target = tmp_path / "tableau.pdf"
    code, out, err = run(capsys, demo_path, "--pdf", str(target))
    assert code == 2
    assert err.strip() == ("cmplanner: The dashboard cannot be exported as a PDF in this version.")
    assert not target.exists() and out == ""


def test_pdf_into_a_missing_folder_is_one_clear_line(
    demo_path: Path, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip(cli_dashboard.PDF_MODULE)
    code, _out, err = run(capsys, demo_path, "--pdf", str(tmp_path / "nope" / "x.pdf"))
    assert code == 2
    assert err.count("\n") == 1 and "nope" in err and "Traceback" not in err


def test_a_missing_database_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, tmp_path / "missing.cmplanner")
    assert code == 2
    assert err.startswith("cmplanner: ") and err.count("\n") == 1


def test_a_date_still_to_confirm_is_listed(
    demo_path: Path, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    from cmplanner.model import EventCreate
    from cmplanner.services import events

    with Database.open(demo_path) as db:
        events.create_event(
            db,
            EventCreate(
                title="Pique-nique de décembre",
                start_local=dt.datetime(2026, 11, 21, 12),
                end_local=dt.datetime(2026, 11, 21, 15),
                status="planned",
            ),
        )
    code, out, _err = run(capsys, demo_path)
    assert code == 0
    to_confirm = out.split("Dates to confirm\n")[1].split("\n\n")[0]
    assert to_confirm.splitlines() == [
        "  Sat 21 Nov 12:00  Pique-nique de décembre",
        "  Sun 22 Nov 17:00  Interview : Radio Canut (Scène locale)",
    ]
    code, out, _err = run(capsys, demo_path, "--json")
    unconfirmed, radio = json.loads(out)["due"]["unconfirmed"]
    assert (radio["title"], radio["community"]) == ("Interview : Radio Canut", "Scène locale")
    assert unconfirmed["community"] == ""
    assert unconfirmed["title"] == "Pique-nique de décembre"
    assert unconfirmed["start"].startswith("2026-11-21T12:00")


def test_a_long_drifting_list_says_how_many_more(
    demo_path: Path,
    frozen_clock: dt.datetime,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dashboard.scores, "DRIFTING_SHOWN", 3)
    with Database.open(demo_path, writer=False) as db:
        board = dashboard.compute(db)
    assert len(board.drifting) == 3 < board.drifting_total
    code, out, _err = run(capsys, demo_path)
    assert code == 0
    more = board.drifting_total - 3
    assert f"Drifting away ({board.drifting_total} people)" in out
    assert f"  … and {more} more (the 3 most overdue are listed)" in out


def test_an_empty_database_says_so_in_each_part(
    tmp_path: Path, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.cmplanner"
    Database.open(path).close()
    code, out, err = run(capsys, path)
    assert code == 0, err
    for line in (
        "  Nothing planned.",
        "  Nothing due this week.",
        "  No open commitment.",
        "  Nothing to confirm.",
        "Communities\n  No community yet.",
        "Drifting away (0 people)\n  Nobody: everyone was seen recently.",
        "In-person ratio, last 90 days: — (target 30%)",
    ):
        assert line in out


def test_someone_drifting_for_both_reasons_is_one_line_and_counted_once(
    demo_path: Path, frozen_clock: dt.datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, demo_path, "--json")
    assert code == 0
    printed = json.loads(out)
    records = printed["drifting"]  # one record per reason, as the issue asks
    by_key: dict[tuple[int, str], list[str]] = {}
    for r in records:
        by_key.setdefault((r["id"], r["community"]), []).append(r["reason_text"])
    twice = [(key, texts) for key, texts in by_key.items() if len(texts) == 2]
    assert twice, "the demo has regulars of the fading repair café also past their cadence"
    people = {r["id"] for r in records}
    assert printed["drifting_total"] == len(people) < len(records)

    code, out, _err = run(capsys, demo_path)
    assert code == 0
    section = out.split("Drifting away")[1].split("\n\n")[0]
    assert section.startswith(f" ({len(people)} people)\n")
    (contact_id, community), texts = twice[0]
    name = next(r["name"] for r in records if r["id"] == contact_id)
    lines = [line for line in section.splitlines() if line.startswith(f"  {name} [")]
    assert lines == [f"  {name} [{community}]: " + " · ".join(texts)]
    assert len(section.splitlines()) == 1 + len(by_key)
