"""The documents benchmark in quick mode on a small database: every document is made by both
sides as whole processes, and each figure is reported (timings are reported, not checked)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.harness import run_script


def test_every_document_and_its_bare_script_are_measured(small_db: Path) -> None:
    result = run_script("documents.py", "--db", str(small_db), "--quick")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "60 guests;" in out
    for command, goal in (
        ("events brief", "1.5"),
        ("events signin", "2"),
        ("events badges", "2"),
        ("communities dossier", "2"),
    ):
        block = out.split(f"documents: {command} ")[1].split("documents: ")[0]
        assert "whole process" in block
        assert "ours      min " in block
        assert "bare      min " in block
        assert "pages" in block
        assert f"(goal ≤ {goal}×):" in block


def test_a_missing_database_is_not_measured(tmp_path: Path) -> None:
    result = run_script("documents.py", "--db", str(tmp_path / "missing.cmplanner"))
    assert result.returncode == 1
    assert "not measured" in result.stdout
