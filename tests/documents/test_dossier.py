"""The community handover dossier: what it gathers, and the PDF it prints."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pdfplumber

from cmplanner.documents import dossier
from cmplanner.services import vocabulary
from cmplanner.storage import Database


def _community(db: Database) -> int:
    return next(c.id for c in vocabulary.communities(db) if c.name == "Apéros du jeudi")


def test_gather_collects_people_events_and_what_is_owed(demo_db: Database) -> None:
    found = dossier.gather(demo_db, _community(demo_db))
    assert found.name == "Apéros du jeudi"
    assert [p.role for p in found.core_team] == ["core_team"] * len(found.core_team)
    assert found.core_team and found.ambassadors
    assert 0 < len(found.last_events) <= dossier.LAST_EVENTS
    starts = [o.start for o in found.last_events]
    assert starts == sorted(starts, reverse=True)  # newest first
    now = found.generated
    assert all(o.start < now for o in found.last_events)
    assert found.upcoming and all(o.start >= now for o in found.upcoming)
    assert found.met_every_days == 7.0  # a weekly apéro
    with demo_db.read() as con:
        rows, people = con.execute(
            "SELECT COUNT(*), COUNT(DISTINCT contact_id) FROM community_member"
            " WHERE community_id = ?",
            (_community(demo_db),),
        ).fetchone()
    assert found.member_count == people < rows  # people, not their roles
    assert all(not t.done for t in found.tasks)
    limit = found.generated - dt.timedelta(days=found.drift_days)
    assert all(p.last_seen is None or p.last_seen.replace(tzinfo=dt.UTC) < limit
               for p in found.drifting)  # fmt: skip


def test_the_pdf_is_valid_and_says_it_all(demo_db: Database, tmp_path: Path) -> None:
    data = dossier.render(demo_db, _community(demo_db))
    path = tmp_path / "dossier.pdf"
    path.write_bytes(data)
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        assert len(pdf.pages) >= 2
    found = dossier.gather(demo_db, _community(demo_db))
    assert "Apéros du jeudi" in text
    for person in (*found.core_team, *found.ambassadors):
        assert person.name in text
    for partner in found.partners:
        assert partner.name in text
    assert "1/" in text


def test_escaped_and_unicode_names(demo_db: Database) -> None:
    from cmplanner.services.communities import CommunityData, create_community

    title = 'Q&A <b>Meetup</b> Ελληνικά Кириллица 中文 <img src="http://127.0.0.1:9/x.png"/>'
    community_id, _changes = create_community(demo_db, CommunityData(name=title, objective=title))
    data = dossier.render(demo_db, community_id)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")
    assert "Q&A <b>Meetup</b>" in text
    assert "Ελληνικά" in text and "Кириллица" in text and "中文" in text


def test_the_dossier_speaks_french_in_french(demo_db: Database) -> None:
    from cmplanner.i18n import set_language

    set_language("fr")
    try:
        data = dossier.render(demo_db, _community(demo_db))
    finally:
        set_language("en")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Pour qui :" in text and "Who it is for" not in text
