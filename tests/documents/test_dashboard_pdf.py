"""The dashboard as a PDF: valid, and showing the figures `dashboard.compute` gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from cmplanner.documents import dashboard as document
from cmplanner.i18n import set_language
from cmplanner.services import dashboard
from cmplanner.storage import Database

HOSTILE = 'Q&A <b>Meetup</b> Ελληνικά 中文 <img src="http://127.0.0.1:9/x.png"/>'


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _flat(text: str) -> str:
    """The text with line breaks and repeated spaces gone (table cells wrap)."""
    return " ".join(text.split())


def _shows(value: str, text: str) -> bool:
    """Every word of `value` is in `text` (a cell that wraps interleaves with its row's other
    cells when the text is read back line by line)."""
    return all(word in text for word in value.split())


def _check(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "dashboard.pdf"
    path.write_bytes(data)
    assert data.startswith(b"%PDF")
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _community(board: dashboard.Dashboard, name: str) -> dashboard.CommunityVitality:
    """A community block with every kind of figure, computed by hand."""
    today = board.today
    attendance = tuple(
        dashboard.AttendancePoint(1, None, "Apéro", today - dt.timedelta(days=7 * (4 - i)), 10, a)
        for i, a in enumerate((6, 8, 7, 9))
    )
    readiness = (
        dashboard.ReadinessItem(
            dashboard.ReadinessKey.OBJECTIVE, True, "A concrete objective", "", 1, 1
        ),
        dashboard.ReadinessItem(
            dashboard.ReadinessKey.AMBASSADORS,
            False,
            "At least 2 ambassadors",
            "1 of 2 named",
            1,
            2,
        ),
    )
    return dashboard.CommunityVitality(
        community_id=99,
        name=name,
        members=17,
        target_pace_days=7,
        pace_is_default=False,
        days_since_last_in_person_event=12,
        last_in_person_event=today - dt.timedelta(days=12),
        next_event=None,
        pace_light=dashboard.Light.AMBER,
        attendance=attendance,
        attendance_rate=0.75,  # 30 of 40
        returning_rate=0.6,
        new_members_by_month=(
            dashboard.MonthValue("2026-10", 2),
            dashboard.MonthValue("2026-11", 1),
        ),
        seen_in_person_90d=0.41,
        vitality=63,
        light=dashboard.Light.AMBER,
        components={"pace": 0.64, "attendance": 0.75, "returning": 0.6, "seen": 0.41},
        readiness=readiness,
        ready=False,
    )


def test_the_pdf_shows_what_compute_gives(
    demo_db: Database, frozen_clock: dt.datetime, tmp_path: Path
) -> None:
    board = dashboard.compute(demo_db)
    data = document.render(demo_db)
    _check(data, tmp_path)
    text = _flat(_text(data))
    assert "Dashboard" in text
    assert board.upcoming and board.due.tasks  # the demo has both
    for event in board.upcoming[: document.UPCOMING_MAX]:
        assert _shows(event.title, text)
    for task in board.due.tasks[: document.TASKS_MAX]:
        assert _shows(task.title, text)
    for promise in board.due.commitments[: document.TASKS_MAX]:
        assert _shows(promise.description, text)
    overdue = sum(1 for t in board.due.tasks[: document.TASKS_MAX] if t.overdue)
    assert text.count("(overdue)") >= overdue
    for community in board.communities:
        assert _shows(community.name, text)
        if community.vitality is not None:
            assert f"Vitality {community.vitality}/100" in text
        assert document.light_text(str(community.light)) in text
        for rate in (community.attendance_rate, community.returning_rate):
            if rate is not None:
                assert document.percent_text(rate) in text
        for item in community.readiness:
            assert _shows(item.label, text)
    for person in board.drifting[: document.DRIFTING_MAX]:
        assert _shows(person.name, text)
    if board.ratio.value is not None:
        assert document.percent_text(board.ratio.value) in text


def test_a_community_block_says_every_figure_and_what_is_missing(
    demo_db: Database, frozen_clock: dt.datetime, tmp_path: Path
) -> None:
    base = dashboard.compute(demo_db)
    board = dataclasses.replace(base, communities=(_community(base, "Club des testeurs"),))
    data = document.layout(board)
    _check(data, tmp_path)
    text = _flat(_text(data))
    assert "Club des testeurs" in text
    assert "Vitality 63/100 (amber)" in text
    assert "12 days since the last in-person" in text and "(target: every 7 days)" in text
    assert "75% (last 4 in-person events)" in text
    assert "60%" in text and "41%" in text
    assert "3 (Oct 2 · Nov 1)" in text  # new members, month by month
    assert "Not ready to launch: 1 prerequisite missing" in text
    assert "✗ At least 2 ambassadors — 1 of 2 named" in text
    assert "✓ A concrete objective" in text
    assert "expected" in text and "came" in text  # the attendance chart's legend


def test_the_ratio_chart_shows_the_target(
    demo_db: Database, frozen_clock: dt.datetime, tmp_path: Path
) -> None:
    base = dashboard.compute(demo_db)
    months = tuple(
        dashboard.RatioPeriod(f"2026-{m:02d}", dt.date(2026, m, 1), 60 * m, 600, m / (m + 10))
        for m in range(1, 12)
    )
    ratio = dataclasses.replace(
        base.ratio,
        value=0.25,
        target=0.3,
        in_person_minutes=150,
        online_minutes=450,
        months=months,
        by_community=((None, "", months[-1]),),
    )
    data = document.layout(dataclasses.replace(base, ratio=ratio))
    _check(data, tmp_path)
    text = _flat(_text(data))
    assert "Last 90 days: 25% in person (2 h 30 in person, 7 h 30 online); target 30%." in text
    assert "target 30%" in text
    assert "Jan 26" in text and "Nov 26" in text
    assert "No community" in text


def test_a_hostile_community_name_is_printed_as_written(
    demo_db: Database, frozen_clock: dt.datetime, tmp_path: Path
) -> None:
    from cmplanner.services.communities import CommunityData, create_community

    create_community(demo_db, CommunityData(name=HOSTILE, objective=HOSTILE))
    base = dashboard.compute(demo_db)
    if not any(c.name == HOSTILE for c in base.communities):  # before communities are computed
        base = dataclasses.replace(base, communities=(_community(base, HOSTILE),))
    data = document.layout(base)
    _check(data, tmp_path)
    text = _text(data).replace("\n", "")
    assert "Q&A <b>Meetup</b>" in text
    assert "Ελληνικά" in text and "中文" in text
    assert "<img" in text  # printed, never fetched


@pytest.mark.parametrize(("language", "title"), [("fr", "Tableau de bord"), ("en", "Dashboard")])
def test_french_and_english(
    demo_db: Database, frozen_clock: dt.datetime, language: str, title: str
) -> None:
    set_language(language)
    try:
        text = _text(document.render(demo_db, page="Letter"))
    finally:
        set_language("en")
    assert text.startswith(title)
    assert ("Échéances" in text) == (language == "fr")
    # The demo's Scène locale has held nothing in person: its chart says so, in the language.
    nothing = "pas de participation" if language == "fr" else "no attendance to draw"
    assert nothing in _flat(text)
